import { afterEach, describe, expect, it } from 'vitest';
import { sendWithTail, type Channel } from '../../../src/lib/channel/channel';
import { PeerGoneError, StreamError } from '../../../src/lib/channel/http';
import { MailboxChannel, type MailboxChannelOptions } from '../../../src/lib/channel/mailbox';
import { decodeAnswer, decodeRequest, encodeAnswer, encodeAnswerParts, encodeRequest, framesBytes, MAX_FRAMES_PER_BODY, payloadBytes, type MailFrame } from '../../../src/lib/channel/mailbox-wire';
import { LAST_PIECE } from '../../../src/lib/channel/mailbox-inbox';
import { Outbox } from '../../../src/lib/channel/mailbox-outbox';
import { newSlotToken, RelayClient, RelayRefusedError, RelaySessionLostError, RelayUnreachableError, type Fetch } from '../../../src/lib/channel/relay-client';
import { seeded } from '../mpc/helpers';
import { bytes, expectInOrderBothWays, expectSilenceTimeout } from './expectations';
import { relayFetch, type Fault, type RelayFetch, type RelayFetchOptions, type RelayRequest } from './relay-fetch';

const URL = 'http://relay.test';
let open: RelayFetch[] = [];
let channels: MailboxChannel[] = [];

afterEach(async () => {
	channels.forEach((channel) => channel.cancel(new Error('test over')));
	await Promise.all(open.map((r) => r.close()));
	open = [];
	channels = [];
});

const exchanges = (r: RelayFetch, party?: number) => r.requests.filter((q) => q.path.startsWith(party === undefined ? '/exchange/' : `/exchange/s/${party}`));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A relay in this process and parties 0–2 joined with tokens of their own; `make` opens a party's channel. */
async function setup(options: RelayFetchOptions = {}, channel: Partial<MailboxChannelOptions> = {}) {
	const relay = relayFetch(options);
	open.push(relay);
	const tokens = [newSlotToken(), newSlotToken(), newSlotToken()];
	for (const [party, token] of tokens.entries()) await relay.relay.join('s', party, token);
	const make = (party: number, fetch: Fetch = relay.fetch, more: Partial<MailboxChannelOptions> = {}) => {
		const made = new MailboxChannel({
			relay: new RelayClient({ url: URL, fetch, retryWindowMs: 2000 }),
			session: 's',
			party,
			token: tokens[party],
			pollWaitMs: 2000,
			...channel,
			...more
		});
		channels.push(made);
		return made;
	};
	return { relay, tokens, make };
}

