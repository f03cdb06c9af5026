// Several relay processes sharing one Redis (issue 7), and a Redis that goes away and comes back.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, startRelay, type StartedRedis, type StartedRelay } from '../../helpers';

const post = (url: string, body?: Uint8Array) => fetch(url, { method: 'POST', body: body as Uint8Array<ArrayBuffer> | undefined });

describe('two relays on one Redis', () => {
	let redis: StartedRedis;
	let a: StartedRelay;
	let b: StartedRelay;

	beforeAll(async () => {
		redis = await startRedis();
		[a, b] = await Promise.all([startRelay({ args: ['--store', redis.url] }), startRelay({ args: ['--store', redis.url] })]);
	});

	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
		await redis?.stop();
	});

	it('share sessions: joined through one, listed by the other; sent through one, received through the other', async () => {
		expect(a.port).not.toBe(b.port);
		expect(await (await fetch(`${a.url}/health`)).json()).toMatchObject({ ok: true, store: 'redis' });
		await fetch(`${a.url}/join/shared/0`, { method: 'PUT' });
		await fetch(`${b.url}/join/shared/1`, { method: 'PUT' });
		expect(await (await fetch(`${a.url}/participants/shared`)).json()).toEqual([0, 1]);
		expect(await (await fetch(`${b.url}/participants/shared`)).json()).toEqual([0, 1]);
		const big = new Uint8Array(randomBytes(3 * 1024 * 1024));
		for (const text of ['one', 'two']) expect((await post(`${a.url}/send/shared/0/1`, new TextEncoder().encode(text))).status).toBe(200);
		expect((await post(`${b.url}/send/shared/0/1`, big)).status).toBe(200);
		expect(await (await post(`${b.url}/recv/shared/0/1`)).text()).toBe('one');
		expect(await (await post(`${a.url}/recv/shared/0/1`)).text()).toBe('two');
		const received = Buffer.from(await (await post(`${a.url}/recv/shared/0/1`)).arrayBuffer());
		expect(received.equals(big)).toBe(true);
		const empty = await post(`${b.url}/recv/shared/0/1`);
		expect(empty.status).toBe(400);
		expect(empty.headers.get('x-relay-empty')).toBe('1');
	});

	it('wake a long poll on one relay when the message is sent through the other', async () => {
		const started = performance.now();
		const pending = post(`${b.url}/recv/wake/2/3?wait=10000`);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await post(`${a.url}/send/wake/2/3`, new TextEncoder().encode('across'))).status).toBe(200);
		const answer = await pending;
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('across');
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('keep the info blob set-once across relays', async () => {
		expect((await fetch(`${a.url}/info/blob`, { method: 'PUT', body: new Uint8Array([1, 2, 3]) })).status).toBe(200);
		expect((await fetch(`${b.url}/info/blob`, { method: 'PUT', body: new Uint8Array([9]) })).status).toBe(409);
		expect(new Uint8Array(await (await fetch(`${b.url}/info/blob`)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
	});
});

describe('a relay whose Redis goes away', () => {
	it('answers 503 while Redis is gone, says so in its log, and carries on once Redis is back', async () => {
		let redis = await startRedis();
		const relay = await startRelay({ args: ['--store', redis.url] });
		try {
			expect((await fetch(`${relay.url}/join/r/0`, { method: 'PUT' })).status).toBe(200);
			const port = redis.port;
			await redis.stop();
			await relay.process.waitFor(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/0/, 10_000);
			const during = await post(`${relay.url}/send/r/0/1`, new Uint8Array([1]));
			expect(during.status).toBe(503);
			expect(await during.text()).toMatch(/^relay store unavailable: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
			expect((await fetch(`${relay.url}/health`)).status).toBe(503);
			const started = performance.now();
			expect((await post(`${relay.url}/recv/r/0/1?wait=10000`)).status).toBe(503);
			expect(performance.now() - started).toBeLessThan(3000);
			redis = await startRedis({ port });
			await relay.process.waitFor(/connected to Redis at \S+ again/, 15_000);
			// A Redis without persistence comes back empty: the session starts anew.
			expect((await post(`${relay.url}/send/r/0/1`, new Uint8Array([7]))).status).toBe(200);
			const pending = post(`${relay.url}/recv/r/0/2?wait=10000`);
			await new Promise((resolve) => setTimeout(resolve, 300));
			await post(`${relay.url}/send/r/0/2`, new Uint8Array([8]));
			expect(new Uint8Array(await (await pending).arrayBuffer())).toEqual(new Uint8Array([8]));
			expect(new Uint8Array(await (await post(`${relay.url}/recv/r/0/1`)).arrayBuffer())).toEqual(new Uint8Array([7]));
		} finally {
			await relay.stop();
			await redis.stop();
		}
	});
});
