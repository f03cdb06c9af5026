// The relay-core behaviour every store must have; run against each store by its own test file.
import { afterEach, describe, expect, it } from 'vitest';
import { newSlotToken } from '../../../src/lib/channel/relay-client';
import { DEFAULT_CONFIG, type RelayConfig } from '../../../src/lib/server/relay/config';
import { RelayError } from '../../../src/lib/server/relay/errors';
import { decodeAnswer, encodeAnswer, FRAME_OVERHEAD, MAX_FRAMES_PER_BODY, type MailAnswer } from '../../../src/lib/channel/mailbox-wire';
import { Relay, type ExchangeRequest } from '../../../src/lib/server/relay/relay';
import { ITEM_OVERHEAD_BYTES as ITEM, RETURNED_AFTER_MS, type QueueRef, type RelayStore } from '../../../src/lib/server/relay/store';

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

/** The number of live sessions, from the relay's health report. */
async function liveSessions(relay: Relay): Promise<number> {
	const health = await relay.health();
	if (!health.ok) throw new Error(`the relay is not healthy: ${health.storeStatus}`);
	return health.sessions;
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

		// Every queued message and held frame counts ITEM bytes more than its own (the store's
		// bookkeeping of it), and every mailbox direction ITEM.
		it('caps the bytes one session holds (429), losing and reordering nothing, and frees space on receive', async () => {
			const relay = await relayWith({ maxSessionBytes: 3 * (10 + ITEM) });
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
			const relay = await relayWith({ maxTotalBytes: 2 * (10 + ITEM) + 5 });
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
			expect(await liveSessions(relay)).toBe(2);
		});

		it('expires a session idle for longer than the TTL, freeing its bytes and its slot', async () => {
			const ttl = 60_000;
			const relay = await relayWith({ sessionTtlMs: ttl, maxSessions: 1, maxTotalBytes: 10 + ITEM });
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
			expect(await liveSessions(relay)).toBe(1);
		});

		it('sweeps expired sessions away without being asked about them', async () => {
			const relay = await relayWith({ sessionTtlMs: 1000, maxTotalBytes: 2 * (10 + ITEM) });
			await relay.send(q('a', 0, 1), msg('0123456789'));
			await relay.send(q('b', 0, 1), msg('0123456789'));
			clock.advance(500);
			await relay.join('b', 0);
			clock.advance(600);
			expect(await relay.sweep()).toBe(1);
			expect(await liveSessions(relay)).toBe(1);
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
			const relay = await relayWith({ maxSessionBytes: 20 + ITEM });
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
				const relay = await relayWith({ maxSessionBytes: 30 + 3 * ITEM });
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

		describe('mailboxes', () => {
			const [t0, t1, t2] = [newSlotToken(), newSlotToken(), newSlotToken()];
			const tokens = [t0, t1, t2];
			/** One exchange of `party`: frames as [to, seq, text], acks as [from, seq]. */
			const turn = (relay: Relay, party: number, frames: [number, number, string][] = [], acks: [number, number][] = [], more: Partial<ExchangeRequest> = {}) =>
				relay.exchange({
					session: 's',
					party,
					token: tokens[party],
					frames: frames.map(([peer, seq, text]) => ({ peer, seq, payload: msg(text) })),
					acks: new Map(acks),
					...more
				});
			const texts = (answer: MailAnswer) => answer.frames.map((f) => `${f.peer}#${f.seq}:${str(f.payload)}`);
			async function joined(overrides: Partial<RelayConfig> = {}): Promise<Relay> {
				const relay = await relayWith(overrides);
				for (const party of [0, 1, 2]) await relay.join('s', party, tokens[party]);
				return relay;
			}

			it('answers the frames for a party from anyone, each sender in order, taking from the senders in turn', async () => {
				const relay = await joined();
				await turn(relay, 0, [[2, 1, 'a1'], [2, 2, 'a2'], [1, 1, 'to 1']]);
				await turn(relay, 1, [[2, 1, 'b1']]);
				const answer = await turn(relay, 2);
				expect(texts(answer)).toEqual(['0#1:a1', '1#1:b1', '0#2:a2']);
				expect(answer.more).toBe(false);
				expect(answer.epoch).toMatch(/^[0-9a-f]{16}$/);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:to 1']);
			});

			it('keeps every frame until its receiver acknowledges it, so an answer lost on the way loses nothing', async () => {
				const relay = await joined();
				await turn(relay, 0, [[1, 1, 'one'], [1, 2, 'two'], [1, 3, 'three']]);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:one', '0#2:two', '0#3:three']);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:one', '0#2:two', '0#3:three']);
				expect(texts(await turn(relay, 1, [], [[0, 2]]))).toEqual(['0#3:three']);
				expect(texts(await turn(relay, 1, [], [[0, 3]]))).toEqual([]);
				expect(texts(await turn(relay, 1, [], [[0, 1]]))).toEqual([]); // an older ack changes nothing
			});

			it('stores a retried frame once, held or already acknowledged, and never counts its bytes twice', async () => {
				// Two frames of 5 bytes in one direction.
				const relay = await joined({ maxSessionBytes: 10 + 3 * ITEM });
				await turn(relay, 0, [[1, 1, '12345']]);
				await turn(relay, 0, [[1, 1, '12345'], [1, 1, 'xxxxx']]);
				await turn(relay, 0, [[1, 2, '67890']]);
				expect(texts(await turn(relay, 1, [], [[0, 1]]))).toEqual(['0#2:67890']);
				await turn(relay, 0, [[1, 1, 'late copy'], [1, 3, 'abcde']]);
				expect(texts(await turn(relay, 1, [], [[0, 1]]))).toEqual(['0#2:67890', '0#3:abcde']);
			});

			it('counts every frame against the caps, an empty one too: a body of empty frames over the cap is refused', async () => {
				const relay = await joined({ maxSessionBytes: 100 * ITEM });
				const empty = (count: number, first = 1) => Array.from({ length: count }, (_, i): [number, number, string] => [1, first + i, '']);
				const error = await refusal(turn(relay, 0, empty(200)));
				expect([error.status, error.message]).toEqual([429, expect.stringContaining('RELAY_MAX_SESSION_BYTES')]);
				expect(await relay.health()).toMatchObject({ queuedBytes: 0 });
				// 98 frames and their direction fit.
				await turn(relay, 0, empty(98));
				expect(await relay.health()).toMatchObject({ queuedBytes: 99 * ITEM });
			});

			it('answers at most MAX_FRAMES_PER_BODY frames at once, and counts their headers within the size asked for', async () => {
				const relay = await joined();
				for (let first = 1; first <= MAX_FRAMES_PER_BODY + 10; first += 1000) {
					await turn(relay, 0, Array.from({ length: Math.min(1000, MAX_FRAMES_PER_BODY + 11 - first) }, (_, i): [number, number, string] => [1, first + i, '']));
				}
				const all = await turn(relay, 1, [], [], { maxAnswerBytes: 1 << 20 });
				expect([all.frames.length, all.more]).toEqual([MAX_FRAMES_PER_BODY, true]);
				const small = await turn(relay, 1, [], [], { maxAnswerBytes: 100 });
				expect([small.frames.length, small.more]).toEqual([Math.floor(100 / FRAME_OVERHEAD), true]);
			});

			it('keeps no record of an acknowledgement of frames never sent: the sender’s frames are stored and answered', async () => {
				const relay = await joined();
				expect(texts(await turn(relay, 1, [], [[0, 5], [2, 9]]))).toEqual([]);
				await turn(relay, 0, [[1, 1, 'first'], [1, 2, 'second']]);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:first', '0#2:second']);
			});

			it('answers a sender only without a gap: a frame waits until the one before it is there', async () => {
				const relay = await joined();
				await turn(relay, 0, [[1, 2, 'second']]);
				expect(texts(await turn(relay, 1))).toEqual([]);
				await turn(relay, 0, [[1, 1, 'first']]);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:first', '0#2:second']);
			});

			it('keeps an answer within the size asked for, with at least one frame, and says when more is waiting', async () => {
				const relay = await joined({ maxMessageBytes: 100 });
				await turn(relay, 0, [[1, 1, 'x'.repeat(30)], [1, 2, 'y'.repeat(30)], [1, 3, 'z'.repeat(30)]]);
				await turn(relay, 2, [[1, 1, 'w'.repeat(50)]]);
				const capped = await turn(relay, 1, [], [], { maxAnswerBytes: 70 });
				expect(capped.frames.map((f) => `${f.peer}#${f.seq}`)).toEqual(['0#1']);
				expect(capped.more).toBe(true);
				const tiny = await turn(relay, 1, [], [], { maxAnswerBytes: 10 });
				expect(tiny.frames.map((f) => `${f.peer}#${f.seq}`)).toEqual(['0#1']);
				const none = await turn(relay, 1, [], [], { maxAnswerBytes: 0 });
				expect([none.frames.length, none.more]).toEqual([0, true]);
				const relayCapped = await turn(relay, 1, [], [], { maxAnswerBytes: 10_000 });
				expect(relayCapped.frames.map((f) => `${f.peer}#${f.seq}`)).toEqual(['0#1', '2#1']);
				expect(relayCapped.more).toBe(true);
			});

			it('waits for a frame from anyone and wakes as soon as one arrives', async () => {
				const relay = await joined();
				const started = performance.now();
				const waiting = turn(relay, 1, [], [], { waitMs: 10_000 });
				setTimeout(() => void turn(relay, 2, [[1, 1, 'late']]), 50);
				expect(texts(await waiting)).toEqual(['2#1:late']);
				expect(performance.now() - started).toBeLessThan(5000);
			});

			it('answers only frames from the senders the client waits for, when it names them', async () => {
				const relay = await joined();
				await turn(relay, 0, [[2, 1, 'from 0']]);
				await turn(relay, 1, [[2, 1, 'from 1']]);
				expect(texts(await turn(relay, 2, [], [], { awaited: [1] }))).toEqual(['1#1:from 1']);
				expect(texts(await turn(relay, 2, [], [], { awaited: [] }))).toEqual([]);
				expect(texts(await turn(relay, 2))).toEqual(['0#1:from 0', '1#1:from 1']);
			});

			it('holds an answer a moment for the other senders the client waits for, so that one answer carries the round', async () => {
				const relay = await joined();
				const waiting = turn(relay, 2, [], [], { waitMs: 10_000, awaited: [0, 1] });
				await turn(relay, 0, [[2, 1, 'from 0']]);
				await turn(relay, 1, [[2, 1, 'from 1']]);
				expect(texts(await waiting)).toEqual(['0#1:from 0', '1#1:from 1']);
				// A sender that stays silent holds the answer only briefly.
				const started = performance.now();
				const partly = turn(relay, 2, [], [[0, 1], [1, 1]], { waitMs: 10_000, awaited: [0, 1] });
				await turn(relay, 0, [[2, 2, 'again from 0']]);
				expect(texts(await partly)).toEqual(['0#2:again from 0']);
				expect(performance.now() - started).toBeLessThan(5000);
			});

			it('holds a partial answer as long as the client asks (about its round trip), for the other senders', async () => {
				const relay = await joined();
				const waiting = turn(relay, 2, [], [], { waitMs: 10_000, awaited: [0, 1], gatherMs: 3000 });
				await turn(relay, 0, [[2, 1, 'from 0']]);
				setTimeout(() => void turn(relay, 1, [[2, 1, 'from 1, a while later']]), 100);
				expect(texts(await waiting)).toEqual(['0#1:from 0', '1#1:from 1, a while later']);
			});

			it('drops the frames to a party when it leaves, and frees their bytes; the frames it sent stay', async () => {
				const relay = await joined();
				await turn(relay, 0, [[1, 1, '0123456789']]);
				await turn(relay, 1, [[2, 1, '01234']]);
				expect(await relay.health()).toMatchObject({ queuedBytes: 15 + 4 * ITEM });
				await relay.leave('s', 1, t1);
				// The frame to party 1 goes; both directions stay (their acknowledged numbers).
				expect(await relay.health()).toMatchObject({ queuedBytes: 5 + 3 * ITEM });
				expect(texts(await turn(relay, 2))).toEqual(['1#1:01234']);
			});

			it('ends a wait with nothing after the wait, when the client is gone and on close', async () => {
				const relay = await joined({ maxWaitMs: 200 });
				expect(texts(await turn(relay, 1, [], [], { waitMs: 60_000 }))).toEqual([]);
				const gone = new AbortController();
				const left = turn(relay, 1, [], [], { waitMs: 10_000, signal: gone.signal });
				setTimeout(() => gone.abort(), 30);
				expect(texts(await left)).toEqual([]);
				await turn(relay, 0, [[1, 1, 'kept']]);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:kept']);
			});

			it('refuses frames over the session cap (429) storing none of them, but applies the acknowledgements', async () => {
				// Room for the first two frames and their directions, and then for one more frame and direction, not two.
				const relay = await joined({ maxSessionBytes: 20 + 5 * ITEM });
				await turn(relay, 0, [[1, 1, '0123456789'], [2, 1, '0123456789']]);
				const error = await refusal(turn(relay, 1, [[0, 1, '0123456789'], [2, 1, 'x']], [[0, 1]]));
				expect(error.status).toBe(429);
				expect(error.message).toContain('RELAY_MAX_SESSION_BYTES');
				expect(texts(await turn(relay, 1))).toEqual([]);
				expect(texts(await turn(relay, 0))).toEqual([]);
				expect(texts(await turn(relay, 2))).toEqual(['0#1:0123456789']);
				await turn(relay, 1, [[0, 1, '0123456789']]);
				expect(texts(await turn(relay, 0))).toEqual(['1#1:0123456789']);
			});

			it('needs the slot token: none (401), another slot’s (403), a session the relay does not know (403)', async () => {
				const relay = await joined();
				const missing = await refusal(relay.exchange({ session: 's', party: 1, frames: [], acks: new Map() }));
				expect([missing.status, missing.reason]).toEqual([401, 'token-missing']);
				expect(missing.message).toBe("the mailbox of slot 1 needs the X-Relay-Token it joined with: join first with one (PUT /join/s/1)");
				const wrong = await refusal(turn(relay, 1, [], [], { token: t0 }));
				expect([wrong.status, wrong.reason]).toEqual([403, 'token-wrong']);
				const unknown = await refusal(turn(relay, 1, [], [], { session: 'forgotten' }));
				expect([unknown.status, unknown.reason]).toEqual([403, 'slot-unclaimed']);
				const self = await refusal(turn(relay, 1, [[1, 1, 'me']]));
				expect(self.status).toBe(400);
				expect(self.message).toBe('bad exchange body: frame 1 is addressed to party 1 itself');
			});

			it('starts a slot afresh when a new token claims it: frames to and from it dropped, numbering from 1 again', async () => {
				const relay = await joined({ maxSessionBytes: 40 + 7 * ITEM });
				await turn(relay, 0, [[1, 1, 'old 0 to 1'], [1, 2, 'old 0 to 1']]);
				await turn(relay, 1, [[0, 1, 'old 1 to 0'], [2, 1, 'old 1 to 2']]);
				expect(texts(await turn(relay, 1, [], [[0, 1]]))).toEqual(['0#2:old 0 to 1']);
				await relay.join('s', 0, t0); // a renewal keeps everything
				expect(texts(await turn(relay, 2))).toEqual(['1#1:old 1 to 2']);
				const fresh = newSlotToken();
				await relay.leave('s', 1, t1);
				await relay.join('s', 1, fresh);
				expect(texts(await turn(relay, 1, [], [], { token: fresh }))).toEqual([]);
				expect(texts(await turn(relay, 0))).toEqual([]);
				expect(texts(await turn(relay, 2))).toEqual([]);
				// The bytes are free again, and both directions of slot 1 count from 1.
				await turn(relay, 0, [[1, 1, 'new 0 to 1 …………']]);
				await turn(relay, 1, [[2, 1, 'new 1 to 2']], [], { token: fresh });
				expect(texts(await turn(relay, 1, [], [], { token: fresh }))).toEqual(['0#1:new 0 to 1 …………']);
				expect(texts(await turn(relay, 2))).toEqual(['1#1:new 1 to 2']);
			});

			it('keeps the frames a holder sent when it claims its slot again with the same token after leaving (a late copy of its join)', async () => {
				const relay = await joined();
				await turn(relay, 0, [[1, 1, 'last words']]);
				await relay.leave('s', 0, t0);
				await relay.join('s', 0, t0);
				expect(texts(await turn(relay, 1))).toEqual(['0#1:last words']);
				await turn(relay, 0, [[1, 1, 'last words'], [1, 2, 'more']]);
				expect(texts(await turn(relay, 1, [], [[0, 1]]))).toEqual(['0#2:more']);
			});

			it('holds the frames of an exchange `until` every party it names and its sender have joined, then stores them and answers', async () => {
				const relay = await relayWith();
				await relay.join('s', 2, tokens[2]);
				// Party 0 speaks before its own join has arrived, and before party 1's.
				const speaking = turn(relay, 0, [[1, 1, 'hello 1'], [2, 1, 'hello 2']], [], { until: { parties: [1, 2], activeWithinMs: 60_000 }, awaited: [1], waitMs: 10_000 });
				await relay.join('s', 0, tokens[0]);
				await new Promise((resolve) => setTimeout(resolve, 50));
				expect(texts(await turn(relay, 2))).toEqual([]);
				await relay.join('s', 1, tokens[1]);
				await new Promise((resolve) => setTimeout(resolve, 50));
				expect(texts(await turn(relay, 2))).toEqual(['0#1:hello 2']);
				// Party 1's claim came first: the hello to it is kept, and its answer reaches party 0.
				expect(texts(await turn(relay, 1, [[0, 1, 'hi 0']]))).toEqual(['0#1:hello 1']);
				const answer = await speaking;
				expect(answer.held).toBeUndefined();
				expect(texts(answer)).toEqual(['1#1:hi 0']);
			});

			it('does not count a party for `until` that only a join without a token lists: its claim would drop the frames', async () => {
				const relay = await relayWith({ maxWaitMs: 300 });
				// Someone who knows only the session's name lists slot 1 before anyone has claimed a slot.
				await relay.join('s', 1);
				await relay.join('s', 0, tokens[0]);
				const early = await turn(relay, 0, [[1, 1, 'hello 1']], [], { until: { parties: [1], activeWithinMs: 60_000 }, waitMs: 10_000 });
				expect(early.held).toBe(true);
				await relay.join('s', 1, tokens[1]);
				await turn(relay, 0, [[1, 1, 'hello 1']], [], { until: { parties: [1], activeWithinMs: 60_000 }, waitMs: 10_000 });
				expect(texts(await turn(relay, 1))).toEqual(['0#1:hello 1']);
			});

			it('answers `held`, storing and taking nothing, when its `until` does not hold within the wait', async () => {
				const relay = await joined({ maxWaitMs: 200 });
				await turn(relay, 1, [[0, 1, 'waiting for 0']]);
				const started = performance.now();
				const answer = await turn(relay, 0, [[2, 1, 'early']], [], { until: { parties: [1, 2, 3], activeWithinMs: 60_000 }, waitMs: 10_000 });
				expect(performance.now() - started).toBeGreaterThanOrEqual(190);
				expect(answer).toMatchObject({ held: true, frames: [] });
				expect(texts(await turn(relay, 2))).toEqual([]);
				expect(texts(await turn(relay, 0))).toEqual(['1#1:waiting for 0']);
				const wire = decodeAnswer(encodeAnswer(answer));
				expect(wire.held).toBe(true);
				expect(decodeAnswer(encodeAnswer({ ...answer, held: false })).held).toBeUndefined();
			});

			it('keeps the epoch for the life of the session, and a session made anew gets another', async () => {
				const relay = await joined({ sessionTtlMs: 60_000 });
				const first = (await turn(relay, 0)).epoch;
				clock.advance(30_000);
				expect((await turn(relay, 1)).epoch).toBe(first);
				clock.advance(60_001);
				for (const party of [0, 1, 2]) await relay.join('s', party, tokens[party]);
				expect((await turn(relay, 0)).epoch).not.toBe(first);
			});

			it('counts held frames as queued bytes until acknowledged, and frees them when the session expires', async () => {
				const relay = await joined({ sessionTtlMs: 60_000 });
				await turn(relay, 0, [[1, 1, '0123456789'], [2, 1, '01234']]);
				expect(await relay.health()).toEqual({ ok: true, store: storeName, storeStatus: 'ok', sessions: 1, queuedBytes: 15 + 4 * ITEM });
				await turn(relay, 1, [], [[0, 1]]);
				expect(await relay.health()).toMatchObject({ sessions: 1, queuedBytes: 5 + 3 * ITEM });
				clock.advance(60_001);
				expect(await relay.sweep()).toBe(1);
				expect(await relay.health()).toMatchObject({ sessions: 0, queuedBytes: 0 });
			});
		});

		describe('waiting for participants', () => {
			it('answers at once when the list differs from the one the client knows, else waits for a join or leave', async () => {
				const relay = await relayWith();
				await relay.join('s', 0);
				expect(await relay.participants('s', undefined, { known: [], waitMs: 10_000 })).toEqual([0]);
				const started = performance.now();
				const joining = relay.participants('s', undefined, { known: [0], waitMs: 10_000 });
				setTimeout(() => void relay.join('s', 0).then(() => relay.join('s', 2)), 50);
				expect(await joining).toEqual([0, 2]);
				const leaving = relay.participants('s', undefined, { known: [0, 2], waitMs: 10_000 });
				setTimeout(() => void relay.leave('s', 0), 50);
				expect(await leaving).toEqual([2]);
				expect(performance.now() - started).toBeLessThan(5000);
			});

			it('wakes a wait for the parties seen lately when a party back from a long absence joins again', async () => {
				const relay = await relayWith();
				await relay.join('s', 0);
				await relay.join('s', 1);
				clock.advance(RETURNED_AFTER_MS + 20_000);
				await relay.join('s', 1);
				const started = performance.now();
				const waiting = relay.participants('s', 20_000, { known: [1], waitMs: 10_000 });
				setTimeout(() => void relay.join('s', 0), 50);
				expect(await waiting).toEqual([0, 1]);
				expect(performance.now() - started).toBeLessThan(5000);
			});

			it('ends the wait with the same list after the wait (capped)', async () => {
				const relay = await relayWith({ maxWaitMs: 200 });
				await relay.join('s', 1);
				const started = performance.now();
				expect(await relay.participants('s', undefined, { known: [1], waitMs: 60_000 })).toEqual([1]);
				expect(performance.now() - started).toBeGreaterThanOrEqual(190);
			});
		});

		it('reports its health: sessions and the bytes they hold', async () => {
			const relay = await relayWith();
			await relay.join('a', 0);
			await relay.putInfo('b', msg('x'));
			await relay.send(q('b', 0, 1), msg('1234'));
			expect(await relay.health()).toEqual({ ok: true, store: storeName, storeStatus: 'ok', sessions: 2, queuedBytes: 5 + ITEM });
		});
	});
}
