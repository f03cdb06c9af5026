import { afterEach, describe, expect, it } from 'vitest';
import { PeerGoneError, PeerTimeoutError, PollingHttpChannel, StreamError, type HttpChannelOptions } from '../../../src/lib/channel/http';
import { newSlotToken, RelayClient, RelayRefusedError, RelayUnreachableError, SlotTakenError, type Fetch } from '../../../src/lib/channel/relay-client';
import { bytes, expectInOrderBothWays, expectSilenceTimeout } from './expectations';
import { relayFetch, type RelayFetch, type RelayFetchOptions } from './relay-fetch';

const URL = 'http://relay.test';
let open: RelayFetch[] = [];

afterEach(async () => {
	await Promise.all(open.map((r) => r.close()));
	open = [];
});

function setup(options: RelayFetchOptions = {}, channel: Partial<HttpChannelOptions> = {}) {
	const relay = relayFetch(options);
	open.push(relay);
	const make = (party: number, fetch: Fetch = relay.fetch, token?: string) =>
		new PollingHttpChannel({ relay: new RelayClient({ url: URL, fetch, retryWindowMs: 2000 }), session: 's', party, token, pollWaitMs: 2000, ...channel });
	return { relay, make };
}

const sends = (r: RelayFetch) => r.requests.filter((q) => q.path.startsWith('/send/'));