describe('MailboxChannel', () => {
	it('delivers messages in order both ways, including empty ones and ones larger than a request', async () => {
		const { make } = await setup({}, { maxRequestBytes: 1024 });
		const [a, b] = [make(0), make(1)];
		await expectInOrderBothWays(a, b);
		await Promise.all([a.finish(), b.finish()]);
		// 4321 bytes in pieces of 1024 − 11 = 1013: 5 frames, the other three 1 each; 9 + 1 bytes of header per frame.
		expect(a.bytesSent).toBe(3 + 0 + 4321 + 982 + 8 * (9 + 1));
		expect(b.bytesReceived).toBe(a.bytesSent);
	});

	it('puts what is sent in one turn into one request, and receives from everyone in one request', async () => {
		const { relay, make } = await setup();
		const [a, b, c] = [make(0), make(1), make(2)];
		const waiting = Promise.all([c.recvBytesFrom(0), c.recvBytesFrom(1)]);
		await pause(50);
		expect(exchanges(relay, 2)).toHaveLength(1); // one request waits for both senders
		await Promise.all([a.sendBytesTo(2, bytes(10)), a.sendBytesTo(1, bytes(11)), a.sendBytesTo(2, bytes(12))]);
		await pause(50);
		expect(exchanges(relay, 0)).toHaveLength(1);
		await b.sendBytesTo(2, bytes(13));
		expect(await waiting).toEqual([bytes(10), bytes(13)]);
		expect(await c.recvBytesFrom(0)).toEqual(bytes(12));
		expect(await b.recvBytesFrom(0)).toEqual(bytes(11));
		// Party 2 asked again only after an answer: one that brought party 0's messages, one that brought party 1's.
		expect(exchanges(relay, 2).length).toBeLessThanOrEqual(3);
	});

	it('asks for a sender that no request on its way covers in a request of its own, without waiting for the other answer', async () => {
		const { relay, make } = await setup({}, { pollWaitMs: 60_000 });
		const [a, b, c] = [make(0), make(1), make(2)];
		const fromA = c.recvBytesFrom(0);
		await pause(50);
		const fromB = c.recvBytesFrom(1);
		await b.sendBytesTo(2, bytes(5));
		// Party 0 is silent: the request for its frames waits on, and party 1's message comes all the same.
		expect(await fromB).toEqual(bytes(5));
		expect(exchanges(relay, 2)).toHaveLength(2);
		await a.sendBytesTo(2, bytes(6));
		expect(await fromA).toEqual(bytes(6));
	});

	it('takes frames only from the senders a receive waits for, so that a party nobody waits for cannot fill its memory', async () => {
		const { relay, make } = await setup();
		const [a, b, flooder] = [make(0), make(1), make(2)];
		for (let i = 0; i < 20; i++) await flooder.sendBytesTo(1, bytes(10_000, i));
		await flooder.finish();
		await a.sendBytesTo(1, bytes(7));
		expect(await b.recvBytesFrom(0)).toEqual(bytes(7));
		await b.finish();
		const health = await relay.relay.health();
		expect(health.ok && health.queuedBytes).toBeGreaterThanOrEqual(20 * 10_000);
		expect(b.bytesReceived).toBeLessThan(1000);
	});

	it('keeps receiving while the session is full, so that parties sending much to each other never block each other', async () => {
		// Room for three 10 kB messages: each party's sends wait (429) until the other has received.
		const { make } = await setup({ config: { maxSessionBytes: 31_000 } }, { timeoutMs: 20_000 });
		const [a, b] = [make(0), make(1)];
		const talk = async (me: MailboxChannel, peer: number) => {
			const heard: Uint8Array[] = [];
			for (let round = 0; round < 4; round++) {
				await Promise.all([me.sendBytesTo(peer, bytes(10_000, round)), me.sendBytesTo(peer, bytes(10_000, round + 10))]);
				heard.push(await me.recvBytesFrom(peer), await me.recvBytesFrom(peer));
			}
			await me.finish();
			return heard;
		};
		const expected = [0, 1, 2, 3].flatMap((round) => [bytes(10_000, round), bytes(10_000, round + 10)]);
		expect(await Promise.all([talk(a, 1), talk(b, 0)])).toEqual([expected, expected]);
	}, 30_000);

	it('gives up on a session that stays full for the timeout, with the relay’s words', async () => {
		const { make } = await setup({ config: { maxSessionBytes: 15_000 } }, { timeoutMs: 500 });
		const a = make(0);
		await a.sendBytesTo(1, bytes(10_000));
		await a.sendBytesTo(1, bytes(10_000, 1));
		const error = await a.finish().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RelayRefusedError);
		expect(String(error)).toContain("the relay refused to pass on messages to party 1: 429 session 's' is full");
	});

	it('resolves sends before the relay has them, and `finish` once it has them all', async () => {
		let held: (() => void) | undefined;
		const { make, relay } = await setup();
		const slow: Fetch = async (input, init) => {
			if (new globalThis.URL(input).pathname.startsWith('/exchange/')) await new Promise<void>((resolve) => (held = resolve));
			return relay.fetch(input, init);
		};
		const a = make(0, slow);
		await a.sendBytesTo(1, bytes(5));
		let finished = false;
		const finishing = a.finish().then(() => (finished = true));
		await pause(50);
		expect(finished).toBe(false);
		held!();
		await finishing;
		expect(await make(1).recvBytesFrom(0)).toEqual(bytes(5));
	});

	it('loses nothing and doubles nothing when requests and answers are lost or repeated', async () => {
		const roll = seeded(15);
		const fault = (q: RelayRequest): Fault => {
			if (!q.path.startsWith('/exchange/')) return undefined;
			const dice = roll();
			return dice < 0.15 ? 'lose-answer' : dice < 0.25 ? 'lose-request' : dice < 0.35 ? 'twice' : undefined;
		};
		const { make } = await setup({ fault }, { maxRequestBytes: 1024 });
		const patient = (party: number) => make(party, undefined, { relay: new RelayClient({ url: URL, fetch: open[0].fetch, retryWindowMs: 20_000 }) });
		const [a, b] = [patient(0), patient(1)];
		const messages = Array.from({ length: 20 }, (_, i) => bytes(1 + ((i * 97) % 700), i));
		const sending = (async () => {
			for (const [i, m] of messages.entries()) {
				await a.sendBytesTo(1, m);
				if (i % 7 === 0) await pause(5);
			}
		})();
		for (const m of messages) expect(await b.recvBytesFrom(0)).toEqual(m);
		await sending;
		await Promise.all([a.finish(), b.finish()]);
		const extra = await Promise.race([b.recvBytesFrom(0).then(() => 'a message too many'), pause(300).then(() => 'nothing more')]);
		expect(extra).toBe('nothing more');
	}, 60_000);

	it('times out after the given silence, naming the party and the phase', async () => {
		const { make } = await setup({}, { timeoutMs: 300 });
		await expectSilenceTimeout(make(1));
	});

	it('fails soon when a sender that was present vanishes, but not before its last message', async () => {
		const { relay, make, tokens } = await setup({}, { presenceMs: 300, pollWaitMs: 100, timeoutMs: 3000 });
		const started = Date.now();
		const gone = await make(0).recvBytesFrom(1, { phase: 'garbling' }).catch((e: unknown) => e);
		expect(gone).toBeInstanceOf(PeerGoneError);
		expect(String(gone)).toContain('party 1 left the session while this party waited for it (garbling)');
		expect(Date.now() - started).toBeLessThan(2500);

		// Sent its last message, then left: the message arrives.
		const receiving = make(0).recvBytesFrom(2);
		await pause(200);
		const last = make(2);
		await last.sendBytesTo(0, bytes(4));
		await last.finish();
		await relay.relay.leave('s', 2, tokens[2]);
		expect(await receiving).toEqual(bytes(4));
	});

	it('says so when the relay lost the session: it no longer knows the slot, or its mailbox started anew', async () => {
		let current = relayFetch();
		open.push(current);
		const restartable: Fetch = (input, init) => current.fetch(input, init);
		const token = newSlotToken();
		await current.relay.join('s', 0, token);
		const channel = new MailboxChannel({ relay: new RelayClient({ url: URL, fetch: restartable }), session: 's', party: 0, token, pollWaitMs: 200 });
		channels.push(channel);
		await channel.sendBytesTo(1, bytes(3));
		await channel.finish();
		current = relayFetch(); // a relay that restarted with an empty memory
		open.push(current);
		const forgotten = await channel.recvBytesFrom(1).catch((e: unknown) => e);
		expect(forgotten).toBeInstanceOf(RelaySessionLostError);
		expect(String(forgotten)).toBe(
			"RelaySessionLostError: the relay at http://relay.test lost session 's' during the run (it no longer knows the slot of party 0): it restarted without a shared store, or its store lost its data, so the messages it held are gone — start the run again (a relay with --store redis://… keeps sessions across restarts)"
		);
		await expect(channel.sendBytesTo(1, bytes(1))).rejects.toBe(forgotten);

		const other = new MailboxChannel({ relay: new RelayClient({ url: URL, fetch: restartable }), session: 's', party: 0, token, pollWaitMs: 200 });
		channels.push(other);
		await current.relay.join('s', 0, token);
		await other.sendBytesTo(1, bytes(3));
		await other.finish();
		current = relayFetch(); // restarted, and the party's heartbeat claimed its slot again before its next exchange
		open.push(current);
		await current.relay.join('s', 0, token);
		expect(String(await other.recvBytesFrom(1).catch((e: unknown) => e))).toContain('(its mailbox of the session started anew)');
	});

	it('fails every pending and later send and receive on a refusal, with the relay’s words', async () => {
		const { make } = await setup();
		const stranger = make(1, undefined, { token: newSlotToken() });
		const pending = stranger.recvBytesFrom(0, { phase: 'garbling' }).catch((e: unknown) => e);
		const error = await pending;
		expect(error).toBeInstanceOf(RelayRefusedError);
		expect(String(error)).toContain("the relay refused to pass on messages for this party: 403 slot 1 of session 's' is held by another participant");
		await expect(stranger.sendBytesTo(0, bytes(1))).rejects.toBe(error);
	});

	it('gives up on an unreachable relay after the retry window', async () => {
		const down: Fetch = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
		const channel = new MailboxChannel({ relay: new RelayClient({ url: URL, fetch: down, retryWindowMs: 300 }), session: 's', party: 0, token: newSlotToken() });
		channels.push(channel);
		await channel.sendBytesTo(1, bytes(1));
		const error = await channel.finish().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RelayUnreachableError);
		expect(String(error)).toContain('cannot reach the relay at http://relay.test (connection refused)');
	});

	it('fails with a StreamError when the relay skips a frame, which no retry can mend', async () => {
		const { make, relay } = await setup();
		const skipping: Fetch = async (input, init) => {
			const answer = await relay.fetch(input, init);
			if (!new globalThis.URL(input).pathname.startsWith('/exchange/s/1') || !answer.ok) return answer;
			const decoded = decodeAnswer(new Uint8Array(await answer.arrayBuffer()));
			return new Response(encodeAnswer({ ...decoded, frames: decoded.frames.filter((f) => f.seq !== 1) }) as Uint8Array<ArrayBuffer>);
		};
		const a = make(0);
		await a.sendBytesTo(1, bytes(1));
		await a.sendBytesTo(1, bytes(2));
		const error = await make(1, skipping).recvBytesFrom(0).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StreamError);
		expect(String(error)).toContain('frame 1 from party 0 was lost on the way (the next to arrive was frame 2)');
	});

	it('ends waiting receives on cancel while what was sent still goes out', async () => {
		const { make } = await setup();
		const a = make(0);
		const waiting = a.recvBytesFrom(1).catch((e: unknown) => e);
		await pause(20);
		await a.sendBytesTo(1, bytes(6));
		a.cancel(new Error('user cancelled'));
		expect(String(await waiting)).toContain('user cancelled');
		await expect(a.recvBytesFrom(2)).rejects.toThrow('user cancelled');
		await a.finish();
		expect(await make(1).recvBytesFrom(0)).toEqual(bytes(6));
	});

	it('with `holdUntil`, speaks before the others are there: the relay stores nothing until they are, and held frames go again', async () => {
		const relay = relayFetch({ config: { maxWaitMs: 150 } });
		open.push(relay);
		const tokens = [newSlotToken(), newSlotToken(), newSlotToken()];
		await relay.relay.join('s', 1, tokens[1]);
		const client = () => new RelayClient({ url: URL, fetch: relay.fetch, retryWindowMs: 2000 });
		const a = new MailboxChannel({ relay: client(), session: 's', party: 0, token: tokens[0], pollWaitMs: 2000, holdUntil: { parties: [1, 2], activeMs: 60_000 } });
		channels.push(a);
		// Party 0 speaks before its own join, and before party 2 is there.
		const reply = a.recvBytesFrom(1);
		await Promise.all([a.sendBytesTo(1, bytes(21)), a.sendBytesTo(2, bytes(22))]);
		await relay.relay.join('s', 0, tokens[0]);
		await pause(500);
		// Held, again and again, one request at a time; nothing reached party 1's mailbox.
		expect(exchanges(relay, 0).length).toBeGreaterThanOrEqual(2);
		expect((await relay.relay.exchange({ session: 's', party: 1, token: tokens[1], frames: [], acks: new Map() })).frames).toEqual([]);
		// Nothing held has reached anyone: a run that stops now has nothing to wait for.
		await a.finish();
		await relay.relay.join('s', 2, tokens[2]);
		const b = new MailboxChannel({ relay: client(), session: 's', party: 1, token: tokens[1], pollWaitMs: 2000 });
		const c = new MailboxChannel({ relay: client(), session: 's', party: 2, token: tokens[2], pollWaitMs: 2000 });
		channels.push(b, c);
		expect(await b.recvBytesFrom(0)).toEqual(bytes(21));
		expect(await c.recvBytesFrom(0)).toEqual(bytes(22));
		await b.sendBytesTo(0, bytes(23));
		expect(await reply).toEqual(bytes(23));
		// Released: later frames are stored at once, whoever is there.
		await a.sendBytesTo(1, bytes(24));
		await a.finish();
		expect(await b.recvBytesFrom(0)).toEqual(bytes(24));
	});
});

