// Creating a session (publish the sealed program and the dealer grant) and opening one from its link.
import { RelayClient } from '../lib/channel/relay-client';
import { dealerFingerprint, dealerPublicKey, newDealerGrant } from '../lib/party/dealer-grant';
import { bytesToHex } from '@noble/hashes/utils.js';
import { newSlotIdentities, runIdentity } from '../lib/party/identity';
import { formatSessionKey, newSessionKey, parseDealerSecret, parseInfoDigest, parseSessionKey, personalPass } from '../lib/party/link';
import { newSessionName, publishSessionInfo, readSessionInfo, sessionInfoDigest, type SessionInfo } from '../lib/party/session-info';
import type { CreatedSession, LinkSecrets, OpenedInfo } from './api';
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
 * grant in `info` is replaced), its secret only to the caller, for the dealer's link. With
 * `personal`, fresh identities for every party likewise (src/lib/party/identity.ts): their
 * public keys go into the info, each pass only to the caller, for that party's link.
 */
export async function createSession(relay: string, info: SessionInfo, personal: boolean): Promise<CreatedSession> {
	const key = newSessionKey();
	const grant = info.preprocessing === 'dealer' ? newDealerGrant() : undefined;
	const identities = personal ? newSlotIdentities(info.parties) : undefined;
	const granted: SessionInfo = { ...info };
	delete granted.dealer;
	delete granted.slotKeys;
	if (grant) granted.dealer = dealerPublicKey(grant.secret);
	if (identities) granted.slotKeys = identities.publicKeys;
	for (let i = 0; i < NAME_ATTEMPTS; i++) {
		const session = newSessionName();
		if (await publishSessionInfo(client(relay), session, key, granted)) {
			return {
				session,
				key: formatSessionKey(key),
				info: formatSessionKey(sessionInfoDigest(granted)),
				...(grant ? { dealerSecret: formatSessionKey(grant.secret) } : {}),
				...(identities ? { passes: identities.secrets.map(formatSessionKey) } : {})
			};
		}
	}
	throw new Error(`the relay reported ${NAME_ATTEMPTS} fresh random session names as taken`);
}

/** The session's program and settings, what the program looks like, the dealer it grants, and whose personal link this is. */
export async function openSession(relay: string, session: string, keyText: string, secrets: LinkSecrets): Promise<OpenedInfo> {
	const key = parseSessionKey(keyText);
	const info = await readSessionInfo(client(relay), session, key, secrets.info ? parseInfoDigest(secrets.info) : undefined);
	if (!info) throw new SessionMissingError(`the relay knows no session '${session}'`);
	const holder = secrets.dealerSecret !== undefined && dealerPublicKey(parseDealerSecret(secrets.dealerSecret)) === info.dealer;
	const pass = secrets.personal && personalPass(secrets.personal.party, secrets.personal.pass);
	return {
		info,
		...(info.program !== undefined ? { report: reportProgram(info.program, info.consts) } : {}),
		...(info.dealer ? { dealer: { fingerprint: dealerFingerprint(info.dealer), holder } } : {}),
		...(pass ? { personal: { party: pass.party, holder: runIdentity(bytesToHex(pass.secret)).publicKey === info.slotKeys?.[pass.party] } } : {})
	};
}
