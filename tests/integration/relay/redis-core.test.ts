// The relay-core suite (tests/unit/relay/core-suite.ts) against the Redis store, on a real redis-server.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newSlotToken } from '../../../src/lib/channel/relay-client';
import { DEFAULT_CONFIG, type RelayConfig } from '../../../src/lib/server/relay/config';
import type { RelayError } from '../../../src/lib/server/relay/errors';
import { RedisStore } from '../../../src/lib/server/relay/redis-store';
import type { MailAnswer } from '../../../src/lib/channel/mailbox-wire';
import { Relay } from '../../../src/lib/server/relay/relay';
import { ITEM_OVERHEAD_BYTES } from '../../../src/lib/server/relay/store';
import { relayCoreSuite } from '../../unit/relay/core-suite';
import { startRedis, type StartedRedis } from '../../helpers';

let redis: StartedRedis;
let tests = 0;

beforeAll(async () => {
	redis = await startRedis();
});

afterAll(async () => {
	await redis?.stop();
});

// A key prefix per test keeps tests apart on the one Redis.
relayCoreSuite('redis', async (config) => new RedisStore(redis.url, config, { prefix: `test${++tests}:` }));

describe('Redis store across relay instances', () => {
	let opened: RedisStore[] = [];
	afterEach(async () => {
		await Promise.all(opened.map((store) => store.close()));
		opened = [];
	});
	/** Two relays in this process that share one prefix, as two relay processes would. */
	function twoRelays(overrides: Partial<RelayConfig> = {}): [Relay, Relay] {
		const config = { ...DEFAULT_CONFIG, ...overrides };
		const prefix = `shared${++tests}:`;
		const make = () => {
			const store = new RedisStore(redis.url, config, { prefix });
			opened.push(store);
			return new Relay(store, config);
		};
		return [make(), make()];
	}
	const q = (session: string, from: number, to: number) => ({ session, from, to });

	it('keeps caps exact under concurrent sends through two instances', async () => {
		const [a, b] = twoRelays({ maxSessionBytes: 100 * (10 + ITEM_OVERHEAD_BYTES) });
		const outcomes = await Promise.all(
			Array.from({ length: 200 }, (_, i) =>
				(i % 2 ? a : b).send(q('s', i % 4, 9), new Uint8Array(10)).then(
					() => 'ok',
					(error: RelayError) => error.status
				)
			)
		);
		expect(outcomes.filter((o) => o === 'ok')).toHaveLength(100);
		expect(outcomes.filter((o) => o === 429)).toHaveLength(100);
		let received = 0;
		for (let from = 0; from < 4; from++) while (await b.recv(q('s', from, 9))) received++;
		expect(received).toBe(100);
		await a.send(q('s', 0, 9), new Uint8Array(1000));
	});

	it('wakes a long poll on one instance when a message is sent through the other', async () => {
		const [a, b] = twoRelays();
		const started = performance.now();
		const pending = a.recv(q('s', 1, 2), { waitMs: 10_000 });
		setTimeout(() => void b.send(q('s', 1, 2), new TextEncoder().encode('across')), 100);
		expect(new TextDecoder().decode((await pending)!)).toBe('across');
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('gives a slot to exactly one of many tokens claiming it at once through two instances, and checks it on both', async () => {
		const [a, b] = twoRelays();
		const tokens = Array.from({ length: 20 }, () => newSlotToken());
		const outcomes = await Promise.all(
			tokens.map((token, i) =>
				(i % 2 ? a : b).join('s', 1, token).then(
					() => 'claimed',
					(error: RelayError) => error.status
				)
			)
		);
		expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 409)).toHaveLength(19);
		const holder = tokens[outcomes.indexOf('claimed')];
		const sender = newSlotToken();
		await a.join('s', 0, sender);
		await b.send(q('s', 0, 1), new TextEncoder().encode('share'), sender);
		for (const relay of [a, b]) {
			expect(await relay.recv(q('s', 0, 1)).catch((error: RelayError) => error.status)).toBe(401);
			expect(await relay.recv(q('s', 0, 1), { token: sender }).catch((error: RelayError) => error.status)).toBe(403);
		}
		expect(new TextDecoder().decode((await a.recv(q('s', 0, 1), { token: holder }))!)).toBe('share');
	});

	it('wakes a mailbox wait on one instance when frames arrive through the other, and keeps the frames until acknowledged on both', async () => {
		const [a, b] = twoRelays();
		const [t1, t2] = [newSlotToken(), newSlotToken()];
		await a.join('s', 1, t1);
		await b.join('s', 2, t2);
		const started = performance.now();
		const waiting = a.exchange({ session: 's', party: 2, token: t2, frames: [], acks: new Map(), waitMs: 10_000 });
		const frames = [1, 2].map((seq) => ({ peer: 2, seq, payload: new TextEncoder().encode(`frame ${seq}`) }));
		setTimeout(() => void b.exchange({ session: 's', party: 1, token: t1, frames, acks: new Map() }), 100);
		const seen = (answer: MailAnswer) => answer.frames.map((f) => `${f.peer}#${f.seq}:${new TextDecoder().decode(f.payload)}`);
		expect(seen(await waiting)).toEqual(['1#1:frame 1', '1#2:frame 2']);
		expect(performance.now() - started).toBeLessThan(5000);
		// A retry of the same frames through the other instance stores nothing new.
		await a.exchange({ session: 's', party: 1, token: t1, frames, acks: new Map() });
		expect(seen(await b.exchange({ session: 's', party: 2, token: t2, frames: [], acks: new Map([[1, 1]]) }))).toEqual(['1#2:frame 2']);
		// Frame 2 and its direction, each with the store's bookkeeping.
		expect(await a.health()).toMatchObject({ queuedBytes: 7 + 2 * ITEM_OVERHEAD_BYTES });
	});

	it('wakes a wait for participants on one instance when a party joins through the other', async () => {
		const [a, b] = twoRelays();
		const waiting = a.participants('s', undefined, { known: [], waitMs: 10_000 });
		setTimeout(() => void b.join('s', 3), 100);
		expect(await waiting).toEqual([3]);
	});

	it('gives session keys (slot tokens too) a Redis TTL and leaves no key behind once sessions expire', async () => {
		let now = 1_700_000_000_000;
		const config = { ...DEFAULT_CONFIG, sessionTtlMs: 60_000 };
		const prefix = `expiry${++tests}:`;
		const store = new RedisStore(redis.url, config, { prefix });
		opened.push(store);
		const relay = new Relay(store, config, () => now);
		await relay.join('s', 0);
		await relay.send(q('s', 0, 1), new Uint8Array(10));
		await relay.putInfo('s', new Uint8Array(5));
		const [t2, t3] = [newSlotToken(), newSlotToken()];
		await relay.join('s', 2, t2);
		await relay.join('s', 3, t3);
		await relay.exchange({ session: 's', party: 2, token: t2, frames: [{ peer: 3, seq: 1, payload: new Uint8Array(4) }], acks: new Map() });
		await relay.exchange({ session: 's', party: 3, token: t3, frames: [], acks: new Map([[0, 6]]) });
		const client = new Redis(redis.url);
		try {
			const sessionKeys = await client.keys(`${prefix}s:*`);
			const names = ['acked', 'epoch', 'info', 'm:2:3', 'mail', 'parties', 'q:0:1', 'queues', 'tokens'];
			expect(sessionKeys.sort()).toEqual(names.map((name) => `${prefix}s:s:${name}`));
			for (const key of sessionKeys) {
				const ttl = await client.pttl(key);
				expect(ttl).toBeGreaterThan(60_000);
				expect(ttl).toBeLessThanOrEqual(120_000);
			}
			// The message, the info, the frame and its direction (an acknowledgement of nothing counts nothing).
			expect(await client.get(`${prefix}total`)).toBe(String(19 + 3 * ITEM_OVERHEAD_BYTES));
			now += 60_001;
			expect(await relay.sweep()).toBe(1);
			expect(await client.keys(`${prefix}s:*`)).toEqual([]);
			expect(await client.get(`${prefix}total`)).toBe('0');
			expect(await client.zcard(`${prefix}sessions`)).toBe(0);
		} finally {
			client.disconnect();
		}
	});
});