describe('the mailbox outbox', () => {
	it('cuts a message into views of it, and the wire carries each piece header in front of its piece', () => {
		const outbox = new Outbox(1000);
		const message = new Uint8Array(2500).map((_, i) => (i * 13) & 0xff);
		outbox.add(3, message);
		const requests: MailFrame[][] = [];
		while (outbox.queued) requests.push(outbox.take());
		expect(requests.length).toBe(3);
		const frames = requests.flat();
		for (const frame of frames) expect(frame.payload.buffer).toBe(message.buffer);
		const bodies = requests.map((request) => encodeRequest(request));
		bodies.forEach((body, i) => expect(body.length).toBe(framesBytes(requests[i])));
		expect(Math.max(...bodies.map((body) => body.length))).toBeLessThanOrEqual(1000);
		const sent = bodies.flatMap((body) => decodeRequest(body));
		expect(sent.map((frame) => [frame.peer, frame.seq])).toEqual(frames.map((_, i) => [3, i + 1]));
		expect(sent.map((frame) => frame.payload[0])).toEqual(frames.map((_, i) => (i === frames.length - 1 ? LAST_PIECE : 0)));
		const pieces = sent.map((frame) => frame.payload.subarray(1));
		expect(new Uint8Array(pieces.flatMap((piece) => [...piece]))).toEqual(message);
	});
});

