import { LAST_PIECE, PIECE_HEADER_BYTES } from './mailbox-inbox';
import { FRAME_OVERHEAD, framesBytes, MAX_FRAMES_PER_BODY, wirePayloadBytes, type MailFrame } from './mailbox-wire';

/**
 * The sending half of the mailbox channel: cuts messages into frames numbered per recipient
 * (from 1), hands them out in requests of at most `maxRequestBytes`, and remembers every
 * frame until the relay has confirmed it. No I/O.
 */
export class Outbox {
	bytesSent = 0;
	/** Bytes of the frames the relay has not confirmed yet (queued or on their way). */
	unconfirmedBytes = 0;
	/** The last sequence number given to a frame, per recipient. */
	private readonly numbered = new Map<number, number>();
	/** Frames not in any request yet, oldest first. */
	private queue: MailFrame[] = [];
	private readonly unconfirmed = new Set<MailFrame>();
	/** Most bytes of frames in one request: the request limit, less after a refusal for a full session. */
	private batchBytes: number;

	constructor(private readonly maxRequestBytes: number) {
		this.batchBytes = maxRequestBytes;
	}

	/** Whether frames wait for a request. */
	get queued(): boolean {
		return this.queue.length > 0;
	}

	/** Whether the relay has confirmed every frame. */
	get confirmed(): boolean {
		return this.unconfirmed.size === 0;
	}

	/**
	 * Cuts `bytes` (and then the byte `tail`, when given) into frames for `to`, each fitting one
	 * request with its own header byte. The frames are views of `bytes`, which must not change
	 * afterwards; the tail is a part of its own in the last frame.
	 */
	add(to: number, bytes: Uint8Array, tail?: number): void {
		const pieceBytes = this.maxRequestBytes - 1 - FRAME_OVERHEAD - PIECE_HEADER_BYTES;
		const length = bytes.length + (tail === undefined ? 0 : 1);
		let offset = 0;
		do {
			const size = Math.min(pieceBytes, length - offset);
			const seq = (this.numbered.get(to) ?? 0) + 1;
			this.numbered.set(to, seq);
			// Views of the message: the piece header goes on the wire in front of them.
			const frame: MailFrame = { peer: to, seq, ...piece(bytes, offset, offset + size, tail), head: offset + size === length ? LAST_PIECE : 0 };
			this.queue.push(frame);
			this.unconfirmed.add(frame);
			const wireBytes = wirePayloadBytes(frame);
			this.unconfirmedBytes += wireBytes;
			this.bytesSent += FRAME_OVERHEAD + wireBytes;
			offset += size;
		} while (offset < length);
	}

	/** The oldest queued frames, as many as one request holds (at least one). */
	take(): MailFrame[] {
		let size = 1;
		let count = 0;
		while (count < this.queue.length && count < MAX_FRAMES_PER_BODY) {
			const next = FRAME_OVERHEAD + wirePayloadBytes(this.queue[count]);
			if (count > 0 && size + next > this.batchBytes) break;
			size += next;
			count++;
		}
		const frames = this.queue.slice(0, count);
		this.queue = this.queue.slice(count);
		return frames;
	}

	/** The relay stored `frames` (or had them): they are done, and requests may be full size again. */
	confirm(frames: readonly MailFrame[]): void {
		for (const frame of frames) if (this.unconfirmed.delete(frame)) this.unconfirmedBytes -= wirePayloadBytes(frame);
		if (frames.length > 0) this.batchBytes = this.maxRequestBytes;
	}

	/** The relay refused `frames` for a full session: they queue again, and the next requests are smaller (it takes a request's frames all or none). */
	refused(frames: readonly MailFrame[]): void {
		this.requeue(frames);
		this.batchBytes = Math.max(1, Math.floor(framesBytes(frames) / 2));
	}

	/** The relay held `frames` without storing them: they queue again, first. */
	requeue(frames: readonly MailFrame[]): void {
		this.queue = [...frames, ...this.queue];
	}

	/** Those of `frames` the relay has not confirmed. */
	open(frames: readonly MailFrame[]): MailFrame[] {
		return frames.filter((frame) => this.unconfirmed.has(frame));
	}
}

/** The payload of the piece [start, end) of `bytes` and then `tail`: a view of `bytes`, and the tail as a part of its own where the piece reaches it. */
function piece(bytes: Uint8Array, start: number, end: number, tail: number | undefined): Pick<MailFrame, 'payload' | 'rest'> {
	const view = bytes.subarray(start, end);
	if (tail === undefined || end <= bytes.length) return { payload: view };
	const last = Uint8Array.of(tail);
	return view.length > 0 ? { payload: view, rest: [last] } : { payload: last };
}
