// A `fetch` served by the relay core in this process (no HTTP), with faults a test can inject:
// a network error before or after the relay did the work (a lost request or a lost answer),
// a status instead of the work, or the original relay's behaviour (no long poll, bare 400,
// no mailbox).
import { DEFAULT_CONFIG, type RelayConfig } from '../../../src/lib/server/relay/config';
import { RelayError } from '../../../src/lib/server/relay/errors';
import { MemoryStore } from '../../../src/lib/server/relay/memory-store';
import { encodeAnswer } from '../../../src/lib/channel/mailbox-wire';
import { parseAcks, parseCount, parseFrames, parseMillis, parseParty, parsePartyList, parseQueue, parseSession, parseToken } from '../../../src/lib/server/relay/params';
import { Relay } from '../../../src/lib/server/relay/relay';
import type { Fetch } from '../../../src/lib/channel/relay-client';

export interface RelayRequest {
	method: string;
	/** The path without the query, e.g. `/send/s/0/1`. */
	path: string;
	/** How many requests came before this one. */
	index: number;
}

/** `twice`: the relay does the work twice (a request repeated on the way), the client gets the first answer. */
export type Fault = 'lose-request' | 'lose-answer' | 'twice' | { status: number; text?: string } | undefined;

export interface RelayFetchOptions {
	config?: Partial<RelayConfig>;
	/** Called for every request; its answer decides what happens to it. */
	fault?: (request: RelayRequest) => Fault;
	/** Behave as the original Polytune relay: `?wait=` and slot tokens ignored, "nothing queued" is a bare 400, no mailbox. */
	original?: boolean;
	/** Behave as our relay before the mailbox: slot tokens and long polls, but no `/exchange` (and no `X-Relay-Exchange`). */
	noMailbox?: boolean;
}

export interface RelayFetch {
	fetch: Fetch;
	relay: Relay;
	requests: RelayRequest[];
	close(): Promise<void>;
}

function networkError(): TypeError {
	return Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
}

export function relayFetch(options: RelayFetchOptions = {}): RelayFetch {
	const config = { ...DEFAULT_CONFIG, ...options.config };
	const relay = new Relay(new MemoryStore(config), config);
	const requests: RelayRequest[] = [];

	async function serve(method: string, url: URL, body: Uint8Array, headers: Headers, signal: AbortSignal | undefined): Promise<Response> {
		const [route, ...params] = url.pathname.split('/').slice(1).map(decodeURIComponent);
		const token = options.original ? undefined : parseToken(headers);
		const empty = () => new Response(options.original ? '' : 'no message queued', { status: 400, headers: options.original ? {} : { 'X-Relay-Empty': '1' } });
		if (route === 'join' && (method === 'PUT' || method === 'DELETE')) {
			const [session, party] = [parseSession(params[0]), parseParty(params[1], 'party')];
			await (method === 'PUT' ? relay.join(session, party, token) : relay.leave(session, party, token));
			return new Response(null);
		}
		if (route === 'participants' && method === 'GET') {
			const waitMs = options.original ? undefined : parseMillis(url.searchParams, 'wait');
			const wait = waitMs === undefined ? undefined : { waitMs, known: parsePartyList(url.searchParams, 'known') ?? [], signal };
			const parties = await relay.participants(parseSession(params[0]), parseMillis(url.searchParams, 'active'), wait);
			const mailbox: Record<string, string> = options.noMailbox ? {} : { 'X-Relay-Exchange': '1', 'X-Relay-Hold': '1', 'X-Relay-Max-Bytes': String(config.maxMessageBytes) };
			return Response.json(parties, { headers: options.original ? {} : { 'X-Relay-Slot-Tokens': '1', ...mailbox } });
		}
		if (route === 'exchange' && method === 'POST' && !options.original && !options.noMailbox) {
			const query = url.searchParams;
			const answer = await relay.exchange({
				session: parseSession(params[0]),
				party: parseParty(params[1], 'party'),
				token,
				frames: parseFrames(body),
				acks: parseAcks(query),
				waitMs: parseMillis(query, 'wait'),
				maxAnswerBytes: parseCount(query, 'max', 'bytes'),
				awaited: parsePartyList(query, 'for'),
				gatherMs: parseMillis(query, 'gather'),
				until: query.has('until') ? { parties: parsePartyList(query, 'until') ?? [], activeWithinMs: parseMillis(query, 'active') } : undefined,
				signal
			});
			return new Response(encodeAnswer(answer) as Uint8Array<ArrayBuffer>);
		}
		const queue = () => parseQueue({ session: params[0], from: params[1], to: params[2] });
		if (route === 'send' && method === 'POST') {
			await relay.send(queue(), body, token);
			return new Response(null);
		}
		if (route === 'recv' && method === 'POST') {
			const waitMs = options.original ? 0 : parseMillis(url.searchParams, 'wait');
			const message = await relay.recv(queue(), { waitMs, signal, token });
			return message ? new Response(message as Uint8Array<ArrayBuffer>) : empty();
		}
		if (route === 'info') {
			const session = parseSession(params[0]);
			if (method === 'PUT') return new Response(null, { status: (await relay.putInfo(session, body)) === 'conflict' ? 409 : 200 });
			const info = await relay.getInfo(session);
			return info ? new Response(info as Uint8Array<ArrayBuffer>) : new Response('no info', { status: 404 });
		}
		return new Response('not found', { status: 404 });
	}

	const fetch: Fetch = async (input, init = {}) => {
		const url = new URL(input);
		const method = init.method ?? 'GET';
		const request = { method, path: url.pathname, index: requests.length };
		requests.push(request);
		const fault = options.fault?.(request);
		if (fault === 'lose-request') throw networkError();
		if (fault && typeof fault === 'object') return new Response(fault.text ?? '', { status: fault.status });
		const body = init.body ? new Uint8Array(init.body as Uint8Array) : new Uint8Array(0);
		let response: Response;
		try {
			response = await serve(method, url, body, new Headers(init.headers), init.signal ?? undefined);
			if (fault === 'twice') await serve(method, url, body, new Headers(init.headers), undefined).catch(() => undefined);
		} catch (error) {
			if (!(error instanceof RelayError)) throw error;
			response = new Response(error.message, { status: error.status, headers: error.reason ? { 'X-Relay-Refusal': error.reason } : {} });
		}
		init.signal?.throwIfAborted();
		if (fault === 'lose-answer') throw networkError();
		return response;
	};

	return { fetch, relay, requests, close: () => relay.close() };
}