describe('frames per body', () => {
	it('are at most MAX_FRAMES_PER_BODY: the outbox packs no more into a request, and a body with more is refused, saying so', () => {
		const outbox = new Outbox(1 << 20);
		for (let i = 0; i < MAX_FRAMES_PER_BODY + 5; i++) outbox.add(1, new Uint8Array(0));
		const first = outbox.take();
		expect(first.length).toBe(MAX_FRAMES_PER_BODY);
		expect(decodeRequest(encodeRequest(first))).toHaveLength(MAX_FRAMES_PER_BODY);
		expect(outbox.take()).toHaveLength(5);
		const tooMany = Array.from({ length: MAX_FRAMES_PER_BODY + 1 }, (_, i) => ({ peer: 1, seq: i + 1, payload: new Uint8Array(0) }));
		expect(() => decodeRequest(encodeRequest(tooMany))).toThrow(`mailbox request: more than ${MAX_FRAMES_PER_BODY} frames (send them in several requests)`);
	});
});

describe('a message with a tail byte', () => {
	it('goes out as views of the message and the tail as a part of its own, as the joined message would', () => {
		const pieceBytes = 1000 - 1 - 9 - 1;
		for (const length of [0, 1, 2500, pieceBytes, 2 * pieceBytes, 2 * pieceBytes - 1]) {
			const outbox = new Outbox(1000);
			const message = new Uint8Array(length).map((_, i) => (i * 29) & 0xff);
			outbox.add(5, message, 0xab);
			const requests: MailFrame[][] = [];
			while (outbox.queued) requests.push(outbox.take());
			const frames = requests.flat();
			for (const frame of frames) if (frame.payload.length > 1 || frame.rest) expect(frame.payload.buffer).toBe(message.buffer);
			const bodies = requests.map((request) => encodeRequest(request));
			expect(Math.max(...bodies.map((body) => body.length))).toBeLessThanOrEqual(1000);
			const sent = bodies.flatMap((body) => decodeRequest(body));
			expect(sent.map((frame) => frame.payload[0])).toEqual(sent.map((_, i) => (i === sent.length - 1 ? LAST_PIECE : 0)));
			const joined = new Uint8Array(sent.flatMap((frame) => [...frame.payload.subarray(1)]));
			expect(joined).toEqual(Uint8Array.of(...message, 0xab));
			expect(sent.length).toBe(Math.ceil((length + 1) / pieceBytes));
		}
	});

	it('is joined for a channel that sends whole messages only', async () => {
		const seen: Uint8Array[] = [];
		const whole: Channel = { sendBytesTo: async (_to, bytes) => void seen.push(bytes), recvBytesFrom: () => new Promise(() => {}) };
		await sendWithTail(whole, 1, Uint8Array.of(1, 2, 3), 9);
		expect(seen).toEqual([Uint8Array.of(1, 2, 3, 9)]);
	});
});