describe('PollingHttpChannel', () => {
	it('delivers messages in order, both ways, including empty and multi-chunk ones', async () => {
		const { relay, make } = setup({}, { maxChunkBytes: 1000 });
		const [a, b] = [make(0), make(1)];
		// Not awaited one by one: the channel itself keeps them in order on the wire.
		await expectInOrderBothWays(a, b);
		// 4321 bytes in chunks of 1000 − 18 header bytes: 5 frames; the others 1 each; 18 bytes of header per frame.
		expect(sends(relay)).toHaveLength(3 + 5 + 1);
		expect(a.bytesSent).toBe(3 + 0 + 4321 + 982 + 8 * 18);
		expect(b.bytesReceived).toBe(a.bytesSent);
	});

	it('halves its chunks until the relay accepts them (413)', async () => {
		const { relay, make } = setup({ config: { maxMessageBytes: 3000 } }, { maxChunkBytes: 10_000 });
		const message = bytes(20_000);
		await make(0).sendBytesTo(1, message);
		expect(await make(1).recvBytesFrom(0)).toEqual(message);
		// 10000 and 5000 refused, then 2500-byte frames: 20000 / 2482 → 9 frames.
		expect(sends(relay)).toHaveLength(2 + 9);
	});

	it('sends again when an answer is lost, and the receiver drops the duplicate', async () => {
		let attempts = 0;
		const loseEveryFirstAnswer = (q: { path: string }) => (q.path.startsWith('/send/') && attempts++ % 2 === 0 ? 'lose-answer' : undefined);
		const { relay, make } = setup({ fault: loseEveryFirstAnswer }, { maxChunkBytes: 100 });
		const a = make(0);
		const messages = [bytes(10), bytes(250, 1), bytes(20, 2)];
		for (const m of messages) await a.sendBytesTo(1, m);
		const b = make(1);
		for (const m of messages) expect(await b.recvBytesFrom(0)).toEqual(m);
		// The last frame's copy is still queued; the next receive drops it too.
		await a.sendBytesTo(1, bytes(3, 3));
		expect(await b.recvBytesFrom(0)).toEqual(bytes(3, 3));
		// Each of the 1 + 4 + 1 + 1 frames (82 payload bytes each) was sent twice (the first answer for each was lost).
		expect(sends(relay)).toHaveLength(14);
	});

	it('retries lost requests, 5xx and 429 answers', async () => {
		const faults = new Map<number, 'lose-request' | { status: number; text: string }>([
			[0, 'lose-request'],
			[1, { status: 503, text: 'relay is shutting down' }],
			[2, { status: 429, text: 'session is full' }],
			[4, { status: 500, text: 'internal relay error' }]
		]);
		const { make } = setup({ fault: (q) => faults.get(q.index) });
		await make(0).sendBytesTo(1, bytes(5));
		expect(await make(1).recvBytesFrom(0)).toEqual(bytes(5));
	});

	it('fails at once on a refusal that retrying cannot fix, with the relay’s words', async () => {
		const { make } = setup({ fault: () => ({ status: 400, text: 'bad to party "300": must be a whole number' }) });
		const error = await make(0).sendBytesTo(1, bytes(5), { phase: 'garbling' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RelayRefusedError);
		expect(String(error)).toContain('the relay refused to pass on a message to party 1 (garbling): 400 bad to party "300"');
	});

	it('reports a receive whose answer was lost as a lost message instead of going on', async () => {
		let armed = false;
		const { make } = setup({
			fault: (q) => {
				if (q.path.startsWith('/recv/') && armed) {
					armed = false;
					return 'lose-answer';
				}
				return undefined;
			}
		});
		const a = make(0);
		const b = make(1);
		for (const n of [5, 6, 7]) await a.sendBytesTo(1, bytes(n));
		expect(await b.recvBytesFrom(0)).toEqual(bytes(5));
		armed = true; // the answer to the next receive is lost: message 1 is gone
		const error = await b.recvBytesFrom(0).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StreamError);
		expect(String(error)).toContain('message 1 from party 0 was lost on the way (the next to arrive was message 2, part 0)');
	});

	it('reports a lost first message once more of its stream arrives', async () => {
		let lost = false;
		const { make } = setup({
			fault: (q) => {
				if (q.path.startsWith('/recv/') && !lost) {
					lost = true;
					return 'lose-answer';
				}
				return undefined;
			}
		});
		const a = make(0);
		for (const n of [5, 6, 7]) await a.sendBytesTo(1, bytes(n));
		const error = await make(1).recvBytesFrom(0).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StreamError);
		expect(String(error)).toContain("the first message from party 0 never arrived: the relay lost it, or an earlier run left messages in session 's'");
	});

	it('works with the original relay: no long poll, a bare 400 for "nothing yet"', async () => {
		const { relay, make } = setup({ original: true });
		const b = make(1);
		const received = b.recvBytesFrom(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await make(0).sendBytesTo(1, bytes(7));
		expect(await received).toEqual(bytes(7));
		const polls = relay.requests.filter((q) => q.path.startsWith('/recv/')).length;
		// Backoff from 50 ms doubling: a handful of polls in 300 ms, not hundreds.
		expect(polls).toBeGreaterThan(2);
		expect(polls).toBeLessThan(10);
	});

	it('waits in a long poll where the relay offers it', async () => {
		const { relay, make } = setup();
		const received = make(1).recvBytesFrom(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await make(0).sendBytesTo(1, bytes(7));
		expect(await received).toEqual(bytes(7));
		expect(relay.requests.filter((q) => q.path.startsWith('/recv/'))).toHaveLength(1);
	});

	it('times out after the given silence, naming the party and the phase', async () => {
		const { make } = setup({}, { timeoutMs: 300 });
		await expectSilenceTimeout(make(1));
	});

	it('fails soon when a sender that was present vanishes, but not for one that never came or left after its last message', async () => {
		const { relay, make } = setup({}, { presenceMs: 300, pollWaitMs: 100, timeoutMs: 2000 });
		await relay.relay.join('s', 1);
		const started = Date.now();
		const gone = await make(0).recvBytesFrom(1, { phase: 'garbling' }).catch((e: unknown) => e);
		expect(gone).toBeInstanceOf(PeerGoneError);
		expect(String(gone)).toContain('party 1 left the session while this party waited for it (garbling): it stopped, or lost its connection');
		expect(Date.now() - started).toBeLessThan(1500);

		// Never joined: only the timeout ends the wait.
		const never = await make(0).recvBytesFrom(2).catch((e: unknown) => e);
		expect(never).toBeInstanceOf(PeerTimeoutError);

		// Sent its last message, then left: the message arrives.
		await relay.relay.join('s', 3);
		const receive = make(0).recvBytesFrom(3);
		await new Promise((resolve) => setTimeout(resolve, 400));
		await make(3).sendBytesTo(0, bytes(4));
		await relay.relay.leave('s', 3);
		expect(await receive).toEqual(bytes(4));
	});

	it('skips what an earlier run left in the queue, but not an earlier run that mixes with this one', async () => {
		const { make } = setup();
		const earlier = make(0);
		await earlier.sendBytesTo(1, bytes(1));
		const left = make(1);
		expect(await left.recvBytesFrom(0)).toEqual(bytes(1));
		await earlier.sendBytesTo(1, bytes(2)); // an abort notice, say, that nobody read
		const now = make(0);
		await now.sendBytesTo(1, bytes(3));
		expect(await make(1).recvBytesFrom(0)).toEqual(bytes(3));
	});

	it('notices two different runs sending as the same party', async () => {
		const { make } = setup();
		await make(0).sendBytesTo(1, bytes(1));
		await make(0).sendBytesTo(1, bytes(2));
		const b = make(1);
		expect(await b.recvBytesFrom(0)).toEqual(bytes(1));
		await expect(b.recvBytesFrom(0)).rejects.toThrow('messages from party 0 come from two different runs');
	});

	it("carries this party's slot token on every send and receive; without it a session that uses tokens refuses", async () => {
		const { relay, make } = setup({}, { maxChunkBytes: 1000 });
		const client = new RelayClient({ url: URL, fetch: relay.fetch });
		const [token0, token1] = [newSlotToken(), newSlotToken()];
		await client.join('s', 0, { token: token0 });
		await client.join('s', 1, { token: token1 });
		const [a, b] = [make(0, relay.fetch, token0), make(1, relay.fetch, token1)];
		const message = bytes(2500);
		await a.sendBytesTo(1, message);
		expect(await b.recvBytesFrom(0)).toEqual(message);
		const untokened = await make(1).recvBytesFrom(0).catch((e: unknown) => e);
		expect(untokened).toBeInstanceOf(RelayRefusedError);
		expect((untokened as RelayRefusedError).status).toBe(401);
		const refused = await make(0).sendBytesTo(1, bytes(3)).catch((e: unknown) => e);
		expect(String(refused)).toContain("the relay refused to pass on a message to party 1: 401 session 's' uses slot tokens");
	});

	it('gives up on an unreachable relay after the retry window', async () => {
		const down: Fetch = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
		const channel = new PollingHttpChannel({ relay: new RelayClient({ url: URL, fetch: down, retryWindowMs: 300 }), session: 's', party: 0 });
		const error = await channel.sendBytesTo(1, bytes(1)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RelayUnreachableError);
		expect(String(error)).toContain('cannot reach the relay at http://relay.test (connection refused)');
	});

	it('stops waiting when cancelled', async () => {
		const relay = relayFetch();
		open.push(relay);
		const controller = new AbortController();
		const client = new RelayClient({ url: URL, fetch: relay.fetch, signal: controller.signal });
		const pending = new PollingHttpChannel({ relay: client, session: 's', party: 1 }).recvBytesFrom(0);
		setTimeout(() => controller.abort(new Error('user cancelled')), 50);
		await expect(pending).rejects.toThrow('user cancelled');
	});
});

describe('RelayClient', () => {
	it('joins, lists, leaves, and stores the info blob once', async () => {
		const relay = relayFetch();
		open.push(relay);
		const client = new RelayClient({ url: `${URL}/`, fetch: relay.fetch });
		await client.join('s', 1);
		await client.join('s', 255);
		expect(await client.participants('s')).toEqual([1, 255]);
		expect(await client.participants('s', 60_000)).toEqual([1, 255]);
		await client.leave('s', 1);
		expect(await client.participants('s')).toEqual([255]);
		expect(await client.getInfo('s')).toBeUndefined();
		expect(await client.putInfo('s', Uint8Array.of(1))).toBe(true);
		expect(await client.putInfo('s', Uint8Array.of(2))).toBe(false);
		expect([...(await client.getInfo('s'))!]).toEqual([1]);
		expect(relay.requests[0].path).toBe('/join/s/1');
	});
});

describe('RelayClient with slot tokens', () => {
	it('claims a slot, refuses it to another token with SlotTakenError, and frees it on leave', async () => {
		const relay = relayFetch();
		open.push(relay);
		const client = new RelayClient({ url: URL, fetch: relay.fetch });
		const [mine, theirs] = [newSlotToken(), newSlotToken()];
		expect(mine).toMatch(/^[0-9a-f]{32}$/);
		await client.join('s', 1, { token: mine });
		await client.join('s', 1, { token: mine });
		const taken = await client.join('s', 1, { token: theirs }).catch((e: unknown) => e);
		expect(taken).toBeInstanceOf(SlotTakenError);
		expect(taken).toMatchObject({ session: 's', party: 1 });
		expect(String(taken)).toContain("slot 1 of session 's' is taken by another participant");
		await expect(client.leave('s', 1)).rejects.toThrow('401');
		await expect(client.leave('s', 1, theirs)).rejects.toThrow('403');
		await client.leave('s', 1, mine);
		expect(await client.participants('s')).toEqual([]);
		await client.join('s', 1, { token: theirs });
		expect(await client.participants('s')).toEqual([1]);
	});

	it('tells what a relay offers: slot tokens and the mailbox (which holds frames until everyone is there) with its size limit on ours, nothing on the original; and who is there', async () => {
		const ours = relayFetch({ config: { maxMessageBytes: 12345 } });
		const original = relayFetch({ original: true });
		open.push(ours, original);
		await ours.relay.join('s', 2);
		await original.relay.join('s', 1);
		expect(await new RelayClient({ url: URL, fetch: ours.fetch }).capabilities('s')).toEqual({ slotTokens: true, exchange: 1, holds: true, maxBytes: 12345, participants: [2] });
		expect(await new RelayClient({ url: URL, fetch: original.fetch }).capabilities('s', 20_000)).toEqual({ slotTokens: false, exchange: 0, holds: false, participants: [1] });
	});
});
