/**
 * Requests to the relay (DESIGN.md's API and its extensions) with the retry policy every
 * client wants: transient failures — the network, 5xx, 429 (a full session drains as its
 * parties receive) — are retried with exponential backoff until `retryWindowMs` of
 * continuous failure; any other refusal is an error at once. Isomorphic: only `fetch`.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { concatBytes } from '../crypto/block';
import { anySignal } from './any-signal';

/** The relay could not be reached, or kept failing, for the whole retry window. */
export class RelayUnreachableError extends Error {
	override name = 'RelayUnreachableError';
	constructor(
		readonly url: string,
		readonly detail: string
	) {
		super(`cannot reach the relay at ${url} (${detail})`);
	}
}

/** The relay answered with a refusal that retrying cannot fix; `text` is its explanation. */
export class RelayRefusedError extends Error {
	override name = 'RelayRefusedError';
	constructor(
		readonly status: number,
		readonly text: string,
		what: string,
		/** Why the relay refused a request for a slot (its X-Relay-Refusal: token-missing, token-wrong, slot-unclaimed, slot-taken), where it says. */
		readonly reason?: string
	) {
		super(`the relay refused to ${what}: ${status}${text ? ` ${refusalText(text)}` : ''}`);
	}
}

/** The header in which the relay names why it refused a request for a slot. */
export const REFUSAL_HEADER = 'x-relay-refusal';