describe('the mailbox wire', () => {
	/** `body` cut at `cuts` (sorted offsets), empty chunks included where two cuts meet. */
	const cut = (body: Uint8Array, cuts: number[]) => [0, ...cuts].map((at, i) => body.slice(at, i < cuts.length ? cuts[i] : body.length));

	it('reads a request body in chunks as in one array, each payload as views of the chunks it spans', () => {
		const random = seeded(7);
		const frames: MailFrame[] = [0, 1, 2, 3, 4].map((i) => ({ peer: i + 1, seq: 10 + i, payload: new Uint8Array(i * 700).map(() => Math.floor(random() * 256)) }));
		const body = encodeRequest(frames);
		const whole = decodeRequest(body);
		const joined = (frame: MailFrame) => [frame.payload, ...(frame.rest ?? [])].flatMap((piece) => [...piece]);
		for (let round = 0; round < 20; round++) {
			const cuts = Array.from({ length: 1 + (round % 7) }, () => Math.floor(random() * body.length)).sort((a, b) => a - b);
			const chunks = cut(body, cuts);
			const decoded = decodeRequest(chunks);
			expect(decoded.map(({ peer, seq }) => [peer, seq])).toEqual(whole.map(({ peer, seq }) => [peer, seq]));
			expect(decoded.map(joined)).toEqual(whole.map(joined));
			decoded.forEach((frame, i) => expect(payloadBytes(frame)).toBe(frames[i].payload.length));
			const buffers = new Set<ArrayBufferLike>(chunks.map((chunk) => chunk.buffer));
			for (const frame of decoded) if (frame.payload.length > 0) expect([frame.payload, ...(frame.rest ?? [])].every((piece) => buffers.has(piece.buffer))).toBe(true);
		}
	});

	it('answers in parts: large payloads as the arrays themselves, everything between them in arrays of their own', () => {
		const random = seeded(11);
		const payload = (length: number) => new Uint8Array(length).map(() => Math.floor(random() * 256));
		const large = [payload(40_000), payload(16 * 1024), payload(70_000)];
		const frames: MailFrame[] = [
			{ peer: 2, seq: 1, payload: payload(30) },
			{ peer: 2, seq: 2, payload: large[0], head: 7 },
			{ peer: 3, seq: 5, payload: large[1] },
			{ peer: 3, seq: 6, payload: payload(16 * 1024 - 1), head: 1 },
			{ peer: 4, seq: 9, payload: large[2] }
		];
		const answer = { frames, more: true, epoch: '0123456789abcdef' };
		const parts = encodeAnswerParts(answer);
		// Header and first frame | large[0] | its successor's header | large[1] | two headers and a small payload | large[2] | nothing after it.
		expect(parts.length).toBe(6);
		expect(large.every((array) => parts.includes(array))).toBe(true);
		const joined = new Uint8Array(parts.flatMap((part) => [...part]));
		expect(joined.length).toBe(framesBytes(frames, 10));
		const decoded = decodeAnswer(joined);
		expect(decoded.more).toBe(true);
		expect(decoded.epoch).toBe(answer.epoch);
		expect(decoded.frames.map(({ peer, seq }) => [peer, seq])).toEqual(frames.map(({ peer, seq }) => [peer, seq]));
		decoded.frames.forEach((frame, i) => {
			const { head, payload } = frames[i];
			expect(frame.payload).toEqual(head === undefined ? payload : Uint8Array.of(head, ...payload));
		});
		expect(encodeAnswer(answer)).toEqual(joined);
		expect(encodeAnswerParts({ frames: [], more: false, epoch: answer.epoch })).toHaveLength(1);
	});

	it('names the same fault in a malformed body, whole or in chunks', () => {
		const body = encodeRequest([{ peer: 1, seq: 1, payload: Uint8Array.of(1, 2, 3) }]);
		const zeroSeq = body.slice();
		zeroSeq.set([0, 0, 0, 0], 2);
		for (const bad of [body.subarray(0, 6), body.subarray(0, body.length - 1), zeroSeq, Uint8Array.of(9)]) {
			const whole = (() => {
				try {
					decodeRequest(bad);
				} catch (error) {
					return (error as Error).message;
				}
			})();
			expect(whole).toMatch(/mailbox request/);
			expect(() => decodeRequest(cut(bad, [1, 1, Math.min(3, bad.length)]))).toThrow(whole);
		}
	});
});
