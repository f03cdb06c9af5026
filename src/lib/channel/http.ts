import { concatBytes } from '../crypto/block';
import { bytesEqual } from '../crypto/hash';
import { anySignal } from './any-signal';
import { partyName, type Channel, type MessageInfo } from './channel';
import { ANSWER_GRACE_MS, path, refusal, refusalWith, RelayClient, sleep } from './relay-client';

/** No message from a peer for the whole timeout: it is gone, or far slower than it should be. */
export class PeerTimeoutError extends Error {
	override name = 'PeerTimeoutError';
	constructor(
		readonly party: number,
		readonly phase: string | undefined,
		readonly timeoutMs: number,
		/** What the silence likely means, where the caller knows more than the channel. */
		hint?: string
	) {
		super(`timed out waiting for ${partyName(party)}${phase ? ` (${phase})` : ''}: nothing arrived for ${formatDuration(timeoutMs)}${hint ? `: ${hint}` : ''}`);
	}
}

/** A peer that was present has left the session (or stopped showing signs of life) while we waited for it. */
export class PeerGoneError extends Error {
	override name = 'PeerGoneError';
	constructor(
		readonly party: number,
		readonly phase: string | undefined
	) {
		super(`${partyName(party)} left the session while this party waited for it${phase ? ` (${phase})` : ''}: it stopped, or lost its connection`);
	}
}

/** The frames from a peer do not form one gap-free stream: the relay lost a message, or two runs mix. */
export class StreamError extends Error {
	override name = 'StreamError';
	constructor(
		readonly party: number,
		message: string
	) {
		super(message);
	}
}

export interface HttpChannelOptions {
	/** Relay requests (base URL, fetch, retry window, cancellation). */
	relay: RelayClient;
	session: string;
	/** This party's index (255 for the dealer). */
	party: number;
	/** This party's slot token, sent with every send and receive (see RelayClient.join). */
	token?: string;
	/** Longest silence from a peer before a receive fails. Default 10 minutes. */
	timeoutMs?: number;
	/** The long poll asked of the relay (`?wait=`); it caps it at its own maximum. Default 25 s. */
	pollWaitMs?: number;
	/** Largest request body; halved whenever the relay answers 413. Default 8 MiB. */
	maxChunkBytes?: number;
	/**
	 * With this, a receive that finds nothing asks the relay (every 10 s at most) whether the
	 * sender was seen within this many ms (`?active=`); a sender present before and absent
	 * now can never send again, so the receive fails with PeerGoneError instead of waiting for
	 * the timeout. Parties must refresh their presence (join again) more often than this.
	 */
	presenceMs?: number;
}

const FRAME_VERSION = 1;
const LAST_CHUNK = 1;
/** version u8, flags u8, stream id 8 bytes, message number u32, chunk number u32 (little-endian). */
const HEADER_BYTES = 18;
const STREAM_ID_BYTES = 8;
const EMPTY_HEADER = 'x-relay-empty';
/** An empty answer faster than this did not wait: the relay does not long-poll, so back off. */
const LONG_POLL_EVIDENCE_MS = 100;
const FIRST_POLL_DELAY_MS = 50;
const LONGEST_POLL_DELAY_MS = 1000;
const SMALLEST_CHUNK_BYTES = 1024;
/** Most frames `drain` discards from one sender (a bound, should someone keep sending). */
const MAX_DRAINED = 10_000;
/** How often a waiting receive asks whether the sender is still there. */
const PRESENCE_CHECK_MS = 10_000;

interface SendStream {
	id: Uint8Array;
	next: number;
	/** The tail of this direction's sends: each waits for the one before (FIFO on the wire). */
	tail: Promise<void>;
}

interface RecvStream {
	id?: Uint8Array;
	/** Streams seen only in the middle, before this one started. */
	skipped: Set<string>;
	next: number;
	chunk: number;
	tail: Promise<unknown>;
}

/**
 * A Channel through the relay, compatible with the original Polytune relay API and faster
 * with ours. Sends POST `/send/{session}/{me}/{to}`; receives poll `/recv/{session}/{from}/{me}`
 * with `?wait=` (a long poll where the relay offers it, plain polling with backoff where not).
 *
 * Each message travels as one or more frames with a header: a random stream id per
 * direction and run, the message number and the chunk number. Large messages are split under
 * the relay's size limit (found by halving on 413). A send whose answer is lost is sent again
 * and the receiver drops the duplicate, so sends are never lost or doubled. The one window
 * left is the receive: if the connection dies after the relay handed out a message, that
 * message is gone — the relay puts a message back only when it sees the client leave before
 * the answer. The receiver then sees a gap in the message numbers and fails with a
 * StreamError instead of computing on a damaged stream. A frame that cannot start a stream
 * (message > 0 before message 0) is skipped once as a leftover of an earlier run of the
 * session; frames of two different streams from one sender fail with a StreamError.
 */
