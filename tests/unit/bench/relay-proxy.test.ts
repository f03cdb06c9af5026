/** The delaying proxy of `npm run bench:relay`: it forwards bytes intact and counts requests per participant. */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantOf, RequestFramer, startDelayProxy } from '../../../bench/relay-proxy';

describe('RequestFramer', () => {
	const body = 'x\r\n\r\nPOST /send/s/9/9 HTTP/1.1\r\n\r\n';
	const stream = [
		'GET /participants/s HTTP/1.1\r\nHost: a\r\n\r\n',
		`POST /send/s/0/1 HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
		'POST /recv/s/1/0?wait=25000 HTTP/1.1\r\ncontent-length: 0\r\n\r\n',
		`PUT /join/s/2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n${body.length.toString(16)};ext=1\r\n${body}\r\n0\r\n\r\n`,
		'POST /send/s/2/0 HTTP/1.1\r\nTRANSFER-ENCODING: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n',
		'DELETE /join/s/2 HTTP/1.1\r\n\r\n'
	].join('');
	const paths = ['/participants/s', '/send/s/0/1', '/recv/s/1/0?wait=25000', '/join/s/2', '/send/s/2/0', '/join/s/2'];

	it('finds every request head, skipping Content-Length and chunked bodies that look like requests', () => {
		const seen: string[] = [];
		const sizes: (number | string)[] = [];
		new RequestFramer((path, bodyBytes) => (seen.push(path), sizes.push(bodyBytes))).push(Buffer.from(stream, 'latin1'));
		expect(seen).toEqual(paths);
		expect(sizes).toEqual([0, body.length, 0, 'chunked', 'chunked', 0]);
	});

	it('gives the same requests whatever the chunk boundaries of the stream', () => {
		const bytes = Buffer.from(stream, 'latin1');
		for (const size of [1, 2, 3, 7, 64]) {
			const seen: string[] = [];
			const framer = new RequestFramer((path) => seen.push(path));
			for (let at = 0; at < bytes.length; at += size) framer.push(bytes.subarray(at, at + size));
			expect(seen, `chunks of ${size} bytes`).toEqual(paths);
		}
	});
});

describe('participantOf', () => {
	it('names the joining party, the mailbox owner, the sender of a send and the receiver of a recv', () => {
		expect(participantOf('/join/my-session/2')).toBe(2);
		expect(participantOf('/join/s/255')).toBe(255);
		expect(participantOf('/send/s/1/0')).toBe(1);
		expect(participantOf('/recv/s/1/0?wait=25000')).toBe(0);
		expect(participantOf('/exchange/s/3?wait=25000&for=0,1')).toBe(3);
		expect(participantOf('/participants/s?active=20000')).toBeUndefined();
		expect(participantOf('/info/s')).toBeUndefined();
		expect(participantOf('/')).toBeUndefined();
	});
});

describe('startDelayProxy', () => {
	let server: Server;
	let port: number;
	// An echo server: answers every request with its method, path and body.
	beforeAll(async () => {
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => res.end(Buffer.concat([Buffer.from(`${req.method} ${req.url}\n`), ...chunks])));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	/** One request through `agent` (one keep-alive connection per agent: one participant). */
	const send = (agent: Agent, url: string, method: string, path: string, body?: Buffer) =>
		new Promise<Buffer>((resolve, reject) => {
			const req = request(`${url}${path}`, { method, agent }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve(Buffer.concat(chunks)));
			});
			req.on('error', reject);
			req.end(body);
		});

	it('forwards requests and answers intact, in order, and counts them for the participant each connection names', async () => {
		const proxy = await startDelayProxy({ host: '127.0.0.1', port }, 5);
		const [first, second] = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
		try {
			const large = Buffer.alloc(300_000, 7);
			expect((await send(first, proxy.url, 'GET', '/participants/s')).toString()).toBe('GET /participants/s\n');
			expect((await send(first, proxy.url, 'PUT', '/join/s/1', Buffer.from('hi'))).toString()).toBe('PUT /join/s/1\nhi');
			expect(await send(first, proxy.url, 'POST', '/recv/s/0/1', large)).toEqual(Buffer.concat([Buffer.from('POST /recv/s/0/1\n'), large]));
			expect((await send(second, proxy.url, 'POST', '/send/s/2/1', Buffer.from('abc'))).toString()).toBe('POST /send/s/2/1\nabc');

			const traffic = proxy.traffic();
			expect([...traffic.keys()].sort()).toEqual([1, 2]);
			expect(traffic.get(1)!.requests).toBe(3);
			expect(traffic.get(2)!.requests).toBe(1);
			expect(traffic.get(1)!.bytesUp).toBeGreaterThan(large.length);
			expect(traffic.get(1)!.bytesDown).toBeGreaterThan(large.length);
			expect(traffic.get(2)!.bytesUp).toBeLessThan(1000);
			expect(traffic.get(1)!.firstRequestAt).toBeLessThan(traffic.get(2)!.firstRequestAt);
		} finally {
			first.destroy();
			second.destroy();
			await proxy.close();
		}
	});

	it('traces every request and the start of its answer, with the time and the participant, when asked', async () => {
		const untraced = await startDelayProxy({ host: '127.0.0.1', port }, 0);
		const proxy = await startDelayProxy({ host: '127.0.0.1', port }, 20, { trace: true });
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			await send(agent, untraced.url, 'GET', '/participants/s');
			expect(untraced.trace()).toBe('');
			await send(agent, proxy.url, 'GET', '/participants/s');
			await send(agent, proxy.url, 'POST', '/exchange/s/3?wait=0', Buffer.from('frames'));
			const lines = proxy.trace().trimEnd().split('\n').map((line) => line.split('\t'));
			expect(lines.map(([, who, event, what]) => [who, event, what])).toEqual([
				['unknown', 'request', '/participants/s'],
				['unknown', 'answer', expect.stringMatching(/^\d+$/)],
				['3', 'request', '/exchange/s/3?wait=0'],
				['3', 'answer', expect.stringMatching(/^\d+$/)]
			]);
			const times = lines.map(([ms]) => Number(ms));
			expect(times.every((ms, i) => i === 0 || ms >= times[i - 1])).toBe(true);
			// An answer leaves the relay after the request reached it: one delay after the client sent it.
			expect(times[1] - times[0]).toBeGreaterThanOrEqual(19);
		} finally {
			agent.destroy();
			await Promise.all([untraced.close(), proxy.close()]);
		}
	});
});
