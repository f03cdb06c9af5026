import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Fetch, RelayRequestInit, RelayResponse } from '../lib/channel/relay-client';

/**
 * The CLI's transport to the relay: RelayClient's `fetch` on node:http(s), with keep-alive
 * connections. A party makes a few dozen requests in a process that lives for one run; Node's
 * `fetch` (undici, with WHATWG streams, Request, Response and Headers objects around every
 * request) costs it several times the CPU of node:http, most of it running code the JIT has not
 * compiled yet (docs/engine.md, "A party process's CPU"). The answer is read whole before the
 * promise resolves, so the request's signal covers the body too. Failures look like fetch's:
 * a TypeError whose cause is the network error (its `code`, e.g. ECONNREFUSED).
 */
export const httpFetch: Fetch = Object.assign((input: string, init: RelayRequestInit) => {
	const method = init.method ?? 'GET';
	const signal = init.signal ?? undefined;
	// What cannot be sent rejects, as with fetch (a throw in here does).
	return new Promise<RelayResponse>((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason as Error);
		const url = new URL(input);
		const secure = url.protocol === 'https:';
		if (!secure && url.protocol !== 'http:') throw new TypeError(`httpFetch: only http and https URLs, got ${url.protocol}`);
		const body = init.bodyParts ?? bodyParts(init.body);
		// As fetch: a request that may carry a body says how long it is, also when it has none.
		const length = body?.reduce((sum, part) => sum + part.length, 0) ?? (method === 'GET' || method === 'HEAD' ? undefined : 0);
		const request = (secure ? httpsRequest : httpRequest)(url, {
			method,
			headers: { ...init.headers, ...(length !== undefined ? { 'content-length': String(length) } : {}) },
			agent: secure ? httpsAgent : httpAgent
		});
		let settled = false;
		const abort = () => request.destroy(signal!.reason as Error);
		const settle = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			signal?.removeEventListener('abort', abort);
			outcome();
		};
		const fail = (error: Error) => settle(() => reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: error })));
		signal?.addEventListener('abort', abort, { once: true });
		request.on('error', fail);
		request.once('response', (response: IncomingMessage) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', fail);
			response.once('end', () => settle(() => resolve(answer(response, chunks))));
			response.once('close', () => fail(new Error('the connection closed before the answer was complete')));
		});
		// The parts one after another: Node gathers the writes of one turn into one writev.
		for (const part of body ?? []) request.write(part);
		request.end();
	});
}, { sendsParts: true });

/** Keep-alive connections, as fetch keeps them; idle ones do not hold the process open. */
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** The body as parts: RelayClient sends bytes (in parts, as `bodyParts`) or nothing. */
function bodyParts(body: RelayRequestInit['body']): Uint8Array[] | undefined {
	if (body === undefined || body === null) return undefined;
	if (body instanceof Uint8Array) return [body];
	if (typeof body === 'string') return [new TextEncoder().encode(body)];
	throw new TypeError('httpFetch: a request body must be bytes or a string');
}

/** The answer, its body in one ArrayBuffer of its own (one copy: of the chunks as they came). */
function answer(response: IncomingMessage, chunks: Buffer[]): RelayResponse {
	const status = response.statusCode ?? 0;
	const headers = response.headers;
	let bytes: ArrayBuffer | undefined;
	const arrayBuffer = () => {
		if (!bytes) {
			const whole = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
			let offset = 0;
			for (const chunk of chunks) {
				whole.set(chunk, offset);
				offset += chunk.length;
			}
			bytes = whole.buffer;
		}
		return bytes;
	};
	const text = () => new TextDecoder().decode(arrayBuffer());
	return {
		status,
		ok: status >= 200 && status < 300,
		headers: {
			get(name) {
				const value = headers[name.toLowerCase()];
				return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
			}
		},
		body: null,
		arrayBuffer: async () => arrayBuffer(),
		text: async () => text(),
		json: async () => JSON.parse(text()) as unknown
	};
}