/** A refusal's text as a message shows it: a web page instead of the relay's plain text means the URL names no relay. */
function refusalText(text: string): string {
	if (/^\s*<(!doctype|html)/i.test(text)) return '(a web page, not a Polytune relay: check the URL, which is the relay\'s address alone or a session link)';
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * The relay no longer holds the session this run uses: it restarted without a shared store
 * (or its store lost its data), so the messages it held are gone and the run cannot finish.
 */
export class RelaySessionLostError extends Error {
	override name = 'RelaySessionLostError';
	constructor(
		readonly url: string,
		readonly session: string,
		detail: string
	) {
		super(
			`the relay at ${url} lost session '${session}' during the run (${detail}): it restarted without a shared store, or its store lost its data, so the messages it held are gone — start the run again (a relay with --store redis://… keeps sessions across restarts)`
		);
	}
}

/** A join was refused because another participant holds the slot (it joined with another slot token). */
export class SlotTakenError extends Error {
	override name = 'SlotTakenError';
	constructor(
		readonly session: string,
		readonly party: number,
		relayText: string
	) {
		super(relayText || `slot ${party} of session '${session}' is taken by another participant`);
	}
}

/**
 * What the client reads of an answer: a fetch Response has all of it, and so has the CLI's
 * lighter transport on node:http (src/node/http-fetch.ts), which needs no WHATWG streams.
 */
export interface RelayResponse {
	readonly status: number;
	readonly ok: boolean;
	readonly headers: { get(name: string): string | null };
	readonly body: { cancel(): Promise<void> } | null;
	arrayBuffer(): Promise<ArrayBuffer>;
	text(): Promise<string>;
	json(): Promise<unknown>;
}

/**
 * The request init the client passes: method, body (bytes), headers as a record, the signal.
 * To a fetch that `sendsParts`, a body of several parts comes as `bodyParts` instead.
 */
export type RelayRequestInit = Pick<RequestInit, 'method' | 'body' | 'signal' | 'cache'> & { headers?: Record<string, string>; bodyParts?: readonly Uint8Array[] };

export type Fetch = ((input: string, init: RelayRequestInit) => Promise<RelayResponse>) & {
	/**
	 * It sends `bodyParts` one after another as the body. Any other fetch gets the parts joined
	 * into one array: a copy, in fresh memory for a large body.
	 */
	readonly sendsParts?: boolean;
};

export interface RelayClientOptions {
	/** The relay's base URL, e.g. `http://127.0.0.1:8000` (a trailing slash is ignored). */
	url: string;
	/** `fetch` to use; tests inject one. Default: the global `fetch`. */
	fetch?: Fetch;
	/** How long transient failures are retried, from the start of the first failed attempt, before giving up. Default 2 minutes. */
	retryWindowMs?: number;
	/** Cancels every request and wait. */
	signal?: AbortSignal;
}

export interface RequestOptions {
	/** The body: bytes, or bytes in parts (a mailbox request and the messages it carries, unjoined). */
	body?: Uint8Array | readonly Uint8Array[];
	/** Overrides the client's retry window for this request (e.g. short for the first contact). */
	retryWindowMs?: number;
	/** How long to keep retrying 429 (a full session drains as its parties receive). Default: the retry window. */
	busyWindowMs?: number;
	/** Gives up on one attempt after this long (a hung connection) and tries again. */
	attemptTimeoutMs?: number;
	/** The slot token of the party the request acts for (sent as X-Relay-Token). */
	token?: string;
	/** Cancels this request (besides the client's own signal). */
	signal?: AbortSignal;
	/**
	 * Reads a 2xx answer's body within the retries, so that a connection that breaks while the
	 * body arrives is retried like one that breaks before (for requests that may be repeated).
	 */
	readAnswer?: boolean;
	/** What the request does, for error messages: "join the session". */
	what: string;
	/** The relay may hold the answer (a long poll): its time says nothing about the network's round trip. */
	waits?: boolean;
}

/** What a relay offers beyond the original API, as its participant list tells. */
export interface RelayCapabilities {
	/** It checks slot tokens and clears a slot's queue when it is claimed. */
	slotTokens: boolean;
	/** It has the mailbox endpoint (POST /exchange), in this version of its body format; 0 = none. */
	exchange: number;
	/** Its mailbox holds a request's frames until the parties it names are there (`?until=`). */
	holds: boolean;
	/** The largest request body it takes, where it says. */
	maxBytes?: number;
	/** The joined parties, ascending, as the same answer lists them. */
	participants: number[];
}

/** Waiting for the participant list to change (a relay extension; the original answers at once). */
export interface ParticipantsChange {
	/** The list the caller knows. */
	known: readonly number[];
	/** How long the relay may wait for a change. */
	waitMs: number;
}

/** The request header of a slot token, and the participant-list headers of a relay's extensions (docs/relay.md). */
const TOKEN_HEADER = 'X-Relay-Token';
const SLOT_TOKENS_HEADER = 'X-Relay-Slot-Tokens';
const EXCHANGE_HEADER = 'X-Relay-Exchange';
const MAX_BYTES_HEADER = 'X-Relay-Max-Bytes';
const HOLD_HEADER = 'X-Relay-Hold';
const SLOT_TOKEN_BYTES = 16;

/**
 * A fresh slot token: the secret that holds a participant's slot on the relay for one run.
 * Whoever knows a session's name cannot act for a slot without it once the session uses
 * tokens (docs/relay.md).
 */
export function newSlotToken(): string {
	return bytesToHex(crypto.getRandomValues(new Uint8Array(SLOT_TOKEN_BYTES)));
}

const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 5000;
/**
 * Long enough for a network (or relay) that is away for 60 s, even when it went away during a
 * long poll whose attempt only gives up ANSWER_GRACE_MS after its wait (25 s + 30 s).
 */
export const DEFAULT_RETRY_WINDOW_MS = 120_000;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
/** A long poll that has not answered this long after its wait is presumed hung. */
export const ANSWER_GRACE_MS = 30_000;

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason as Error);
		const done = () => {
			signal?.removeEventListener('abort', cancel);
			resolve();
		};
		const timer = setTimeout(done, ms);
		const cancel = () => {
			clearTimeout(timer);
			reject(signal!.reason as Error);
		};
		signal?.addEventListener('abort', cancel, { once: true });
	});
}

/** What went wrong with a fetch, in a few words: `ECONNREFUSED`, `fetch failed`. */
function networkDetail(error: unknown): string {
	const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
	if (typeof cause?.code === 'string') return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
	if (typeof cause?.message === 'string') return cause.message;
	return error instanceof Error ? error.message : String(error);
}

export class RelayClient {
	readonly url: string;
	private readonly fetch: Fetch;
	private readonly retryWindowMs: number;
	readonly signal: AbortSignal | undefined;
	/**
	 * The shortest time a request that the relay answers at once took from start to answer: an
	 * estimate of the round trip to the relay (undefined before the first such answer).
	 */
	quickestMs: number | undefined;
	/** See `unreachable`. */
	private silent: { since: number; detail: string } | undefined;

	constructor(options: RelayClientOptions) {
		this.url = options.url.replace(/\/+$/, '');
		this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
		this.retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
		this.signal = options.signal;
	}

	/**
	 * `PUT /join/{session}/{party}`; again later, it tells the relay the party is still there.
	 * With a token it claims the party's slot (or renews the claim); SlotTakenError when
	 * another participant holds it.
	 */
	async join(session: string, party: number, options: Partial<RequestOptions> = {}): Promise<void> {
		const what = 'join the session';
		// The (empty) answer is read, so that a browser does not log every heartbeat as aborted when its attempt's timeout fires.
		const response = await this.request('PUT', path('join', session, party), { what, readAnswer: true, ...options });
		if (response.status === 409 && options.token !== undefined) throw new SlotTakenError(session, party, (await response.text().catch(() => '')).trim());
		if (!response.ok) throw await refusal(response, what);
	}

