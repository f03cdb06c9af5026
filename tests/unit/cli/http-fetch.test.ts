/** The CLI's transport to the relay (src/node/http-fetch.ts): what RelayClient reads of fetch, on node:http. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient, RelayUnreachableError, type Fetch, type RelayRequestInit } from '../../../src/lib/channel/relay-client';
import { httpFetch } from '../../../src/node/http-fetch';

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

describe('httpFetch', () => {
	let server: Server;
	let base: string;
	const seen: Seen[] = [];
	/** Answers by path: /echo returns the body with a header, /hang never answers, /cut sends half an answer and closes. */
	const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
		seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
		if (request.url === '/hang') return;
		if (request.url === '/cut') {
			response.writeHead(200, { 'content-length': '100' });
			response.write('only part');
			return setTimeout(() => response.socket?.destroy(), 20);
		}
		if (request.url === '/json') return response.writeHead(404, { 'content-type': 'application/json' }).end('[1,2]');
		response.writeHead(201, { 'x-answer': 'yes', 'set-cookie': ['a=1', 'b=2'] }).end(Buffer.concat([Buffer.from('got:'), body]));
	};

	beforeAll(async () => {
		server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => handle(request, response, Buffer.concat(chunks)));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	it('sends the method, headers and bytes, and gives the status, headers and body as fetch would', async () => {
		const body = new Uint8Array([0, 1, 2, 255]);
		const answer = await httpFetch(`${base}/echo?x=1`, { method: 'POST', body: body.subarray(1), headers: { 'x-relay-token': 't' } });
		const request = seen.at(-1)!;
		expect(request).toMatchObject({ method: 'POST', url: '/echo?x=1' });
		expect(request.headers['x-relay-token']).toBe('t');
		expect(request.headers['content-length']).toBe('3');
		expect([...request.body]).toEqual([1, 2, 255]);
		expect(answer.status).toBe(201);
		expect(answer.ok).toBe(true);
		expect(answer.headers.get('X-Answer')).toBe('yes');
		expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
		expect(answer.headers.get('x-missing')).toBeNull();
		expect([...new Uint8Array(await answer.arrayBuffer())]).toEqual([...Buffer.from('got:'), 1, 2, 255]);
		expect(await answer.text()).toBe('got:\u0001\u0002\ufffd');
	});

	it('sends a body in parts one after another, and RelayClient hands it a mailbox body unjoined', async () => {
		const large = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
		await httpFetch(`${base}/echo`, { method: 'POST', bodyParts: [Uint8Array.of(9), large, new Uint8Array(0), Uint8Array.of(8, 7)] });
		expect(seen.at(-1)!.headers['content-length']).toBe(String(large.length + 3));
		expect(seen.at(-1)!.body.equals(Buffer.concat([Buffer.of(9), large, Buffer.of(8, 7)]))).toBe(true);
		const given: RelayRequestInit[] = [];
		const watching = (sendsParts: boolean): Fetch => Object.assign((input: string, init: RelayRequestInit) => (given.push(init), httpFetch(input, init)), { sendsParts });
		const parts = [Uint8Array.of(1), large, Uint8Array.of(2)];
		for (const sendsParts of [true, false]) {
			await new RelayClient({ url: base, fetch: watching(sendsParts) }).request('POST', '/echo', { body: parts, what: 'echo' });
			expect(seen.at(-1)!.body.equals(Buffer.concat(parts))).toBe(true);
		}
		expect(given[0].bodyParts).toBe(parts);
		expect(given[0].body).toBeUndefined();
		expect(given[1].bodyParts).toBeUndefined();
		expect(given[1].body).toEqual(new Uint8Array(Buffer.concat(parts)));
	});

	it('says an empty body is empty where a body may come (PUT), as fetch does, and sends none with GET', async () => {
		await httpFetch(`${base}/echo`, { method: 'PUT' });
		expect(seen.at(-1)!.headers['content-length']).toBe('0');
		expect(seen.at(-1)!.headers['transfer-encoding']).toBeUndefined();
		await httpFetch(`${base}/echo`, {});
		expect(seen.at(-1)!.method).toBe('GET');
		expect(seen.at(-1)!.headers['content-length']).toBeUndefined();
	});

	it('reads JSON, and reports a 4xx as an answer, not a failure', async () => {
		const answer = await httpFetch(`${base}/json`, { method: 'GET' });
		expect(answer.ok).toBe(false);
		expect(answer.status).toBe(404);
		expect(await answer.json()).toEqual([1, 2]);
	});

	it('fails like fetch when nobody listens: a TypeError whose cause carries the code, which RelayClient names', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise((resolve) => closed.close(resolve));
		const failure = await httpFetch(`${url}/x`, { method: 'GET' }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect((failure as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
		const client = new RelayClient({ url, fetch: httpFetch, retryWindowMs: 0 });
		const refused = await client.participants('s').catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(RelayUnreachableError);
		expect((refused as Error).message).toContain('connection refused');
	});

	it('ends a request when its signal aborts, with the signal’s reason, also while the answer is on its way', async () => {
		const waiting = new AbortController();
		const hung = httpFetch(`${base}/hang`, { method: 'POST', body: new Uint8Array(1), signal: waiting.signal });
		setTimeout(() => waiting.abort(new Error('given up')), 50);
		await expect(hung).rejects.toThrow('given up');
		await expect(httpFetch(`${base}/echo`, { signal: AbortSignal.abort(new Error('before')) })).rejects.toThrow('before');
	});

	it('fails an answer that the connection cuts short instead of handing out part of it', async () => {
		const failure = await httpFetch(`${base}/cut`, { method: 'GET' }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TypeError);
		expect((failure as TypeError).message).toBe('fetch failed');
	});

	it('refuses what RelayClient never sends: another scheme, or a body that is not bytes or text', async () => {
		await expect(httpFetch('ftp://127.0.0.1/x', {})).rejects.toThrow('only http and https');
		await expect(httpFetch(`${base}/echo`, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow('bytes or a string');
	});
});
