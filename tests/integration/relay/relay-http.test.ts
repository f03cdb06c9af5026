import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type StartedRelay } from '../../helpers';
import { OriginalPollingClient } from './original-client';

let relay: StartedRelay;
let base: string;
let counter = 0;
/** A new session name per test, so tests on the shared relay never meet. */
const fresh = () => `t${++counter}-${Date.now()}`;

const post = (path: string, body?: Uint8Array, headers?: Record<string, string>) =>
	fetch(`${base}${path}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer> | undefined, headers });
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

beforeAll(async () => {
	relay = await startRelay();
	base = relay.url;
});

afterAll(async () => {
	await relay?.stop();
});

describe('relay over HTTP (built server, `polytune serve`)', () => {
	it('prints exactly one listening line', () => {
		expect(relay.output().match(/polytune relay listening on/g)).toHaveLength(1);
	});

	it('joins, lists participants, sends and receives FIFO', async () => {
		const s = fresh();
		for (const party of [1, 0, 255]) expect((await fetch(`${base}/join/${s}/${party}`, { method: 'PUT' })).status).toBe(200);
		const participants = await fetch(`${base}/participants/${s}`);
		expect(participants.status).toBe(200);
		expect(await participants.json()).toEqual([0, 1, 255]);
		for (const text of ['one', 'two', 'three']) expect((await post(`/send/${s}/0/1`, new TextEncoder().encode(text))).status).toBe(200);
		for (const text of ['one', 'two', 'three']) {
			const answer = await post(`/recv/${s}/0/1`);
			expect(answer.status).toBe(200);
			expect(await answer.text()).toBe(text);
		}
	});

	it('answers an empty queue with 400 marked X-Relay-Empty, a bad request with 400 unmarked', async () => {
		const s = fresh();
		const empty = await post(`/recv/${s}/0/1`);
		expect(empty.status).toBe(400);
		expect(empty.headers.get('x-relay-empty')).toBe('1');
		expect(await empty.text()).toBe('no message queued');
		const bad = await post(`/recv/${s}/0/0`);
		expect(bad.status).toBe(400);
		expect(bad.headers.get('x-relay-empty')).toBeNull();
		expect(await bad.text()).toContain('cannot send to itself');
	});

	it('carries a 3 MiB binary body intact, with and without a Content-Type', async () => {
		const s = fresh();
		const big = new Uint8Array(randomBytes(3 * 1024 * 1024));
		expect((await post(`/send/${s}/0/1`, big)).status).toBe(200);
		expect((await post(`/send/${s}/0/1`, big, { 'content-type': 'application/octet-stream' })).status).toBe(200);
		for (let i = 0; i < 2; i++) {
			const answer = await post(`/recv/${s}/0/1`);
			expect(answer.status).toBe(200);
			expect(Buffer.from(await bytesOf(answer)).equals(Buffer.from(big))).toBe(true);
		}
	});

	it('carries an empty message as a message (200 with an empty body), not as "nothing queued"', async () => {
		const s = fresh();
		expect((await post(`/send/${s}/0/1`, new Uint8Array(0))).status).toBe(200);
		expect((await post(`/send/${s}/0/1`)).status).toBe(200);
		for (let i = 0; i < 2; i++) {
			const answer = await post(`/recv/${s}/0/1`);
			expect(answer.status).toBe(200);
			expect((await bytesOf(answer)).length).toBe(0);
		}
		expect((await post(`/recv/${s}/0/1`)).status).toBe(400);
	});

	it('delivers 200 concurrent sends exactly once each, in order per sender', async () => {
		const s = fresh();
		const senders = 8;
		const each = 25;
		const receive = async (from: number) => {
			const got: string[] = [];
			while (got.length < each) {
				const answer = await post(`/recv/${s}/${from}/99?wait=5000`);
				if (answer.status === 200) got.push(await answer.text());
				else expect(answer.headers.get('x-relay-empty')).toBe('1');
			}
			return got;
		};
		const receivers = Array.from({ length: senders }, (_, from) => receive(from));
		await Promise.all(
			Array.from({ length: senders }, async (_, from) => {
				for (let i = 0; i < each; i++) expect((await post(`/send/${s}/${from}/99`, new TextEncoder().encode(`${from}:${i}`))).status).toBe(200);
			})
		);
		const results = await Promise.all(receivers);
		results.forEach((got, from) => expect(got).toEqual(Array.from({ length: each }, (_, i) => `${from}:${i}`)));
		for (let from = 0; from < senders; from++) expect((await post(`/recv/${s}/${from}/99`)).status).toBe(400);
	});

	it('refuses bad party indices, session names and parameters with a 4xx that names the field, and stays up', async () => {
		const s = fresh();
		const cases: [string, string, number, RegExp][] = [
			['PUT', `/join/${s}/256`, 400, /^bad party "256": must be a party number, a whole number from 0 to 255/],
			['PUT', `/join/${s}/-1`, 400, /^bad party "-1"/],
			['PUT', `/join/bad%20name/0`, 400, /bad session name "bad name"/],
			['PUT', `/join/${'x'.repeat(129)}/0`, 400, /bad session name/],
			['POST', `/send/${s}/0/abc`, 400, /^bad to "abc"/],
			['POST', `/recv/${s}/1000/0`, 400, /^bad from "1000"/],
			['POST', `/recv/${s}/0/1?wait=soon`, 400, /bad wait "soon"/],
			['GET', `/participants/${s}?active=-5`, 400, /bad active/],
			// A parameter given twice would be half read: refused, naming it.
			['GET', `/participants/${s}?wait=10&wait=20`, 400, /^bad wait: given 2 times, give it once/],
			['POST', `/exchange/${s}/0?ack=1:1&ack=2:1`, 400, /^bad ack: given 2 times/]
		];
		for (const [method, path, status, text] of cases) {
			const answer = await fetch(`${base}${path}`, { method });
			expect(answer.status, `${method} ${path}`).toBe(status);
			expect(await answer.text()).toMatch(text);
		}
		expect((await fetch(`${base}/send/${s}/0/1`)).status).toBe(405);
		expect((await fetch(`${base}/health`)).status).toBe(200);
	});

	it('answers a path under the API that no endpoint takes with a plain 404 naming the endpoints there, and an unknown page with the app\'s', async () => {
		for (const [path, method, named] of [
			['/join/s', 'PUT', '/join/{session}/{party}'],
			['/exchange/s/0/extra', 'POST', '/exchange/{session}/{party}'],
			['/recv/s/0', 'POST', '/recv/{session}/{from}/{to}']
		] as const) {
			const answer = await fetch(`${base}${path}`, { method });
			expect(answer.status, path).toBe(404);
			expect(answer.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
			expect(await answer.text(), path).toBe(`no relay endpoint ${method} ${path}: the relay has ${named} (docs/relay.md)\n`);
		}
		const page = await fetch(`${base}/no-such-page`);
		expect(page.status).toBe(404);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
	});

	it('refuses a body over the message limit with 413 naming the limit, and stays up', async () => {
		const s = fresh();
		const tooBig = new Uint8Array(16 * 1024 * 1024 + 1);
		const answer = await post(`/send/${s}/0/1`, tooBig);
		expect(answer.status).toBe(413);
		expect(await answer.text()).toContain('RELAY_MAX_MESSAGE_BYTES');
		expect((await post(`/recv/${s}/0/1`)).status).toBe(400);
		expect((await post(`/send/${s}/0/1`, new Uint8Array(5))).status).toBe(200);
	});

	it('queues nothing from a client that goes away in the middle of its body', async () => {
		const s = fresh();
		const { hostname, port } = new URL(base);
		const socket = connect(Number(port), hostname);
		await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
		socket.write(`POST /send/${s}/0/1 HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(10)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
		socket.destroy();
		await new Promise((resolve) => setTimeout(resolve, 200));
		const answer = await post(`/recv/${s}/0/1`);
		expect(answer.status).toBe(400);
		expect(answer.headers.get('x-relay-empty')).toBe('1');
		expect((await fetch(`${base}/health`)).status).toBe(200);
	});

	it('holds a long poll until a message arrives, and ends it empty after the wait', async () => {
		const s = fresh();
		const started = performance.now();
		const pending = post(`/recv/${s}/2/3?wait=10000`);
		await new Promise((resolve) => setTimeout(resolve, 200));
		await post(`/send/${s}/2/3`, new TextEncoder().encode('hello'));
		const answer = await pending;
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('hello');
		expect(performance.now() - started).toBeLessThan(5000);
		const waited = performance.now();
		const empty = await post(`/recv/${s}/2/3?wait=300`);
		expect(empty.status).toBe(400);
		expect(empty.headers.get('x-relay-empty')).toBe('1');
		expect(performance.now() - waited).toBeGreaterThanOrEqual(280);
	});

	it('does not lose a message to a long poll whose client went away', async () => {
		const s = fresh();
		const client = new AbortController();
		const pending = fetch(`${base}/recv/${s}/0/1?wait=10000`, { method: 'POST', signal: client.signal }).catch(() => 'aborted');
		await new Promise((resolve) => setTimeout(resolve, 200));
		client.abort();
		expect(await pending).toBe('aborted');
		await new Promise((resolve) => setTimeout(resolve, 200));
		await post(`/send/${s}/0/1`, new TextEncoder().encode('kept'));
		const answer = await post(`/recv/${s}/0/1`);
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('kept');
	});

	it('tracks presence: leave frees the slot, ?active lists recently seen parties', async () => {
		const s = fresh();
		for (const party of [0, 1]) await fetch(`${base}/join/${s}/${party}`, { method: 'PUT' });
		await post(`/send/${s}/1/0`, new Uint8Array([1]));
		expect((await fetch(`${base}/join/${s}/1`, { method: 'DELETE' })).status).toBe(200);
		expect(await (await fetch(`${base}/participants/${s}`)).json()).toEqual([0]);
		expect(await bytesOf(await post(`/recv/${s}/1/0`))).toEqual(new Uint8Array([1]));
		await new Promise((resolve) => setTimeout(resolve, 300));
		await fetch(`${base}/join/${s}/2`, { method: 'PUT' });
		expect(await (await fetch(`${base}/participants/${s}?active=250`)).json()).toEqual([2]);
		expect(await (await fetch(`${base}/participants/${s}?active=60000`)).json()).toEqual([0, 2]);
	});

	it('stores a session info blob once', async () => {
		const s = fresh();
		const info = new Uint8Array(randomBytes(1000));
		expect((await fetch(`${base}/info/${s}`)).status).toBe(404);
		expect((await fetch(`${base}/info/${s}`, { method: 'PUT', body: info })).status).toBe(200);
		expect((await fetch(`${base}/info/${s}`, { method: 'PUT', body: info })).status).toBe(200);
		const conflict = await fetch(`${base}/info/${s}`, { method: 'PUT', body: new Uint8Array(3) });
		expect(conflict.status).toBe(409);
		expect(await conflict.text()).toContain('already has different info');
		const got = await fetch(`${base}/info/${s}`);
		expect(got.status).toBe(200);
		expect(await bytesOf(got)).toEqual(info);
		const tooBig = await fetch(`${base}/info/${fresh()}`, { method: 'PUT', body: new Uint8Array(1024 * 1024 + 1) });
		expect(tooBig.status).toBe(413);
		expect(await tooBig.text()).toContain('RELAY_MAX_INFO_BYTES');
	});

	it('reports its health as JSON, counting a session as soon as someone joins it', async () => {
		const health = async () => {
			const answer = await fetch(`${base}/health`);
			expect(answer.status).toBe(200);
			return (await answer.json()) as { ok: boolean; store: string; sessions: number };
		};
		const before = await health();
		expect(before).toMatchObject({ ok: true, store: 'memory' });
		expect((await fetch(`${base}/join/${fresh()}/0`, { method: 'PUT' })).status).toBe(200);
		expect((await health()).sessions).toBe(before.sessions + 1);
	});

	it('works unchanged with a client written like the original PollingHttpChannel', async () => {
		const s = fresh();
		const parties = [0, 1, 2];
		const clients = parties.map((party) => new OriginalPollingClient(base, s, party));
		const rounds = 3;
		const run = async (me: number) => {
			const client = clients[me];
			// Later parties join later, so that the first ones wait and retry on 400 as the original does.
			await new Promise((resolve) => setTimeout(resolve, me * 300));
			await client.join();
			while ((await client.participants()) < parties.length) await new Promise((resolve) => setTimeout(resolve, 100));
			const heard: string[] = [];
			for (let round = 0; round < rounds; round++) {
				for (const other of parties) if (other !== me) await client.sendBytesTo(other, new TextEncoder().encode(`${me}->${other}#${round}`));
				for (const other of parties) if (other !== me) heard.push(new TextDecoder().decode(await client.recvBytesFrom(other)));
			}
			return heard;
		};
		const heard = await Promise.all(parties.map(run));
		parties.forEach((me) => {
			const expected: string[] = [];
			for (let round = 0; round < rounds; round++) for (const other of parties) if (other !== me) expected.push(`${other}->${me}#${round}`);
			expect(heard[me]).toEqual(expected);
		});
	});
});
