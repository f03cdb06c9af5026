/** What `polytune party` and `polytune pre` share: where the session is, its key, the timeout, Ctrl-C, failures. */
import { PeerAbortError } from '../lib/channel/abortable';
import { DEALER_PARTY } from '../lib/channel/channel';
import { GarbleCompileError } from '../lib/garble';
import { RelayClient, type Fetch } from '../lib/channel/relay-client';
import { isSessionLink, LinkError, MAX_TIMEOUT_MS, parseSessionKey, sessionNameProblem, parseSessionLink, PartySetupError, readSessionInfo, type PersonalPass, type SessionInfo } from '../lib/party';
import { httpFetch } from '../node/http-fetch';
import { installNodeKernels } from '../node/kernels';
import { EXIT_DATA, EXIT_FAILURE, UsageError } from './command';

export const SESSION_OPTIONS = {
	session: { type: 'string', short: 's' },
	key: { type: 'string' },
	timeout: { type: 'string' },
	quiet: { type: 'boolean', short: 'q' }
} as const;

export const SESSION_HELP = [
	'  -s, --session NAME    the session (1–128 of A-Z a-z 0-9 _ . -); not needed with a LINK',
	'  --key KEY             the 32-byte session key in base64url (as in a link after #key=):',
	'                        every message is sealed end to end; all participants need the same',
	'                        key (env POLYTUNE_KEY; without one, messages cross the relay in plaintext)',
	'  --timeout DURATION    how long to wait for a missing participant, and the longest silence',
	'                        during the run: 90, 90s, 5m, 1h (default 10m)',
	'  -q, --quiet           print only the result and errors'
];

export interface SessionTarget {
	url: string;
	session: string;
	key?: Uint8Array;
	/** The digest of the session info a link pins (`info=`). */
	info?: Uint8Array;
	/** The dealer grant's secret, from a dealer link. */
	dealerSecret?: Uint8Array;
	/** A personal link's party and the secret of its identity. */
	personal?: PersonalPass;
	/** How requests reach the relay: node:http, which costs a short-lived process far less CPU than fetch (src/node/http-fetch.ts). */
	fetch: Fetch;
}

/** The relay URL and session from `URL --session S` or a session LINK, and the key from the link, --key or POLYTUNE_KEY. */
export function sessionTarget(positionals: readonly string[], values: { session?: string; key?: string }, env: NodeJS.ProcessEnv): SessionTarget {
	if (positionals.length === 0) throw new UsageError('missing the relay URL (or a session link)');
	if (positionals.length > 1) throw new UsageError(`expected one URL, got ${positionals.length} arguments: ${positionals.join(' ')}`);
	const [where] = positionals;
	let target: SessionTarget;
	try {
		const keyText = values.key ?? (env.POLYTUNE_KEY || undefined);
		const key = keyText === undefined ? undefined : parseSessionKey(keyText);
		if (isSessionLink(where)) {
			const link = parseSessionLink(where);
			if (values.session !== undefined && values.session !== link.session) {
				throw new UsageError(`--session ${values.session} differs from the link's session '${link.session}'`);
			}
			if (key && link.key && !key.every((byte, i) => byte === link.key![i])) throw new UsageError('--key differs from the key in the link');
			target = {
				url: link.url,
				session: link.session,
				fetch: httpFetch,
				...((key ?? link.key) ? { key: key ?? link.key } : {}),
				...(link.info ? { info: link.info } : {}),
				...(link.dealerSecret ? { dealerSecret: link.dealerSecret } : {}),
				...(link.personal ? { personal: link.personal } : {})
			};
		} else {
			const url = new URL(where);
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the relay URL must start with http:// or https://, got '${where}'`);
			if (values.session === undefined) throw new UsageError('missing --session (or give a session link instead of the URL)');
			target = { url: where.replace(/\/+$/, ''), session: values.session, fetch: httpFetch, ...(key ? { key } : {}) };
		}
	} catch (error) {
		if (error instanceof LinkError || error instanceof TypeError) throw new UsageError(error instanceof TypeError ? `'${withoutFragment(where)}' is not a URL` : error.message);
		throw error;
	}
	const problem = sessionNameProblem(target.session);
	if (problem) throw new UsageError(problem);
	return target;
}

