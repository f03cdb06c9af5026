import { AbortableChannel, PeerAbortError } from '../channel/abortable';
import { partyName, type Channel, type MessageInfo } from '../channel/channel';
import { concatBytes, randomFill } from '../crypto/block';
import { bytesEqual, Digest, digestOf } from '../crypto/hash';
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
const PROGRESS_INTERVAL_MS = 100;
const DIGEST_BYTES = 32;
const NONCE_BYTES = 16;
const RUN_DOMAIN = new TextEncoder().encode('polytune-web run v1');

/** Counts the bytes that pass through a channel. */
class CountingChannel implements Channel {
	bytesSent = 0;
	bytesReceived = 0;

	constructor(private readonly inner: Channel) {}

	async sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		this.bytesSent += bytes.length;
		await this.inner.sendBytesTo(to, bytes, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const bytes = await this.inner.recvBytesFrom(from, info);
		this.bytesReceived += bytes.length;
		return bytes;
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
}

/**
 * One participant's view of a run: length-checked messages (split above MAX_MESSAGE_BYTES),
 * rounds with all peers, abort notices, cancellation, progress, and the digests that check
 * broadcasts for consistency (echo broadcast with abort, Goldwasser–Lindell).
 */
export class Session {
	readonly parties: number;
	readonly me: number;
	/** The other computing parties, in order. */
	readonly peers: readonly number[];
	private readonly counter: CountingChannel;
	private readonly channel: AbortableChannel;
	private readonly onProgress?: (progress: MpcProgress) => void;
	private readonly signal?: AbortSignal;
	private readonly cancelled: Promise<never> | undefined;
	private lastPhase = '';
	private lastReport = 0;
	private broadcastDigests: Digest[];
	/** The run's identity (see agreeRun); empty until then. */
	private run: Uint8Array = new Uint8Array(0);
	private readonly purposes = new Map<string, number>();

	constructor(options: SessionOptions) {
		this.parties = options.parties;
		this.me = options.me;
		this.peers = Array.from({ length: options.parties }, (_, p) => p).filter((p) => p !== options.me);
		this.counter = new CountingChannel(options.channel);
		this.channel = new AbortableChannel(this.counter, options.notify);
		this.onProgress = options.onProgress;
		this.signal = options.signal;
		if (options.signal) {
			const signal = options.signal;
			this.cancelled = new Promise<never>((_, reject) => {
				const cancel = () => reject(this.cancellation());
				if (signal.aborted) cancel();
				else signal.addEventListener('abort', cancel, { once: true });
			});
			this.cancelled.catch(() => {});
		}
		this.broadcastDigests = Array.from({ length: options.parties }, () => new Digest());
	}

	get bytesSent(): number {
		return this.counter.bytesSent;
	}

	get bytesReceived(): number {
		return this.counter.bytesReceived;
	}

	private cancellation(): MpcAbortError {
		const reason = this.signal?.reason;
		const detail = reason instanceof Error ? reason.message : reason === undefined ? 'cancelled' : String(reason);
		return new MpcAbortError('cancelled', this.me, `${partyName(this.me)} cancelled the run: ${detail}`);
	}

	private guard<T>(promise: Promise<T>): Promise<T> {
		if (this.signal?.aborted) return Promise.reject(this.cancellation());
		return this.cancelled ? Promise.race([promise, this.cancelled]) : promise;
	}

	/**
	 * Agrees on the run's identity: the hash of `context` (e.g. the session handshake's
	 * transcript) and a fresh random nonce from every party, in party order. Commitments are
	 * bound to it, so nothing committed in one run opens in another. A party that sends
	 * different nonces to different parties only makes their commitments disagree (abort).
	 */
	async agreeRun(context: Uint8Array): Promise<void> {
		const nonces = await this.broadcast(randomFill(new Uint8Array(NONCE_BYTES)), () => NONCE_BYTES, 'run nonces');
		const length = new Uint8Array(4);
		new DataView(length.buffer).setUint32(0, context.length);
		this.run = digestOf(RUN_DOMAIN, length, context, ...nonces);
	}

	/** How many times `kind` was used before in this run (0, 1, …): the same at every party. */
	next(kind: string): number {
		const count = this.purposes.get(kind) ?? 0;
		this.purposes.set(kind, count + 1);
		return count;
	}

	/** A name for the next use of `kind` in this run (`kind#0`, `kind#1`, …). */
	purpose(kind: string): string {
		return `${kind}#${this.next(kind)}`;
	}

	/** What a commitment by `committer` for `purpose` is bound to: this run, the purpose and the committer. */
	binding(purpose: string, committer: number): Uint8Array {
		if (this.run.length === 0) throw new Error('the run has no identity yet: agreeRun first');
		const committerBytes = Uint8Array.of(committer >> 8, committer & 0xff);
		return concatBytes(this.run, committerBytes, new TextEncoder().encode(purpose));
	}

	/** Sends `bytes` to `to`, in pieces of at most MAX_MESSAGE_BYTES. */
	async send(to: number, bytes: Uint8Array, what: string): Promise<void> {
		const info = { phase: what };
		if (bytes.length <= MAX_MESSAGE_BYTES) {
			await this.guard(this.channel.sendBytesTo(to, bytes, info));
			return;
		}
		for (let offset = 0; offset < bytes.length; offset += MAX_MESSAGE_BYTES) {
			await this.guard(this.channel.sendBytesTo(to, bytes.subarray(offset, offset + MAX_MESSAGE_BYTES), info));
		}
	}

