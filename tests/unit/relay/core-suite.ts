// The relay-core behaviour every store must have; run against each store by its own test file.
import { afterEach, describe, expect, it } from 'vitest';
import { newSlotToken } from '../../../src/lib/channel/relay-client';
import { DEFAULT_CONFIG, type RelayConfig } from '../../../src/lib/server/relay/config';
import { RelayError } from '../../../src/lib/server/relay/errors';
import { Relay } from '../../../src/lib/server/relay/relay';
import type { QueueRef, RelayStore } from '../../../src/lib/server/relay/store';

/** Makes a fresh, empty store with `config`'s limits; the suite closes it after each test. */
export type StoreFactory = (config: RelayConfig) => Promise<RelayStore>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const msg = (text: string) => encoder.encode(text);
const str = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));
const q = (session: string, from: number, to: number): QueueRef => ({ session, from, to });

/** A clock the test moves by hand, for expiry and presence. */
class ManualClock {
	now = 1_700_000_000_000;
	read = () => this.now;
	advance(ms: number) {
		this.now += ms;
	}
}

async function refusal(promise: Promise<unknown>): Promise<RelayError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(RelayError);
	return error as RelayError;
}

export function relayCoreSuite(storeName: string, makeStore: StoreFactory): void {
	describe(`relay core on the ${storeName} store`, () => {
		let relays: Relay[] = [];
		const clock = new ManualClock();

		async function relayWith(overrides: Partial<RelayConfig> = {}): Promise<Relay> {
			const config = { ...DEFAULT_CONFIG, ...overrides };
			const relay = new Relay(await makeStore(config), config, clock.read);
			relays.push(relay);
			return relay;
		}

		afterEach(async () => {
			await Promise.all(relays.map((relay) => relay.close()));
			relays = [];
		});

		it('lists joined parties in ascending order, once each', async () => {
			const relay = await relayWith();
			expect(await relay.participants('s')).toEqual([]);
			for (const party of [2, 0, 255, 0]) await relay.join('s', party);
			expect(await relay.participants('s')).toEqual([0, 2, 255]);
			expect(await relay.participants('other')).toEqual([]);
		});

		it('delivers FIFO per direction, keeping sessions and directions apart', async () => {
			const relay = await relayWith();
			const sends: [QueueRef, string][] = [
				[q('a', 0, 1), 'a01-1'],
				[q('a', 1, 0), 'a10-1'],
				[q('a', 0, 1), 'a01-2'],
				[q('a', 0, 2), 'a02-1'],
				[q('b', 0, 1), 'b01-1'],
				[q('a', 0, 1), 'a01-3']
			];
			for (const [queue, text] of sends) await relay.send(queue, msg(text));
			const drain = async (queue: QueueRef) => {
				const got: (string | null)[] = [];
				for (let message = await relay.recv(queue); message; message = await relay.recv(queue)) got.push(str(message));
				return got;
			};
			expect(await drain(q('a', 0, 1))).toEqual(['a01-1', 'a01-2', 'a01-3']);
			expect(await drain(q('a', 1, 0))).toEqual(['a10-1']);
			expect(await drain(q('a', 0, 2))).toEqual(['a02-1']);
			expect(await drain(q('b', 0, 1))).toEqual(['b01-1']);
			expect(await relay.recv(q('a', 2, 0))).toBeNull();
			expect(await relay.recv(q('nowhere', 0, 1))).toBeNull();
		});

		it('keeps every byte value and empty messages intact', async () => {
			const relay = await relayWith();
			const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 7) % 256);
			await relay.send(q('s', 0, 1), all);
			await relay.send(q('s', 0, 1), new Uint8Array(0));
			expect([...(await relay.recv(q('s', 0, 1)))!]).toEqual([...all]);
			const empty = await relay.recv(q('s', 0, 1));
			expect(empty).not.toBeNull();
			expect(empty!.length).toBe(0);
			expect(await relay.recv(q('s', 0, 1))).toBeNull();
		});

		it('refuses a message over the message limit with 413, queueing nothing', async () => {
			const relay = await relayWith({ maxMessageBytes: 100 });
			await relay.send(q('s', 0, 1), new Uint8Array(100));
			const error = await refusal(relay.send(q('s', 0, 1), new Uint8Array(101)));
			expect(error.status).toBe(413);
			expect(error.message).toContain('RELAY_MAX_MESSAGE_BYTES');
			expect((await relay.recv(q('s', 0, 1)))!.length).toBe(100);
			expect(await relay.recv(q('s', 0, 1))).toBeNull();
		});

		it('caps the bytes one session holds (429), losing and reordering nothing, and frees space on receive', async () => {
			const relay = await relayWith({ maxSessionBytes: 30 });
			for (const text of ['0123456789', 'abcdefghij', 'ABCDEFGHIJ']) await relay.send(q('s', 0, 1), msg(text));
			const error = await refusal(relay.send(q('s', 2, 1), msg('x')));
			expect(error.status).toBe(429);
			expect(error.message).toContain('RELAY_MAX_SESSION_BYTES');
			await relay.send(q('other', 0, 1), msg('other session is fine'));
			expect(str(await relay.recv(q('s', 0, 1)))).toBe('0123456789');
			await relay.send(q('s', 0, 1), msg('after'));
			const rest = [await relay.recv(q('s', 0, 1)), await relay.recv(q('s', 0, 1)), await relay.recv(q('s', 0, 1))];
			expect(rest.map(str)).toEqual(['abcdefghij', 'ABCDEFGHIJ', 'after']);
		});

		it('caps the bytes of all sessions together (429)', async () => {
			const relay = await relayWith({ maxTotalBytes: 25 });
			await relay.send(q('a', 0, 1), msg('0123456789'));
			await relay.send(q('b', 0, 1), msg('0123456789'));
			const error = await refusal(relay.send(q('c', 0, 1), msg('0123456789')));
			expect(error.status).toBe(429);
			expect(error.message).toContain('RELAY_MAX_TOTAL_BYTES');
			await relay.recv(q('a', 0, 1));
			await relay.send(q('c', 0, 1), msg('0123456789'));
			expect(str(await relay.recv(q('b', 0, 1)))).toBe('0123456789');
			expect(str(await relay.recv(q('c', 0, 1)))).toBe('0123456789');
		});

		it('caps the number of live sessions (429) while existing sessions go on', async () => {
			const relay = await relayWith({ maxSessions: 2 });
			await relay.join('a', 0);
			await relay.send(q('b', 0, 1), msg('b'));
			for (const attempt of [relay.join('c', 0), relay.send(q('c', 0, 1), msg('c')), relay.putInfo('c', msg('info'))]) {
				const error = await refusal(attempt);
				expect(error.status).toBe(429);
				expect(error.message).toContain('RELAY_MAX_SESSIONS');
			}
			await relay.join('a', 1);
			await relay.send(q('b', 0, 1), msg('b2'));
			expect(await relay.participants('a')).toEqual([0, 1]);
			expect((await relay.health()).sessions).toBe(2);
		});

		it('expires a session idle for longer than the TTL, freeing its bytes and its slot', async () => {
			const ttl = 60_000;
			const relay = await relayWith({ sessionTtlMs: ttl, maxSessions: 1, maxTotalBytes: 10 });
			await relay.join('old', 0);
			await relay.send(q('old', 0, 1), msg('0123456789'));
			await relay.putInfo('old', new Uint8Array(0));
			clock.advance(ttl);
			expect(await relay.participants('old')).toEqual([0]); // exactly the TTL: still alive, and refreshed
			clock.advance(ttl + 1);
			expect(await relay.participants('old')).toEqual([]);
			expect(await relay.recv(q('old', 0, 1))).toBeNull();
			expect(await relay.getInfo('old')).toBeNull();
			await relay.send(q('new', 0, 1), msg('0123456789'));
			expect((await relay.health()).sessions).toBe(1);
		});

		it('sweeps expired sessions away without being asked about them', async () => {
			const relay = await relayWith({ sessionTtlMs: 1000, maxTotalBytes: 20 });
			await relay.send(q('a', 0, 1), msg('0123456789'));
			await relay.send(q('b', 0, 1), msg('0123456789'));
			clock.advance(500);
			await relay.join('b', 0);
			clock.advance(600);
			expect(await relay.sweep()).toBe(1);
			expect((await relay.health()).sessions).toBe(1);
			await relay.send(q('c', 0, 1), msg('0123456789'));
			expect(str(await relay.recv(q('b', 0, 1)))).toBe('0123456789');
		});

		it('wakes a long poll as soon as a message arrives', async () => {
			const relay = await relayWith();
			const started = performance.now();
			const pending = relay.recv(q('s', 0, 1), { waitMs: 10_000 });
			setTimeout(() => void relay.send(q('s', 0, 1), msg('late')), 50);
			expect(str(await pending)).toBe('late');
			expect(performance.now() - started).toBeLessThan(5000);
		});

		it('ends a long poll with nothing after the wait, and caps the wait', async () => {
			const relay = await relayWith({ maxWaitMs: 300 });
			let started = performance.now();
			expect(await relay.recv(q('s', 0, 1), { waitMs: 150 })).toBeNull();
			expect(performance.now() - started).toBeGreaterThanOrEqual(140);
			started = performance.now();
			expect(await relay.recv(q('s', 0, 1), { waitMs: 60_000 })).toBeNull();
			const waited = performance.now() - started;
			expect(waited).toBeGreaterThanOrEqual(290);
			expect(waited).toBeLessThan(5000);
		});

		it('ends a long poll whose client is gone without taking a message', async () => {
			const relay = await relayWith();
			const gone = new AbortController();
			const pending = relay.recv(q('s', 0, 1), { waitMs: 10_000, signal: gone.signal });
			setTimeout(() => gone.abort(), 30);
			expect(await pending).toBeNull();
			await relay.send(q('s', 0, 1), msg('kept'));
			expect(str(await relay.recv(q('s', 0, 1)))).toBe('kept');
		});

		it('puts a message back at the front if the client went away while it was being taken', async () => {
			const relay = await relayWith();
			await relay.send(q('s', 0, 1), msg('first'));
			await relay.send(q('s', 0, 1), msg('second'));
			const gone = new AbortController();
			const take = relay.store.take.bind(relay.store);
			relay.store.take = async (queue, token, now) => {
				const message = await take(queue, token, now);
				gone.abort();
				return message;
			};
			expect(await relay.recv(q('s', 0, 1), { signal: gone.signal })).toBeNull();
			relay.store.take = take;
			expect(str(await relay.recv(q('s', 0, 1)))).toBe('first');
			expect(str(await relay.recv(q('s', 0, 1)))).toBe('second');
		});

		it('ends every long poll on close', async () => {
			const relay = await relayWith();
			const pending = [relay.recv(q('s', 0, 1), { waitMs: 10_000 }), relay.recv(q('t', 1, 0), { waitMs: 10_000 })];
			await new Promise((resolve) => setTimeout(resolve, 30));
			await relay.close();
			expect(await Promise.all(pending)).toEqual([null, null]);
		});

		it('serves many sessions and queues in parallel, each message exactly once and in order', async () => {
			const relay = await relayWith();
			const sessions = 10;
			const perQueue = 20;
			const senders = [0, 1, 2];
			const receivers = senders.flatMap((from) =>
				Array.from({ length: sessions }, async (_, s) => {
					const got: string[] = [];
					while (got.length < perQueue) {
						const message = await relay.recv(q(`s${s}`, from, 9), { waitMs: 5000 });
						if (message) got.push(str(message)!);
					}
					return got;
				})
			);
			await Promise.all(
				senders.flatMap((from) =>
					Array.from({ length: sessions }, async (_, s) => {
						for (let i = 0; i < perQueue; i++) await relay.send(q(`s${s}`, from, 9), msg(`${from}:${i}`));
					})
				)
			);
			const results = await Promise.all(receivers);
			results.forEach((got, index) => {
				const from = senders[Math.floor(index / sessions)];
				expect(got).toEqual(Array.from({ length: perQueue }, (_, i) => `${from}:${i}`));
			});
			for (let s = 0; s < sessions; s++) for (const from of senders) expect(await relay.recv(q(`s${s}`, from, 9))).toBeNull();
		});

		it('tracks presence: requests refresh last-seen, leave removes, messages stay', async () => {
			const relay = await relayWith();
			await relay.join('s', 0);
			await relay.join('s', 1);
			await relay.join('s', 2);
			clock.advance(10_000);
			await relay.send(q('s', 0, 1), msg('from 0'));
			await relay.recv(q('s', 2, 1));
			clock.advance(1000);
			expect(await relay.participants('s', 5000)).toEqual([0, 1]);
			expect(await relay.participants('s')).toEqual([0, 1, 2]);
			await relay.leave('s', 1);
			expect(await relay.participants('s')).toEqual([0, 2]);
			expect(str(await relay.recv(q('s', 0, 1)))).toBe('from 0');
			expect(await relay.participants('s')).toEqual([0, 2]); // receiving does not rejoin
			await relay.join('s', 1);
			expect(await relay.participants('s', 0)).toEqual([1]);
			await relay.leave('nowhere', 3);
			expect(await relay.participants('nowhere')).toEqual([]);
		});

		it('keeps one info blob per session: set once, same bytes again fine, other bytes conflict', async () => {
			const relay = await relayWith({ maxInfoBytes: 64 });
			expect(await relay.getInfo('s')).toBeNull();
			expect(await relay.putInfo('s', msg('sealed program'))).toBe('stored');
			expect(await relay.putInfo('s', msg('sealed program'))).toBe('unchanged');
			expect(await relay.putInfo('s', msg('another program'))).toBe('conflict');
			expect(str(await relay.getInfo('s'))).toBe('sealed program');
			const error = await refusal(relay.putInfo('t', new Uint8Array(65)));
			expect(error.status).toBe(413);
			expect(error.message).toContain('RELAY_MAX_INFO_BYTES');
			expect(await relay.getInfo('t')).toBeNull();
		});

		it('counts the info blob against the session cap', async () => {
			const relay = await relayWith({ maxSessionBytes: 20 });
			await relay.putInfo('s', new Uint8Array(15));
			expect((await refusal(relay.send(q('s', 0, 1), new Uint8Array(6)))).status).toBe(429);
			await relay.send(q('s', 0, 1), new Uint8Array(5));
		});

		describe('slot tokens', () => {
			const [a, b, c] = [newSlotToken(), newSlotToken(), newSlotToken()];

			it('once a slot is claimed, refuses every join, leave, send and receive without its token (401)', async () => {
				const relay = await relayWith();
				await relay.join('s', 0, a);
				await relay.join('s', 1, b);
				await relay.send(q('s', 0, 1), msg('output share'), a);
				const attempts = [
					() => relay.join('s', 2),
					() => relay.join('s', 1),
					() => relay.leave('s', 1),
					() => relay.send(q('s', 0, 1), msg('x')),
					() => relay.send(q('s', 7, 1), msg('x')),
					() => relay.recv(q('s', 0, 1))
				];
				for (const attempt of attempts) {
					const error = await refusal(attempt());
					expect(error.status).toBe(401);
					expect(error.message).toMatch(/^session 's' uses slot tokens: a request for slot \d needs the X-Relay-Token its participant joined with$/);
				}
				expect(await relay.participants('s')).toEqual([0, 1]);
				expect(str(await relay.recv(q('s', 0, 1), { token: b }))).toBe('output share');
			});

			it("refuses another participant's token and a token the slot was never joined with (403)", async () => {
				const relay = await relayWith();
				await relay.join('s', 0, a);
				await relay.join('s', 1, b);
				await relay.send(q('s', 0, 1), msg('output share'), a);
				const attempts = [
					() => relay.recv(q('s', 0, 1), { token: a }),
					() => relay.recv(q('s', 0, 1), { token: c }),
					() => relay.send(q('s', 1, 0), msg('x'), a),
					() => relay.leave('s', 1, c)
				];
				for (const attempt of attempts) {
					const error = await refusal(attempt());
					expect(error.status).toBe(403);
					expect(error.message).toBe("slot 1 of session 's' is held by another participant: this X-Relay-Token is not the one it joined with");
				}
				const unclaimed = await refusal(relay.send(q('s', 2, 0), msg('x'), c));
				expect(unclaimed.status).toBe(403);
				expect(unclaimed.message).toBe("slot 2 of session 's' has not been joined with this X-Relay-Token: join it first (PUT /join/s/2)");
				expect(await relay.participants('s')).toEqual([0, 1]);
				expect(str(await relay.recv(q('s', 0, 1), { token: b }))).toBe('output share');
				expect(await relay.recv(q('s', 1, 0), { token: a })).toBeNull();
			});

			it('keeps a session that never saw a token open to requests without one, and refuses a token there', async () => {
				const relay = await relayWith();
				await relay.join('open', 0);
				await relay.send(q('open', 0, 1), msg('plain'));
				const attempts = [
					() => relay.send(q('open', 0, 1), msg('x'), a),
					() => relay.recv(q('open', 0, 1), { token: a }),
					() => relay.leave('open', 0, a),
					() => relay.recv(q('nowhere', 0, 1), { token: a })
				];
				for (const attempt of attempts) expect((await refusal(attempt())).status).toBe(403);
				expect(str(await relay.recv(q('open', 0, 1)))).toBe('plain');
				await relay.leave('open', 0);
				expect(await relay.participants('open')).toEqual([]);
			});

			it('refuses a held slot to another token (409), renews it for the same token, and frees it on leave', async () => {
				const relay = await relayWith({ slotLeaseMs: 60_000 });
				await relay.join('s', 1, a);
				await relay.join('s', 255, a);
				const taken = await refusal(relay.join('s', 1, b));
				expect(taken.status).toBe(409);
				expect(taken.message).toBe(
					"slot 1 of session 's' is taken by another participant: it is free again once that participant leaves, or 60 s after its last request (RELAY_SLOT_LEASE_SECONDS)"
				);
				expect((await refusal(relay.join('s', 255, b))).message).toMatch(/^slot 255 \(the dealer\) of session 's' is taken by another participant/);
				clock.advance(1000);
				await relay.join('s', 1, a);
				expect(await relay.participants('s', 500)).toEqual([1]);
				expect((await refusal(relay.leave('s', 1, b))).status).toBe(403);
				await relay.leave('s', 1, a);
				expect(await relay.participants('s')).toEqual([255]);
				await relay.join('s', 1, b);
				expect(await relay.participants('s')).toEqual([1, 255]);
				expect((await refusal(relay.recv(q('s', 0, 1), { token: a }))).status).toBe(403);
			});

			it("lets another token claim a slot whose holder has been silent for the lease, and ends the old holder's rights", async () => {
				const relay = await relayWith({ slotLeaseMs: 10_000 });
				await relay.join('s', 1, a);
				clock.advance(9000);
				await relay.recv(q('s', 0, 1), { token: a }); // any request of the holder counts as a sign of life
				clock.advance(10_000);
				expect((await refusal(relay.join('s', 1, b))).status).toBe(409);
				clock.advance(1);
				await relay.join('s', 1, b);
				expect(await relay.participants('s')).toEqual([1]);
				expect((await refusal(relay.recv(q('s', 0, 1), { token: a }))).status).toBe(403);
				expect((await refusal(relay.join('s', 1, a))).status).toBe(409);
			});

			it('drops what is queued to a slot when it is claimed, freeing its bytes, but not on a renewal', async () => {
				const relay = await relayWith({ maxSessionBytes: 30 });
				// Left over from an earlier run without tokens: two messages to party 1, one to party 2.
				await relay.send(q('s', 0, 1), msg('0123456789'));
				await relay.send(q('s', 2, 1), msg('0123456789'));
				await relay.send(q('s', 0, 2), msg('0123456789'));
				await relay.join('s', 0, a);
				await relay.join('s', 1, b);
				expect(await relay.recv(q('s', 0, 1), { token: b })).toBeNull();
				expect(await relay.recv(q('s', 2, 1), { token: b })).toBeNull();
				// The 20 bytes to party 1 are free again; the 10 to party 2 are still held until its slot is claimed.
				await relay.send(q('s', 0, 1), msg('01234567890123456789'), a);
				expect((await refusal(relay.send(q('s', 0, 1), msg('x'), a))).status).toBe(429);
				await relay.join('s', 2, c);
				await relay.send(q('s', 0, 1), msg('x'), a);
				await relay.join('s', 1, b);
				expect(str(await relay.recv(q('s', 0, 1), { token: b }))).toBe('01234567890123456789');
				expect(str(await relay.recv(q('s', 0, 1), { token: b }))).toBe('x');
			});

			it('ends a waiting receive with a refusal once its slot has been taken over', async () => {
				const relay = await relayWith();
				await relay.join('s', 0, a);
				await relay.join('s', 1, b);
				const waiting = relay.recv(q('s', 0, 1), { waitMs: 10_000, token: b });
				await relay.leave('s', 1, b);
				await relay.join('s', 1, c);
				await relay.send(q('s', 0, 1), msg('for the new holder'), a);
				expect((await refusal(waiting)).status).toBe(403);
				expect(str(await relay.recv(q('s', 0, 1), { token: c }))).toBe('for the new holder');
			});

			it('forgets the tokens with the session when it expires', async () => {
				const relay = await relayWith({ sessionTtlMs: 60_000 });
				await relay.join('s', 1, a);
				clock.advance(60_001);
				expect(await relay.sweep()).toBe(1);
				await relay.join('s', 1);
				await relay.send(q('s', 0, 1), msg('plain again'));
				expect(str(await relay.recv(q('s', 0, 1)))).toBe('plain again');
				await relay.join('t', 1, a);
				clock.advance(60_001);
				await relay.join('t', 1, b);
				expect(await relay.participants('t')).toEqual([1]);
			});
		});

		it('reports its health', async () => {
			const relay = await relayWith();
			await relay.join('a', 0);
			await relay.putInfo('b', msg('x'));
			expect(await relay.health()).toEqual({ ok: true, store: storeName, sessions: 2 });
		});
	});
}