export class PollingHttpChannel implements Channel {
	bytesSent = 0;
	bytesReceived = 0;
	private readonly relay: RelayClient;
	private readonly timeoutMs: number;
	private readonly pollWaitMs: number;
	private chunkBytes: number;
	private readonly sends = new Map<number, SendStream>();
	private readonly recvs = new Map<number, RecvStream>();
	/** Parties seen present (or heard from): only their absence means they are gone. */
	private readonly seen = new Set<number>();
	/** Aborted by `cancel`: ends the receives, not the sends. */
	private readonly receives = new AbortController();

	constructor(private readonly options: HttpChannelOptions) {
		this.relay = options.relay;
		this.timeoutMs = options.timeoutMs ?? 600_000;
		this.pollWaitMs = options.pollWaitMs ?? 25_000;
		this.chunkBytes = options.maxChunkBytes ?? 8 * 1024 * 1024;
	}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		let stream = this.sends.get(to);
		if (!stream) {
			stream = { id: crypto.getRandomValues(new Uint8Array(STREAM_ID_BYTES)), next: 0, tail: Promise.resolve() };
			this.sends.set(to, stream);
		}
		const message = stream.next++;
		const copy = bytes.slice();
		// A failed send breaks the stream: later sends of this direction fail with the same error.
		const sent = stream.tail.then(() => this.sendFrames(to, stream, message, copy, info));
		stream.tail = sent;
		return sent;
	}

	recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		let stream = this.recvs.get(from);
		if (!stream) {
			stream = { skipped: new Set(), next: 0, chunk: 0, tail: Promise.resolve() };
			this.recvs.set(from, stream);
		}
		const received = stream.tail.then(() => this.receiveMessage(from, stream, info));
		stream.tail = received;
		return received;
	}

	/** Ends the waiting receives, and later ones, with `reason`; what was sent still goes out (see `finish`). */
	cancel(reason: unknown): void {
		this.receives.abort(reason);
	}

	/** Resolves once every send so far has been accepted by the relay; rejects with a failed send's error. */
	async finish(): Promise<void> {
		await Promise.all([...this.sends.values()].map((stream) => stream.tail));
	}

	private async sendFrames(to: number, stream: SendStream, message: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		const url = path('send', this.options.session, this.options.party, to);
		let offset = 0;
		let chunk = 0;
		for (;;) {
			const size = Math.min(this.chunkBytes - HEADER_BYTES, bytes.length - offset);
			const last = offset + size === bytes.length;
			const frame = new Uint8Array(HEADER_BYTES + size);
			writeHeader(frame, stream.id, message, chunk, last);
			frame.set(bytes.subarray(offset, offset + size), HEADER_BYTES);
			const what = `pass on a message to ${partyName(to)}${info?.phase ? ` (${info.phase})` : ''}`;
			const response = await this.relay.request('POST', url, { body: frame, what, busyWindowMs: this.timeoutMs, token: this.options.token });
			if (response.status === 413 && this.chunkBytes / 2 >= SMALLEST_CHUNK_BYTES) {
				await response.body?.cancel();
				this.chunkBytes = Math.floor(this.chunkBytes / 2);
				continue;
			}
			if (!response.ok) throw await refusal(response, what);
			await response.body?.cancel();
			this.bytesSent += frame.length;
			if (last) return;
			offset += size;
			chunk++;
		}
	}

	private async receiveMessage(from: number, stream: RecvStream, info?: MessageInfo): Promise<Uint8Array> {
		const parts: Uint8Array[] = [];
		for (;;) {
			const frame = await this.takeFrame(from, info);
			if (frame.length < HEADER_BYTES || frame[0] !== FRAME_VERSION) {
				throw new StreamError(from, `${partyName(from)} sent a message this version cannot read (is it the same polytune version?)`);
			}
			const view = new DataView(frame.buffer, frame.byteOffset, frame.length);
			const id = frame.subarray(2, 2 + STREAM_ID_BYTES);
			const message = view.getUint32(10, true);
			const chunk = view.getUint32(14, true);
			if (!stream.id && (message !== 0 || chunk !== 0)) {
				// A stream starts at message 0: a single later frame is what an earlier run of the
				// session left behind (an unread abort notice); more frames of it mean its start was lost.
				const key = id.join();
				if (!stream.skipped.has(key)) {
					stream.skipped.add(key);
					continue;
				}
				throw new StreamError(
					from,
					`the first message from ${partyName(from)} never arrived: the relay lost it, or an earlier run left messages in session '${this.options.session}' — use a new session name`
				);
			}
			if (!stream.id) stream.id = id.slice();
			else if (!bytesEqual(stream.id, id)) {
				throw new StreamError(
					from,
					`messages from ${partyName(from)} come from two different runs: two processes joined as ${partyName(from)}, or an earlier run left messages in session '${this.options.session}' — use a new session name`
				);
			}
			if (message < stream.next || (message === stream.next && chunk < stream.chunk)) continue; // a retried send's duplicate
			if (message !== stream.next || chunk !== stream.chunk) {
				throw new StreamError(from, `message ${stream.next} from ${partyName(from)} was lost on the way (the next to arrive was message ${message}, part ${chunk})`);
			}
			this.bytesReceived += frame.length;
			parts.push(frame.subarray(HEADER_BYTES));
			if (frame[1] & LAST_CHUNK) {
				stream.next++;
				stream.chunk = 0;
				return parts.length === 1 ? parts[0] : concatBytes(...parts);
			}
			stream.chunk++;
		}
	}

	/** The next frame from `from`, waiting up to the silence timeout (or until it is gone). */
	private async takeFrame(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const url = path('recv', this.options.session, from, this.options.party);
		const what = `pass on messages from ${partyName(from)}${info?.phase ? ` (${info.phase})` : ''}`;
		const deadline = Date.now() + this.timeoutMs;
		let delay = FIRST_POLL_DELAY_MS;
		let lastLook = Date.now();
		for (;;) {
			const started = Date.now();
			const frame = await this.poll(url, Math.max(0, Math.min(this.pollWaitMs, deadline - started)), what);
			if (frame) {
				this.seen.add(from);
				return frame;
			}
			const now = Date.now();
			if (now >= deadline) throw new PeerTimeoutError(from, info?.phase, this.timeoutMs);
			const presenceMs = this.options.presenceMs;
			if (presenceMs !== undefined && now - lastLook >= Math.min(PRESENCE_CHECK_MS, presenceMs / 2)) {
				lastLook = now;
				if (await this.vanished(from)) {
					// It may have sent its last message just before it left: look once more.
					const last = await this.poll(url, 0, what);
					if (last) return last;
					throw new PeerGoneError(from, info?.phase);
				}
			}
			if (now - started < LONG_POLL_EVIDENCE_MS) {
				const pause = anySignal(this.receives.signal, this.relay.signal);
				await sleep(Math.min(delay, deadline - now), pause.signal).finally(pause.release);
				delay = Math.min(delay * 2, LONGEST_POLL_DELAY_MS);
			} else {
				delay = FIRST_POLL_DELAY_MS;
			}
		}
	}

	/**
	 * Discards what `from` has queued for this party. Before this party has joined, that can
	 * only be left over from an earlier run of the session: peers send to a party only once
	 * the relay lists it. Resolves with the number of frames discarded. (A relay that checks
	 * slot tokens does this itself when the slot is claimed; this is for one that does not.)
	 */
	async drain(from: number): Promise<number> {
		const url = path('recv', this.options.session, from, this.options.party);
		let discarded = 0;
		while (discarded < MAX_DRAINED && (await this.poll(url, 0, `clear old messages from ${partyName(from)}`))) discarded++;
		return discarded;
	}

	/** One receive request: the frame, or null when nothing is queued. */
	private async poll(url: string, wait: number, what: string): Promise<Uint8Array | null> {
		const response = await this.relay.request('POST', `${url}?wait=${wait}`, { what, attemptTimeoutMs: wait + ANSWER_GRACE_MS, token: this.options.token, signal: this.receives.signal });
		if (response.ok) return new Uint8Array(await response.arrayBuffer());
		const text = await response.text().catch(() => '');
		// Our relay marks "nothing queued"; the original answers it with a bare 400.
		const empty = response.status === 400 && (response.headers.get(EMPTY_HEADER) === '1' || text === '');
		if (!empty) throw refusalWith(response, text, what);
		return null;
	}

	/** True if `party` was present before and the relay has not seen it for `presenceMs`. */
	private async vanished(party: number): Promise<boolean> {
		const active = await this.relay.participants(this.options.session, this.options.presenceMs).catch(() => undefined);
		if (!active || active.includes(party)) {
			if (active) this.seen.add(party);
			return false;
		}
		return this.seen.has(party);
	}
}

function writeHeader(frame: Uint8Array, id: Uint8Array, message: number, chunk: number, last: boolean): void {
	const view = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES);
	frame[0] = FRAME_VERSION;
	frame[1] = last ? LAST_CHUNK : 0;
	frame.set(id, 2);
	view.setUint32(10, message, true);
	view.setUint32(14, chunk, true);
}


/** `90 s`, `10 min`, `1.5 h`. */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${ms} ms`;
	if (ms < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
	if (ms < 7_200_000) return `${+(ms / 60_000).toFixed(1)} min`;
	return `${+(ms / 3_600_000).toFixed(1)} h`;
}
