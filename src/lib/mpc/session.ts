import { AbortableChannel, PeerAbortError } from '../channel/abortable';
import { partyName, sendWithTail, type Channel, type MessageInfo } from '../channel/channel';
import { concatBytes, randomFill } from '../crypto/block';
import { digestOf } from '../crypto/hash';
import type { Echo } from './echo';
import { MpcAbortError } from './errors';

/** What `onProgress` receives: one phase's fraction plus the traffic so far. */
export interface MpcProgress {
	phase: string;
	done: number;
	total: number;
	bytesSent: number;
	bytesReceived: number;
}

/** Largest message sent in one piece; longer payloads travel as several messages. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** Most bytes a peer may have sent ahead of what this party has read; beyond, it floods. */
const MAX_BUFFERED_BYTES = 512 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
const NONCE_BYTES = 16;
const RUN_DOMAIN = new TextEncoder().encode('polytune-web run v1');

function cancellation(signal: AbortSignal, me: number): MpcAbortError {
	const reason: unknown = signal.reason;
	const detail = reason instanceof Error ? reason.message : reason === undefined ? 'cancelled' : String(reason);
	return new MpcAbortError('cancelled', me, `${partyName(me)} cancelled the run: ${detail}`);
}

/** Counts the bytes that pass through a channel. */
class CountingChannel implements Channel {
	bytesSent = 0;
	bytesReceived = 0;

	constructor(private readonly inner: Channel) {}

	async sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		this.bytesSent += bytes.length;
		await this.inner.sendBytesTo(to, bytes, info);
	}

	async sendWithTailTo(to: number, bytes: Uint8Array, tail: number, info?: MessageInfo): Promise<void> {
		this.bytesSent += bytes.length + 1;
		await sendWithTail(this.inner, to, bytes, tail, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const bytes = await this.inner.recvBytesFrom(from, info);
		this.bytesReceived += bytes.length;
		return bytes;
	}
}

interface Waiter {
	resolve: (bytes: Uint8Array) => void;
	reject: (error: Error) => void;
	what: string;
	/** It waits as long as the peer computes (MessageInfo.patient). */
	patient: boolean;
}

/**
 * Everything one peer sends this party, sorted by stream: one loop reads the peer's messages
 * in order and hands each to the receive waiting on its stream, or keeps it until one asks.
 * Parts of the protocol on different streams thus never wait for each other's messages.
 */
class Inbox {
	private readonly queues = new Map<number, Uint8Array[]>();
	private readonly waiters = new Map<number, Waiter[]>();
	private buffered = 0;
	private failure: Error | null = null;
	private reading = false;

	constructor(
		private readonly channel: AbortableChannel,
		private readonly peer: number,
		private readonly readsAfter: Promise<void>
	) {}

	take(stream: number, what: string, patient: boolean): Promise<Uint8Array> {
		const queue = this.queues.get(stream);
		if (queue?.length) {
			const bytes = queue.shift()!;
			this.buffered -= bytes.length;
			return Promise.resolve(bytes);
		}
		if (this.failure) return Promise.reject(this.failure);
		const promise = new Promise<Uint8Array>((resolve, reject) => {
			const waiting = this.waiters.get(stream);
			if (waiting) waiting.push({ resolve, reject, what, patient });
			else this.waiters.set(stream, [{ resolve, reject, what, patient }]);
		});
		if (!this.reading) void this.read();
		return promise;
	}

	/** Reads while anyone waits: messages that arrive ahead stay queued until asked for. */
	private async read(): Promise<void> {
		this.reading = true;
		// What timeouts and errors name: the oldest receive still waiting.
		const oldestWait = () => this.oldestWait();
		const allPatient = () => [...this.waiters.values()].every((waiting) => waiting.every((waiter) => waiter.patient));
		const info = {
			get phase() {
				return oldestWait();
			},
			get patient() {
				return allPatient();
			}
		};
		try {
			await this.readsAfter;
			while (this.waiters.size > 0) {
				const { stream, payload } = await this.channel.recvAny(this.peer, info);
				const waiting = this.waiters.get(stream);
				if (waiting) {
					const waiter = waiting.shift()!;
					if (waiting.length === 0) this.waiters.delete(stream);
					waiter.resolve(payload);
					continue;
				}
				this.buffered += payload.length;
				if (this.buffered > MAX_BUFFERED_BYTES) {
					throw new MpcAbortError('message format', this.peer, `${partyName(this.peer)} sent more than ${MAX_BUFFERED_BYTES / 2 ** 20} MiB ahead of the protocol`);
				}
				const queue = this.queues.get(stream);
				if (queue) queue.push(payload);
				else this.queues.set(stream, [payload]);
			}
		} catch (error) {
			this.failure = error instanceof Error ? error : new Error(String(error));
			for (const waiting of this.waiters.values()) for (const waiter of waiting) waiter.reject(this.failure);
			this.waiters.clear();
		} finally {
			this.reading = false;
		}
	}

	private oldestWait(): string | undefined {
		for (const waiting of this.waiters.values()) if (waiting.length > 0) return waiting[0].what;
		return undefined;
	}
}

