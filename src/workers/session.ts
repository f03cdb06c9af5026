// Creating a session (publish the sealed program) and opening one from its link.
import { RelayClient } from '../lib/channel/relay-client';
import { formatSessionKey, newSessionKey, parseSessionKey } from '../lib/party/link';
import type { ProgramReport } from './api';
import { reportProgram } from './program';
import { newSessionName, openSessionInfo, sealSessionInfo, type SessionInfo } from './session-info';

/** A session name collides with an existing one only by bad luck; try a few fresh names. */
const NAME_ATTEMPTS = 5;
/** A page waits this long for an unreachable relay before it says so. */
const RETRY_WINDOW_MS = 5000;

/** The session does not exist on the relay (wrong link, or it expired). */
export class SessionMissingError extends Error {
	override name = 'SessionMissingError';
}

const client = (relay: string) => new RelayClient({ url: relay, retryWindowMs: RETRY_WINDOW_MS });

/** Publishes `info` under a fresh session name, sealed with a fresh key (base64url). */
export async function createSession(relay: string, info: SessionInfo): Promise<{ session: string; key: string }> {
	const key = newSessionKey();
	for (let i = 0; i < NAME_ATTEMPTS; i++) {
		const session = newSessionName();
		if (await client(relay).putInfo(session, sealSessionInfo(info, key, session))) return { session, key: formatSessionKey(key) };
	}
	throw new Error(`the relay reported ${NAME_ATTEMPTS} fresh random session names as taken`);
}

/** The session's program and settings, and what the program looks like. */
export async function openSession(relay: string, session: string, keyText: string): Promise<{ info: SessionInfo; report: ProgramReport }> {
	const key = parseSessionKey(keyText);
	const blob = await client(relay).getInfo(session);
	if (!blob) throw new SessionMissingError(`the relay knows no session '${session}'`);
	const info = openSessionInfo(blob, key, session);
	return { info, report: reportProgram(info.program, info.consts) };
}