/** `where` without what follows a '#': a link's fragment holds the session key and passes, which no message repeats. */
function withoutFragment(where: string): string {
	const hash = where.indexOf('#');
	return hash < 0 ? where : `${where.slice(0, hash)}#…`;
}

/** How long to wait for the relay when reading the session info: an unreachable relay is most likely a wrong URL. */
const INFO_RETRY_MS = 3000;

/**
 * The sealed session info (the dealer grant, …) of a keyed target; undefined when the session
 * has none, unless its link pins one (then the info must be there, and be the one pinned).
 */
export async function targetInfo(target: SessionTarget & { key: Uint8Array }): Promise<SessionInfo | undefined> {
	const relay = new RelayClient({ url: target.url, fetch: target.fetch, retryWindowMs: INFO_RETRY_MS });
	const info = await readSessionInfo(relay, target.session, target.key, target.info);
	if (!info && target.info) {
		throw new PartySetupError(`the relay has no program and settings for session '${target.session}', which the link was made with: the session expired or the relay lost it (ask for a new link)`);
	}
	return info;
}

/** A party number option: a whole number (the run checks that the party exists). */
export function partyNumber(text: string | undefined, option: string): number {
	if (text === undefined) throw new UsageError(`missing ${option}`);
	if (!/^\d{1,3}$/.test(text.trim())) throw new UsageError(`${option} must be a whole number, got '${text}'`);
	return Number(text);
}

/** A number of computing parties given as `option`: from 2 (MPC needs two) to 254 (255 is the dealer's slot). */
export function partyCountOf(text: string | undefined, option: string): number {
	const parties = partyNumber(text, option);
	if (parties < 2 || parties >= DEALER_PARTY) throw new UsageError(`${option} must be from 2 to ${DEALER_PARTY - 1}, got ${parties}`);
	return parties;
}

/** `90` (seconds), `90s`, `1500ms`, `5m`, `1h` in milliseconds; undefined when not given. */
export function parseTimeout(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(text.trim());
	const scale = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[match?.[2] ?? 's'];
	const ms = match ? Math.round(Number(match[1]) * scale!) : NaN;
	if (!(ms > 0)) throw new UsageError(`--timeout must be a positive duration like 90, 90s, 5m or 1h, got '${text}'`);
	if (ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout is at most ${MAX_TIMEOUT_MS / 3_600_000} h (24 days), got '${text}'`);
	return ms;
}

/** Node runs AES with AES-NI through node:crypto (several times faster than the portable AES), GF(2^128) and transposes in WebAssembly. */
export function installNodeBackend(): void {
	installNodeKernels('aes-ni');
}

/** The run stopped because the user interrupted it: the shell's exit code for the signal, 128 + its number. */
export class InterruptedError extends Error {
	readonly exit: number;

	constructor(signal: 'SIGINT' | 'SIGTERM') {
		super(`interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal})`);
		this.exit = 128 + (signal === 'SIGINT' ? 2 : 15);
	}
}

/**
 * Runs `work` with a signal that Ctrl-C (SIGINT) or SIGTERM aborts, so that the others are told;
 * once interrupted, whatever `work` fails with becomes an InterruptedError.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	let interrupted: InterruptedError | undefined;
	const stop = (signal: 'SIGINT' | 'SIGTERM') => {
		interrupted = new InterruptedError(signal);
		controller.abort(interrupted);
	};
	process.once('SIGINT', stop).once('SIGTERM', stop);
	try {
		return await work(controller.signal);
	} catch (error) {
		throw interrupted ?? error;
	} finally {
		process.off('SIGINT', stop).off('SIGTERM', stop);
	}
}

/** A failure as one line for people, and the exit code: 65 for what is wrong with the program or the options, 130 or 143 when interrupted, else 1. */
export function describeFailure(error: unknown): { message: string; exit: number } {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof PartySetupError || error instanceof GarbleCompileError) return { message, exit: EXIT_DATA };
	if (error instanceof InterruptedError) return { message, exit: error.exit };
	if (error instanceof PeerAbortError) return { message: `the run was aborted: ${message}`, exit: EXIT_FAILURE };
	return { message: message.split('\n')[0], exit: EXIT_FAILURE };
}