	/** `DELETE /join/{session}/{party}`: the party no longer counts as joined, and its slot is free. */
	async leave(session: string, party: number, token?: string): Promise<void> {
		await this.expectOk('DELETE', path('join', session, party), { what: 'leave the session', token, readAnswer: true });
	}

	/**
	 * What the relay offers beyond the original API (slot tokens, the mailbox), from the
	 * headers of its participant list (the original relay sends none of them), and the list:
	 * with `activeMs`, the parties seen that recently (a relay extension).
	 */
	async capabilities(session: string, activeMs?: number, options: Partial<RequestOptions> = {}): Promise<RelayCapabilities> {
		const search = activeMs === undefined ? '' : `?active=${Math.round(activeMs)}`;
		const response = await this.expectOk('GET', `${path('participants', session)}${search}`, { what: 'list the parties', ...options });
		const participants = partyList(await response.json().catch(() => undefined), response.status);
		const exchange = Number(response.headers.get(EXCHANGE_HEADER) ?? 0);
		const maxBytes = Number(response.headers.get(MAX_BYTES_HEADER) ?? NaN);
		return {
			slotTokens: response.headers.get(SLOT_TOKENS_HEADER) === '1',
			exchange: Number.isInteger(exchange) && exchange > 0 ? exchange : 0,
			holds: response.headers.get(HOLD_HEADER) === '1',
			...(Number.isInteger(maxBytes) && maxBytes > 0 ? { maxBytes } : {}),
			participants
		};
	}

	/**
	 * Joined parties, ascending; with `activeMs` (a relay extension) only those seen that
	 * recently; with `change`, our relay waits up to `change.waitMs` for the list to differ from
	 * `change.known` (the original relay answers at once).
	 */
	async participants(session: string, activeMs?: number, change?: ParticipantsChange, options: Partial<RequestOptions> = {}): Promise<number[]> {
		const query = new URLSearchParams();
		if (activeMs !== undefined) query.set('active', String(Math.round(activeMs)));
		if (change) {
			query.set('wait', String(Math.max(0, Math.round(change.waitMs))));
			query.set('known', change.known.join(','));
		}
		const search = query.size > 0 ? `?${query}` : '';
		const attemptTimeoutMs = change ? change.waitMs + ANSWER_GRACE_MS : undefined;
		const response = await this.expectOk('GET', `${path('participants', session)}${search}`, { what: 'list the parties', attemptTimeoutMs, waits: change !== undefined, ...options });
		return partyList(await response.json(), response.status);
	}

	/** The session's info blob, or undefined when it has none. */
	async getInfo(session: string): Promise<Uint8Array | undefined> {
		const response = await this.request('GET', path('info', session), { what: 'send the session info' });
		if (response.status === 404) return undefined;
		if (!response.ok) throw await refusal(response, 'send the session info');
		return new Uint8Array(await response.arrayBuffer());
	}

	/** Sets the session's info blob once; false if it already holds different bytes. */
	async putInfo(session: string, info: Uint8Array): Promise<boolean> {
		const response = await this.request('PUT', path('info', session), { what: 'store the session info', body: info });
		if (response.status === 409) return false;
		if (!response.ok) throw await refusal(response, 'store the session info');
		return true;
	}

	/** A 2xx answer, or RelayRefusedError. */
	async expectOk(method: string, pathAndQuery: string, options: RequestOptions): Promise<RelayResponse> {
		const response = await this.request(method, pathAndQuery, options);
		if (!response.ok) throw await refusal(response, options.what);
		return response;
	}

	/**
	 * One request, retried while the failure is transient. Resolves with any answer that is
	 * not 5xx or 429 (the caller decides what a 4xx means); rejects with RelayUnreachableError
	 * or RelayRefusedError once the retry window is over, or with the abort reason.
	 */
	async request(method: string, pathAndQuery: string, options: RequestOptions): Promise<RelayResponse> {
		// The request's own stop signal (not AbortSignal.any: see any-signal.ts), released when it
		// returns; a body read after that is bounded by the attempt's timeout.
		const stopping = anySignal(this.signal, options.signal);
		try {
			return await this.attempts(method, pathAndQuery, options, bodyInit(this.fetch, options.body), stopping.signal);
		} finally {
			stopping.release();
		}
	}

