// Creating a session (publish the sealed program) and opening one from its link.
import { getInfo, putInfo } from '../ui/relay';
import type { ProgramReport } from './api';
import { reportProgram } from './program';
import { fromBase64Url, newSessionKey, newSessionName, openSessionInfo, sealSessionInfo, SessionInfoError, toBase64Url, type SessionInfo } from './session-info';

/** A session name collides with an existing one only by bad luck; try a few fresh names. */
const NAME_ATTEMPTS = 5;

/** The session does not exist on the relay (wrong link, or it expired). */
export class SessionMissingError extends Error {
	override name = 'SessionMissingError';
}

/** Publishes `info` under a fresh session name, sealed with a fresh key (base64url). */
export async function createSession(relay: string, info: SessionInfo): Promise<{ session: string; key: string }> {
	const key = newSessionKey();
	for (let i = 0; i < NAME_ATTEMPTS; i++) {
		const session = newSessionName();
		if (await putInfo(relay, session, sealSessionInfo(info, key, session))) return { session, key: toBase64Url(key) };
	}
	throw new Error(`the relay reported ${NAME_ATTEMPTS} fresh random session names as taken`);
}

/** The link's key as bytes; a damaged key is a wrong key. */
export function sessionKey(text: string): Uint8Array {
	try {
		const key = fromBase64Url(text);
		if (key.length === 32) return key;
	} catch {
		// reported below
	}
	throw new SessionInfoError('wrong-key', 'the key in the link is damaged (it should be 43 characters after #key=)');
}

/** The session's program and settings, and what the program looks like. */
export async function openSession(relay: string, session: string, keyText: string): Promise<{ info: SessionInfo; report: ProgramReport }> {
	const key = sessionKey(keyText);
	const blob = await getInfo(relay, session);
	if (!blob) throw new SessionMissingError(`the relay knows no session '${session}'`);
	const info = openSessionInfo(blob, key, session);
	return { info, report: reportProgram(info.program, info.consts) };
}