export interface SessionOptions {
	channel: Channel;
	/** Number of computing parties. */
	parties: number;
	/** This participant's index (0 … parties − 1, or DEALER_PARTY). */
	me: number;
	/** Everyone to tell when this participant aborts. */
	notify: readonly number[];
	onProgress?: (progress: MpcProgress) => void;
	signal?: AbortSignal;
	/** Nothing is read from the channel before this resolves; its rejection fails every receive (MpcOptions.agreed). */
	readsAfter?: Promise<void>;
}

/**
 * One participant's view of a run: length-checked messages (split above MAX_MESSAGE_BYTES) on
 * numbered streams, rounds with all peers, abort notices, cancellation, progress, and the
 * run's identity that commitments are bound to.
 */
export class Session {
	readonly parties: number;
	readonly me: number;
	/** The other computing parties, in order. */
	readonly peers: readonly number[];
	private readonly counter: CountingChannel;
	private readonly channel: AbortableChannel;
	private readonly inboxes = new Map<number, Inbox>();
	private readonly readsAfter: Promise<void>;
	private readonly onProgress?: (progress: MpcProgress) => void;
	private readonly signal?: AbortSignal;
	/** What rejects each guarded send and receive still pending, should the signal fire. */
	private readonly onCancel = new Set<(error: MpcAbortError) => void>();
	/** When each phase last reported. */
	private readonly lastReports = new Map<string, number>();
	/** The run's identity as a committer's commitments are bound to it (identify, agreeRun); unset until then. */
	private runOf?: (committer: number) => Uint8Array | undefined;

	constructor(options: SessionOptions) {
		this.parties = options.parties;
		this.me = options.me;
		this.peers = Array.from({ length: options.parties }, (_, p) => p).filter((p) => p !== options.me);
		this.counter = new CountingChannel(options.channel);
		this.channel = new AbortableChannel(this.counter, options.notify);
		this.onProgress = options.onProgress;
		this.signal = options.signal;
		this.readsAfter = options.readsAfter ?? Promise.resolve();
		// The listener holds only the pending set (empty once the run is over), not the session.
		const { signal, me } = options;
		const pending = this.onCancel;
		signal?.addEventListener('abort', () => {
			for (const reject of pending) reject(cancellation(signal, me));
		}, { once: true });
	}

	get bytesSent(): number {
		return this.counter.bytesSent;
	}

	get bytesReceived(): number {
		return this.counter.bytesReceived;
	}

	/**
	 * `promise`, or the cancellation once the signal fires. Not Promise.race with one promise
	 * of the whole run: every race would leave a reaction on it that holds its result (each
	 * message) until the run ends — memory that grows with the circuit.
	 */
	private guard<T>(promise: Promise<T>): Promise<T> {
		if (!this.signal) return promise;
		if (this.signal.aborted) return Promise.reject(cancellation(this.signal, this.me));
		return new Promise<T>((resolve, reject) => {
			this.onCancel.add(reject);
			promise.then(
				(value) => {
					this.onCancel.delete(reject);
					resolve(value);
				},
				(error: unknown) => {
					this.onCancel.delete(reject);
					reject(error);
				}
			);
		});
	}

	/**
	 * The run's identity from `context`, which every party agrees on and which is fresh for this
	 * run (the session handshake's transcript). Commitments are bound to it, so nothing committed
	 * in one run opens in another.
	 */
	identify(context: Uint8Array): void {
		const run = digestOf(RUN_DOMAIN, context);
		this.runOf = () => run;
	}

	/**
	 * Without a context: a fresh random nonce of every party, sent on `stream`, and each party's
	 * commitments are bound to its own nonce, fresh for this run. A party that sends different
	 * nonces to different parties then only makes its own commitments fail, and the abort names
	 * it; bound to all nonces together, the honest parties' commitments would fail at each other.
	 */
	async agreeRun(stream: number): Promise<void> {
		const nonces = await this.broadcast(randomFill(new Uint8Array(NONCE_BYTES)), () => NONCE_BYTES, 'run nonces', stream);
		const runs = nonces.map((nonce) => digestOf(RUN_DOMAIN, nonce));
		this.runOf = (committer) => runs[committer];
	}

	/** What a commitment by `committer` for `purpose` (unique within the run) is bound to: this run, the purpose and the committer. */
	binding(purpose: string, committer: number): Uint8Array {
		const run = this.runOf?.(committer);
		if (!run) throw new Error(`the run has no identity for ${partyName(committer)} yet: agreeRun first`);
		const committerBytes = Uint8Array.of(committer >> 8, committer & 0xff);
		return concatBytes(run, committerBytes, new TextEncoder().encode(purpose));
	}