	/**
	 * Since when (Date.now()) the relay has not answered any request, and why, while that lasts:
	 * every attempt since failed without an answer (an answer of any status ends it).
	 */
	unreachable(): { since: number; detail: string } | undefined {
		return this.silent;
	}

	/** The attempts of `request` until one answers, the retry window is over or `stop` aborts. */
	private async attempts(method: string, pathAndQuery: string, options: RequestOptions, body: Pick<RelayRequestInit, 'body' | 'bodyParts'>, stop: AbortSignal | undefined): Promise<RelayResponse> {
		const window = options.retryWindowMs ?? this.retryWindowMs;
		const busyWindow = options.busyWindowMs ?? window;
		/** When the first failed attempt started: the window counts from there, not from a long poll's legitimate wait. */
		let failingSince: number | undefined;
		let delay = FIRST_RETRY_MS;
		for (;;) {
			stop?.throwIfAborted();
			const attempt = AbortSignal.timeout(options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
			const attemptStarted = Date.now();
			let failure: Error;
			let busy = false;
			try {
				const response = await this.fetch(`${this.url}${pathAndQuery}`, {
					method,
					...body,
					headers: headersOf(options),
					signal: stop ? AbortSignal.any([stop, attempt]) : attempt,
					cache: 'no-store'
				});
				this.silent = undefined;
				if (!options.waits) this.quickestMs = Math.min(this.quickestMs ?? Infinity, Date.now() - attemptStarted);
				if (response.ok && options.readAnswer) return withBodyRead(response, await response.arrayBuffer());
				if (response.status < 500 && response.status !== 429) return response;
				busy = response.status === 429;
				failure = await refusal(response, options.what);
			} catch (error) {
				stop?.throwIfAborted();
				const detail = attempt.aborted ? 'no answer in time' : networkDetail(error);
				failure = new RelayUnreachableError(this.url, detail);
				this.silent = { since: this.silent?.since ?? attemptStarted, detail };
			}
			failingSince ??= attemptStarted;
			if (Date.now() - failingSince + delay > (busy ? busyWindow : window)) throw failure;
			await sleep(delay, stop);
			delay = Math.min(delay * 2, LONGEST_RETRY_MS);
		}
	}
}

/** A participant list as the relay answers it (a JSON array of party numbers), or a refusal that says it is not one. */
function partyList(parties: unknown, status: number): number[] {
	if (!Array.isArray(parties) || !parties.every((p) => Number.isInteger(p))) {
		throw new RelayRefusedError(status, 'participants is not a list of party numbers', 'list the parties');
	}
	return parties as number[];
}

/** The body as `fetch` takes it: parts as they are where it sends parts, else one array. */
function bodyInit(fetch: Fetch, body: RequestOptions['body']): Pick<RelayRequestInit, 'body' | 'bodyParts'> {
	if (body === undefined || body instanceof Uint8Array) return { body: body as BodyInit | undefined };
	return fetch.sendsParts ? { bodyParts: body } : { body: concatBytes(...body) as BodyInit };
}

/** A request's headers: the type of its body and its slot token, where it has them. */
function headersOf({ body, token }: RequestOptions): Record<string, string> | undefined {
	if (!body && token === undefined) return undefined;
	return { ...(body ? { 'content-type': 'application/octet-stream' } : {}), ...(token !== undefined ? { [TOKEN_HEADER]: token } : {}) };
}

/** `response` with its body read already (`bytes`): reading it again costs no copy and cannot fail. */
function withBodyRead({ status, ok, headers }: RelayResponse, bytes: ArrayBuffer): RelayResponse {
	const text = async () => new TextDecoder().decode(bytes);
	return { status, ok, headers, body: null, arrayBuffer: async () => bytes, text, json: async () => JSON.parse(await text()) as unknown };
}

/** A RelayRefusedError with the relay's text answer. */
export async function refusal(response: RelayResponse, what: string): Promise<RelayRefusedError> {
	return refusalWith(response, await response.text().catch(() => ''), what);
}

/** The same, where the answer's text has been read already. */
export function refusalWith(response: RelayResponse, text: string, what: string): RelayRefusedError {
	return new RelayRefusedError(response.status, text.trim().slice(0, 300), what, response.headers.get(REFUSAL_HEADER) ?? undefined);
}

/** `/join/my%20session/0`: path segments escaped. */
export function path(...segments: (string | number)[]): string {
	return segments.map((s) => `/${encodeURIComponent(s)}`).join('');
}
