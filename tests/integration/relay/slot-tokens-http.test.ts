// Slot tokens over HTTP (issue 12): the built relay (`polytune serve`), with the memory store and with Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSlotToken } from '../../../src/lib/channel/relay-client';
import { startRedis, startRelay, type StartedRedis, type StartedRelay } from '../../helpers';
import { OriginalPollingClient } from './original-client';

let redis: StartedRedis;
const relays: Record<'memory' | 'redis', StartedRelay> = {} as never;

beforeAll(async () => {
	redis = await startRedis();
	[relays.memory, relays.redis] = await Promise.all([startRelay(), startRelay({ args: ['--store', redis.url] })]);
});

afterAll(async () => {
	await Promise.all(Object.values(relays).map((relay) => relay?.stop()));
	await redis?.stop();
});

let counter = 0;
/** A new session name per test, so tests on a shared relay never meet. */
const fresh = () => `tok${++counter}-${Date.now()}`;
const text = (s: string) => new TextEncoder().encode(s);

describe.each(['memory', 'redis'] as const)('slot tokens over HTTP, %s store', (store) => {
	const base = () => relays[store].url;
	/** One request with the token (if any) in X-Relay-Token. */
	const call = (method: string, path: string, token?: string, body?: Uint8Array) =>
		fetch(`${base()}${path}`, { method, body: body as Uint8Array<ArrayBuffer> | undefined, headers: token === undefined ? {} : { 'X-Relay-Token': token } });
	const answer = async (response: Response) => ({ status: response.status, text: await response.text() });

	it('refuses join, leave, send and receive without the token (401) or with another (403), and takes nothing off the queue', async () => {
		const s = fresh();
		const [zero, one, outsider] = [newSlotToken(), newSlotToken(), newSlotToken()];
		expect((await call('PUT', `/join/${s}/0`, zero)).status).toBe(200);
		expect((await call('PUT', `/join/${s}/1`, one)).status).toBe(200);
		expect((await call('POST', `/send/${s}/0/1`, zero, text('output share'))).status).toBe(200);

		const missing = `session '${s}' uses slot tokens: a request for slot 1 needs the X-Relay-Token its participant joined with`;
		expect(await answer(await call('POST', `/recv/${s}/0/1`))).toEqual({ status: 401, text: missing });
		expect(await answer(await call('POST', `/recv/${s}/0/1?wait=1000`))).toEqual({ status: 401, text: missing });
		expect(await answer(await call('POST', `/send/${s}/1/0`, undefined, text('forged')))).toEqual({ status: 401, text: missing });
		expect(await answer(await call('DELETE', `/join/${s}/1`))).toEqual({ status: 401, text: missing });
		expect(await answer(await call('PUT', `/join/${s}/1`))).toEqual({ status: 401, text: missing });

		const wrong = `slot 1 of session '${s}' is held by another participant: this X-Relay-Token is not the one it joined with`;
		for (const token of [outsider, zero]) {
			expect(await answer(await call('POST', `/recv/${s}/0/1`, token))).toEqual({ status: 403, text: wrong });
			expect(await answer(await call('POST', `/send/${s}/1/0`, token, text('forged')))).toEqual({ status: 403, text: wrong });
			expect(await answer(await call('DELETE', `/join/${s}/1`, token))).toEqual({ status: 403, text: wrong });
		}
		const taken = await answer(await call('PUT', `/join/${s}/1`, outsider));
		expect(taken.status).toBe(409);
		expect(taken.text).toMatch(new RegExp(`^slot 1 of session '${s}' is taken by another participant: .*RELAY_SLOT_LEASE_SECONDS`));

		// Nothing was taken, nothing forged was queued, nobody was removed.
		expect(await (await fetch(`${base()}/participants/${s}`)).json()).toEqual([0, 1]);
		expect(await answer(await call('POST', `/recv/${s}/0/1`, one))).toEqual({ status: 200, text: 'output share' });
		const empty = await call('POST', `/recv/${s}/1/0`, zero);
		expect(empty.status).toBe(400);
		expect(empty.headers.get('x-relay-empty')).toBe('1');
	});

	it('renews a claim with the same token, frees the slot on leave with it, and then lets another token claim it', async () => {
		const s = fresh();
		const [first, second] = [newSlotToken(), newSlotToken()];
		for (let beat = 0; beat < 3; beat++) expect((await call('PUT', `/join/${s}/2`, first)).status).toBe(200);
		expect((await call('PUT', `/join/${s}/2`, second)).status).toBe(409);
		expect((await call('DELETE', `/join/${s}/2`, first)).status).toBe(200);
		expect(await (await fetch(`${base()}/participants/${s}`)).json()).toEqual([]);
		expect((await call('PUT', `/join/${s}/2`, second)).status).toBe(200);
		expect((await call('POST', `/recv/${s}/0/2`, first)).status).toBe(403);
		expect(await (await fetch(`${base()}/participants/${s}`)).json()).toEqual([2]);
	});

	it("drops an earlier run's leftovers when a slot is claimed, but keeps what is queued on a renewal", async () => {
		const s = fresh();
		for (const leftover of ['old 1', 'old 2']) expect((await call('POST', `/send/${s}/0/1`, undefined, text(leftover))).status).toBe(200);
		const [zero, one] = [newSlotToken(), newSlotToken()];
		expect((await call('PUT', `/join/${s}/1`, one)).status).toBe(200);
		expect((await call('POST', `/recv/${s}/0/1`, one)).status).toBe(400);
		expect((await call('PUT', `/join/${s}/0`, zero)).status).toBe(200);
		expect((await call('POST', `/send/${s}/0/1`, zero, text('new'))).status).toBe(200);
		expect((await call('PUT', `/join/${s}/1`, one)).status).toBe(200);
		expect(await answer(await call('POST', `/recv/${s}/0/1`, one))).toEqual({ status: 200, text: 'new' });
	});

	it('keeps participants and info public, marks itself as checking tokens, and refuses a malformed token (400)', async () => {
		const s = fresh();
		expect((await call('PUT', `/join/${s}/0`, newSlotToken())).status).toBe(200);
		const participants = await fetch(`${base()}/participants/${s}`);
		expect(participants.headers.get('x-relay-slot-tokens')).toBe('1');
		expect(await participants.json()).toEqual([0]);
		expect((await fetch(`${base()}/info/${s}`, { method: 'PUT', body: text('sealed program') })).status).toBe(200);
		expect(await (await fetch(`${base()}/info/${s}`)).text()).toBe('sealed program');
		const bad = await answer(await call('PUT', `/join/${s}/1`, 'short'));
		expect(bad.status).toBe(400);
		expect(bad.text).toContain('bad X-Relay-Token header');
	});

	it('works unchanged with clients written like the original on a session without tokens', async () => {
		const s = fresh();
		const [a, b] = [new OriginalPollingClient(base(), s, 0), new OriginalPollingClient(base(), s, 1)];
		await Promise.all([a.join(), b.join()]);
		expect(await a.participants()).toBe(2);
		await a.sendBytesTo(1, text('hello'));
		await b.sendBytesTo(0, text('back'));
		expect(new TextDecoder().decode(await b.recvBytesFrom(0))).toBe('hello');
		expect(new TextDecoder().decode(await a.recvBytesFrom(1))).toBe('back');
	});

	it('refuses clients written like the original once the session uses tokens', async () => {
		const s = fresh();
		expect((await call('PUT', `/join/${s}/0`, newSlotToken())).status).toBe(200);
		const original = new OriginalPollingClient(base(), s, 1);
		await expect(original.sendBytesTo(0, text('x'))).rejects.toThrow('UnexpectedStatusCode(401)');
		await expect(original.recvBytesFrom(0)).rejects.toThrow('UnexpectedStatusCode(401)');
	});
});