	/**
	 * Sends `bytes` to `to` on `stream`, in pieces of at most MAX_MESSAGE_BYTES. The bytes must
	 * not change afterwards: the transport may send views of them (AbortableChannel.sendOn).
	 */
	async send(to: number, bytes: Uint8Array, what: string, stream: number): Promise<void> {
		const info = { phase: what };
		if (bytes.length <= MAX_MESSAGE_BYTES) {
			await this.guard(this.channel.sendOn(to, stream, bytes, info));
			return;
		}
		for (let offset = 0; offset < bytes.length; offset += MAX_MESSAGE_BYTES) {
			await this.guard(this.channel.sendOn(to, stream, bytes.subarray(offset, offset + MAX_MESSAGE_BYTES), info));
		}
	}

	/** Receives exactly `length` bytes from `from` on `stream` (as sent by `send`). */
	async recv(from: number, length: number, what: string, stream: number): Promise<Uint8Array> {
		if (length <= MAX_MESSAGE_BYTES) return this.recvPiece(from, length, what, stream);
		const out = new Uint8Array(length);
		// Every piece is claimed now, in order: a receive of the stream's next message, started
		// while these arrive, must not take one of them. Each is copied as it comes.
		const pieces: Promise<void>[] = [];
		for (let offset = 0; offset < length; offset += MAX_MESSAGE_BYTES) {
			pieces.push(this.recvPiece(from, Math.min(MAX_MESSAGE_BYTES, length - offset), what, stream).then((piece) => out.set(piece, offset)));
		}
		await Promise.all(pieces);
		return out;
	}

	/** The next message from `from` on `stream`, whatever its length (at most MAX_MESSAGE_BYTES). */
	recvAny(from: number, what: string, stream: number): Promise<Uint8Array> {
		return this.recvPiece(from, -1, what, stream);
	}

	/** Receives `length` bytes that come only once the peer has computed, however long that takes: the wait is no silence (MessageInfo.patient). */
	recvPatiently(from: number, length: number, what: string, stream: number): Promise<Uint8Array> {
		return this.recvPiece(from, length, what, stream, true);
	}

	private async recvPiece(from: number, length: number, what: string, stream: number, patient = false): Promise<Uint8Array> {
		let inbox = this.inboxes.get(from);
		if (!inbox) {
			inbox = new Inbox(this.channel, from, this.readsAfter);
			this.inboxes.set(from, inbox);
		}
		let bytes: Uint8Array;
		try {
			bytes = await this.guard(inbox.take(stream, what, patient));
		} catch (error) {
			if (error instanceof PeerAbortError) throw new MpcAbortError('peer abort', error.party, error.message);
			throw error;
		}
		if (length >= 0 && bytes.length !== length) {
			throw new MpcAbortError('message format', from, `malformed ${what} message from ${partyName(from)}: expected ${length} bytes, got ${bytes.length}`);
		}
		return bytes;
	}

	/**
	 * One round with every peer on `stream`: sends `payload(p)` to each peer p, then receives
	 * `length(p)` bytes from each. Result is indexed by party (own index empty).
	 */
	async exchange(payload: (peer: number) => Uint8Array, length: (peer: number) => number, what: string, stream: number): Promise<Uint8Array[]> {
		await this.sendToAll(payload, what, stream);
		return this.receiveFromAll(length, what, stream);
	}

	/** The first half of a round: `payload(p)` to every peer p on `stream`. */
	async sendToAll(payload: (peer: number) => Uint8Array, what: string, stream: number): Promise<void> {
		await Promise.all(this.peers.map((p) => this.send(p, payload(p), what, stream)));
	}

	/** The second half of a round: `length(p)` bytes from every peer p, indexed by party (own index empty). */
	async receiveFromAll(length: (peer: number) => number, what: string, stream: number): Promise<Uint8Array[]> {
		const received = await Promise.all(this.peers.map((p) => this.recv(p, length(p), what, stream)));
		const byParty: Uint8Array[] = Array.from({ length: this.parties }, () => new Uint8Array(0));
		this.peers.forEach((p, i) => (byParty[p] = received[i]));
		return byParty;
	}

	/**
	 * Sends the same bytes to every peer and receives each peer's broadcast of `length(peer)`
	 * bytes; the result includes this party's own bytes. With an `echo`, everything broadcast
	 * is noted in it, to be compared later (Echo).
	 */
	async broadcast(bytes: Uint8Array, length: (peer: number) => number, what: string, stream: number, echo?: Echo): Promise<Uint8Array[]> {
		const received = await this.exchange(() => bytes, length, what, stream);
		received[this.me] = bytes;
		if (echo) received.forEach((message, p) => echo.note(p, message));
		return received;
	}

	/**
	 * Reports progress of a phase, at most every PROGRESS_INTERVAL_MS per phase (phases run
	 * interleaved), always at its start and end.
	 */
	progress(phase: string, done: number, total: number): void {
		if (!this.onProgress) return;
		const now = Date.now();
		const last = this.lastReports.get(phase);
		if (last !== undefined && done > 0 && done < total && now - last < PROGRESS_INTERVAL_MS) return;
		this.lastReports.set(phase, now);
		this.onProgress({ phase, done, total, bytesSent: this.bytesSent, bytesReceived: this.bytesReceived });
	}

	/** Tells every participant that this one stops, and why. */
	async abort(reason: string): Promise<void> {
		await this.channel.abort(reason);
	}
}