	/** Receives exactly `length` bytes from `from` (as sent by `send`). */
	async recv(from: number, length: number, what: string): Promise<Uint8Array> {
		if (length <= MAX_MESSAGE_BYTES) return this.recvPiece(from, length, what);
		const out = new Uint8Array(length);
		for (let offset = 0; offset < length; offset += MAX_MESSAGE_BYTES) {
			out.set(await this.recvPiece(from, Math.min(MAX_MESSAGE_BYTES, length - offset), what), offset);
		}
		return out;
	}

	private async recvPiece(from: number, length: number, what: string): Promise<Uint8Array> {
		let bytes: Uint8Array;
		try {
			bytes = await this.guard(this.channel.recvBytesFrom(from, { phase: what }));
		} catch (error) {
			if (error instanceof PeerAbortError) throw new MpcAbortError('peer abort', error.party, error.message);
			throw error;
		}
		if (bytes.length !== length) {
			throw new MpcAbortError('message format', from, `malformed ${what} message from ${partyName(from)}: expected ${length} bytes, got ${bytes.length}`);
		}
		return bytes;
	}

	/**
	 * One round with every peer: sends `payload(p)` to each peer p, then receives
	 * `length(p)` bytes from each. Result is indexed by party (own index empty).
	 */
	async exchange(payload: (peer: number) => Uint8Array, length: (peer: number) => number, what: string): Promise<Uint8Array[]> {
		await Promise.all(this.peers.map((p) => this.send(p, payload(p), what)));
		const received = await Promise.all(this.peers.map((p) => this.recv(p, length(p), what)));
		const byParty: Uint8Array[] = Array.from({ length: this.parties }, () => new Uint8Array(0));
		this.peers.forEach((p, i) => (byParty[p] = received[i]));
		return byParty;
	}

	/**
	 * Sends the same bytes to every peer and receives each peer's broadcast of `length(peer)`
	 * bytes; the result includes this party's own bytes. Everything broadcast is folded into
	 * per-sender digests that `checkBroadcasts` compares.
	 */
	async broadcast(bytes: Uint8Array, length: (peer: number) => number, what: string): Promise<Uint8Array[]> {
		const received = await this.exchange(() => bytes, length, what);
		received[this.me] = bytes;
		received.forEach((message, p) => this.noteBroadcast(p, message));
		return received;
	}

	/** Folds bytes that `party` sent to everyone (within a larger message) into the broadcast digests. */
	noteBroadcast(party: number, bytes: Uint8Array): void {
		if (this.parties > 2) this.broadcastDigests[party].update(bytes);
	}

	/**
	 * This party's digests of every broadcast since the last echo, one per sender, to be sent
	 * to every peer (on its own or appended to a message of the next round); the digests start
	 * afresh. Empty with two parties: there is nobody to disagree with.
	 */
	takeEcho(): Uint8Array {
		if (this.parties <= 2) return new Uint8Array(0);
		const mine = new Uint8Array(this.parties * DIGEST_BYTES);
		this.broadcastDigests.forEach((digest, p) => mine.set(digest.digest(), p * DIGEST_BYTES));
		this.broadcastDigests = Array.from({ length: this.parties }, () => new Digest());
		return mine;
	}

	/**
	 * Compares every peer's echo (`echoes[peer]`) with ours (from takeEcho): a difference means
	 * someone sent different values to different parties (echo broadcast with abort,
	 * Goldwasser–Lindell).
	 */
	verifyEcho(mine: Uint8Array, echoes: readonly Uint8Array[], what: string): void {
		if (mine.length === 0) return;
		for (const peer of this.peers) {
			for (let p = 0; p < this.parties; p++) {
				const theirs = echoes[peer].subarray(p * DIGEST_BYTES, (p + 1) * DIGEST_BYTES);
				if (!bytesEqual(theirs, mine.subarray(p * DIGEST_BYTES, (p + 1) * DIGEST_BYTES))) {
					const blamed = p === this.me ? peer : p;
					throw new MpcAbortError('broadcast consistency', blamed, `broadcast consistency check failed: ${partyName(peer)} and ${partyName(this.me)} saw different ${what} from ${partyName(p)}`);
				}
			}
		}
	}

	/** Echo round of its own: every party sends its echo to everyone and compares. */
	async checkBroadcasts(what: string): Promise<void> {
		if (this.parties <= 2) return;
		const mine = this.takeEcho();
		const echoes = await this.exchange(() => mine, () => mine.length, `${what} (broadcast check)`);
		this.verifyEcho(mine, echoes, what);
	}

	/** Reports progress of a phase, at most every PROGRESS_INTERVAL_MS unless the phase changes or ends. */
	progress(phase: string, done: number, total: number): void {
		if (!this.onProgress) return;
		const now = Date.now();
		if (phase === this.lastPhase && done < total && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
		this.lastPhase = phase;
		this.lastReport = now;
		this.onProgress({ phase, done, total, bytesSent: this.bytesSent, bytesReceived: this.bytesReceived });
	}

	/** Tells every participant that this one stops, and why. */
	async abort(reason: string): Promise<void> {
		await this.channel.abort(reason);
	}
}
