// Creating a session (publish the sealed program and the dealer grant) and opening one from its link.
import { RelayClient } from '../lib/channel/relay-client';
import { dealerFingerprint, dealerPublicKey, newDealerGrant } from '../lib/party/dealer-grant';
import { formatSessionKey, newSessionKey, parseDealerSecret, parseSessionKey } from '../lib/party/link';
import { newSessionName, publishSessionInfo, readSessionInfo, type SessionInfo } from '../lib/party/session-info';
import type { CreatedSession, OpenedInfo } from './api';
import { reportProgram } from './program';

/** A session name collides with an existing one only by bad luck; try a few fresh names. */
const NAME_ATTEMPTS = 5;
/** A page waits this long for an unreachable relay before it says so. */
const RETRY_WINDOW_MS = 5000;

/** The session does not exist on the relay (wrong link, or it expired). */
export class SessionMissingError extends Error {
	override name = 'SessionMissingError';
}

const client = (relay: string) => new RelayClient({ url: relay, retryWindowMs: RETRY_WINDOW_MS });

/**
 * Publishes `info` under a fresh session name, sealed with a fresh key (base64url). With the
 * trusted dealer, a fresh dealer grant too: its public key goes into the info (any earlier
 * grant in `info` is replaced), its secret only to the caller, for the dealer's link.
 */
export async function createSession(relay: string, info: SessionInfo): Promise<CreatedSession> {
	const key = newSessionKey();
	const grant = info.preprocessing === 'dealer' ? newDealerGrant() : undefined;
	const granted: SessionInfo = { ...info };
	delete granted.dealer;
	if (grant) granted.dealer = dealerPublicKey(grant.secret);
	for (let i = 0; i < NAME_ATTEMPTS; i++) {
		const session = newSessionName();
		if (await publishSessionInfo(client(relay), session, key, granted)) {
			return { session, key: formatSessionKey(key), ...(grant ? { dealerSecret: formatSessionKey(grant.secret) } : {}) };
		}
	}
	throw new Error(`the relay reported ${NAME_ATTEMPTS} fresh random session names as taken`);
}

/** The session's program and settings, what the program looks like, and the dealer it grants. */
export async function openSession(relay: string, session: string, keyText: string, dealerSecretText?: string): Promise<OpenedInfo> {
	const key = parseSessionKey(keyText);
	const info = await readSessionInfo(client(relay), session, key);
	if (!info) throw new SessionMissingError(`the relay knows no session '${session}'`);
	const holder = dealerSecretText !== undefined && dealerPublicKey(parseDealerSecret(dealerSecretText)) === info.dealer;
	return {
		info,
		...(info.program !== undefined ? { report: reportProgram(info.program, info.consts) } : {}),
		...(info.dealer ? { dealer: { fingerprint: dealerFingerprint(info.dealer), holder } } : {})
	};
}
