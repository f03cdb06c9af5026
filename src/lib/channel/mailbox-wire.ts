import { concatBytes } from '../crypto/block';

/**
 * The binary bodies of the relay's mailbox endpoint, `POST /exchange/{session}/{party}`
 * (docs/relay.md). One implementation for the relay and its clients. Little-endian.
 *
 *   request:  version u8 = 1, then frames: to u8, seq u32, length u32, payload
 *   answer:   version u8 = 1, flags u8 (bit 0: more is waiting; bit 1: held, nothing
 *             stored or taken, see `until` in docs/relay.md), epoch 8 bytes,
 *             then frames: from u8, seq u32, length u32, payload
 *
 * An empty request body carries no frames. `seq` numbers the frames of one direction
 * (sender → receiver) from 1 up; the relay keeps a frame until its receiver acknowledges it.
 * The epoch names the session's mailbox in the relay's store: it changes only if the store
 * lost the session (a relay restart without a shared store), so a client sees that at once.
 */

export const MAILBOX_WIRE_VERSION = 1;
/** to/from u8, seq u32, length u32. */
export const FRAME_OVERHEAD = 9;
/** version, flags, epoch. */
export const ANSWER_HEADER_BYTES = 10;
/**
 * Most frames in one request or answer. Every frame costs the relay bookkeeping beyond its
 * payload, so a body of millions of empty frames would take long to handle and much memory to
 * hold; a client needs a few per message, and packs no more than this into one request.
 */
export const MAX_FRAMES_PER_BODY = 4096;
export const EPOCH_BYTES = 8;
const MORE_WAITING = 1;
const HELD = 2;

/** One frame: `peer` is the recipient in a request and the sender in an answer. */
export interface MailFrame {
	peer: number;
	seq: number;
	payload: Uint8Array;
	/**
	 * Where the payload goes on after `payload`, in order: a frame the relay reads from the
	 * chunks of a request body keeps their bytes where they came rather than copying them into
	 * one array (fresh memory, whose page faults cost more than the copy).
	 */
	rest?: readonly Uint8Array[];
	/**
	 * A byte the wire carries in front of `payload`: the sender's piece header, kept apart so
	 * that a message is not copied to make room for it (a copy of a large message costs page
	 * faults in fresh memory). A frame read from the wire has it inside its payload.
	 */
	head?: number;
}

export interface MailAnswer {
	frames: MailFrame[];
	/** The relay held back frames to stay within the answer's size: ask again at once. */
	more: boolean;
	/** The session mailbox's identity in the relay's store (hex); all zeros in a held answer. */
	epoch: string;
	/** The request's condition (`until`) did not hold within its wait: the relay stored and took nothing; send the frames again. */
	held?: boolean;
}

/** A body that does not follow the format; the message names what is wrong and where. */
export class MailboxWireError extends Error {
	override name = 'MailboxWireError';
}

/** Bytes a request (or answer, with `headerBytes`) of these frames takes. */
export function framesBytes(frames: readonly MailFrame[], headerBytes = 1): number {
	let size = headerBytes;
	for (const frame of frames) size += FRAME_OVERHEAD + wirePayloadBytes(frame);
	return size;
}

/** The arrays a frame's payload is in, in order: `payload`, then `rest`. */
export function payloadPieces(frame: Pick<MailFrame, 'payload' | 'rest'>): Uint8Array[] {
	return frame.rest ? [frame.payload, ...frame.rest] : [frame.payload];
}

/** The bytes of a frame's payload, `rest` included. */
export function payloadBytes(frame: Pick<MailFrame, 'payload' | 'rest'>): number {
	let bytes = frame.payload.length;
	for (const piece of frame.rest ?? []) bytes += piece.length;
	return bytes;
}

/** A frame's payload in one array: `payload` itself, or its pieces joined. */
export function joinedPayload(frame: Pick<MailFrame, 'payload' | 'rest'>): Uint8Array {
	return frame.rest ? concatBytes(...payloadPieces(frame)) : frame.payload;
}

/** The length a frame's payload has on the wire. */
export function wirePayloadBytes(frame: MailFrame): number {
	return payloadBytes(frame) + (frame.head === undefined ? 0 : 1);
}

export function encodeRequest(frames: readonly MailFrame[]): Uint8Array {
	return frames.length === 0 ? new Uint8Array(0) : encodeFrames(Uint8Array.of(MAILBOX_WIRE_VERSION), frames, Infinity)[0];
}

/** A request as the parts it goes out in (as encodeAnswerParts); no parts for no frames. */
export function encodeRequestParts(frames: readonly MailFrame[]): Uint8Array[] {
	return frames.length === 0 ? [] : encodeFrames(Uint8Array.of(MAILBOX_WIRE_VERSION), frames, VIEWED_PAYLOAD_BYTES);
}

/**
 * The frames of a request body: of one array, payloads are views into it; of the chunks it
 * came in (the relay), a payload is the views of the chunks it spans (`rest` beyond the first),
 * and nothing is copied. Whoever keeps a frame decides whether it may keep those chunks alive.
 */
export function decodeRequest(body: Uint8Array | readonly Uint8Array[]): MailFrame[] {
	const bytes = body instanceof Uint8Array ? viewedBytes(body) : chunkedBytes(body);
	if (bytes.length === 0) return [];
	checkVersion(bytes.byteAt(0), 'request');
	return readFrames(bytes, 1, 'request');
}

/**
 * An answer as the parts it goes out in, in order: large payloads (VIEWED_PAYLOAD_BYTES or
 * more) as the stored arrays themselves, everything between them copied into one array. The
 * relay streams the parts: joining them would copy every large payload once more into fresh
 * memory, whose page faults cost more than the copy.
 */
export function encodeAnswerParts(answer: MailAnswer): Uint8Array[] {
	if (!/^[0-9a-f]{16}$/.test(answer.epoch)) throw new MailboxWireError(`bad epoch '${answer.epoch}': must be ${EPOCH_BYTES} bytes in hex`);
	const header = new Uint8Array(ANSWER_HEADER_BYTES);
	header[0] = MAILBOX_WIRE_VERSION;
	header[1] = (answer.more ? MORE_WAITING : 0) | (answer.held ? HELD : 0);
	for (let i = 0; i < EPOCH_BYTES; i++) header[2 + i] = parseInt(answer.epoch.slice(2 * i, 2 * i + 2), 16);
	return encodeFrames(header, answer.frames, VIEWED_PAYLOAD_BYTES);
}

/** The answer in one array (encodeAnswerParts joined). */
export function encodeAnswer(answer: MailAnswer): Uint8Array {
	return concatBytes(...encodeAnswerParts(answer));
}

export function decodeAnswer(body: Uint8Array): MailAnswer {
	if (body.length < ANSWER_HEADER_BYTES) throw new MailboxWireError(`mailbox answer of ${body.length} bytes is shorter than its ${ANSWER_HEADER_BYTES}-byte header`);
	checkVersion(body[0], 'answer');
	const epoch = Array.from(body.subarray(2, 2 + EPOCH_BYTES), (byte) => byte.toString(16).padStart(2, '0')).join('');
	const frames = readFrames(viewedBytes(body), ANSWER_HEADER_BYTES, 'answer');
	return { frames, more: (body[1] & MORE_WAITING) !== 0, epoch, ...((body[1] & HELD) !== 0 ? { held: true } : {}) };
}

/** Payloads of at least this many bytes go out as parts of their own (encodeAnswerParts, encodeRequestParts). */
const VIEWED_PAYLOAD_BYTES = 16 * 1024;

/**
 * `prefix` and the frames as wire parts: payloads of `viewedFrom` bytes or more as they are,
 * everything between them (frame headers, head bytes, smaller payloads) written into fresh
 * arrays. With `viewedFrom` Infinity, one array.
 */
function encodeFrames(prefix: Uint8Array, frames: readonly MailFrame[], viewedFrom: number): Uint8Array[] {
	const viewed = (frame: MailFrame) => payloadBytes(frame) >= viewedFrom;
	// Bytes written into the arrays between viewed payloads, run by run.
	const runs = [prefix.length];
	for (const frame of frames) {
		if (viewed(frame)) {
			runs[runs.length - 1] += FRAME_OVERHEAD + (frame.head === undefined ? 0 : 1);
			runs.push(0);
		} else runs[runs.length - 1] += FRAME_OVERHEAD + wirePayloadBytes(frame);
	}
	const parts: Uint8Array[] = [];
	let run = 0;
	let body = new Uint8Array(runs[0]);
	let view = new DataView(body.buffer);
	body.set(prefix);
	let offset = prefix.length;
	for (const frame of frames) {
		const length = wirePayloadBytes(frame);
		body[offset] = frame.peer;
		view.setUint32(offset + 1, frame.seq, true);
		view.setUint32(offset + 5, length, true);
		offset += FRAME_OVERHEAD;
		if (frame.head !== undefined) body[offset++] = frame.head;
		if (!viewed(frame)) {
			for (const piece of payloadPieces(frame)) {
				body.set(piece, offset);
				offset += piece.length;
			}
			continue;
		}
		parts.push(body, ...payloadPieces(frame));
		body = new Uint8Array(runs[++run]);
		view = new DataView(body.buffer);
		offset = 0;
	}
	if (body.length > 0 || parts.length === 0) parts.push(body);
	return parts;
}

function checkVersion(version: number, what: string): void {
	if (version !== MAILBOX_WIRE_VERSION) {
		throw new MailboxWireError(`mailbox ${what} of version ${version}: this side reads version ${MAILBOX_WIRE_VERSION}`);
	}
}

/** A body as readFrames reads it: its bytes, and a payload's range as views of them. */
interface BodyBytes {
	readonly length: number;
	byteAt(offset: number): number;
	payload(start: number, length: number): Pick<MailFrame, 'payload' | 'rest'>;
}

function viewedBytes(body: Uint8Array): BodyBytes {
	return { length: body.length, byteAt: (offset) => body[offset], payload: (start, length) => ({ payload: body.subarray(start, start + length) }) };
}

function chunkedBytes(body: readonly Uint8Array[]): BodyBytes {
	// Without empty chunks, the last chunk that starts at or before an offset holds it.
	const chunks = body.filter((chunk) => chunk.length > 0);
	/** Where each chunk starts in the body. */
	const starts: number[] = [];
	let length = 0;
	for (const chunk of chunks) {
		starts.push(length);
		length += chunk.length;
	}
	const chunkAt = (offset: number) => {
		let low = 0;
		let high = chunks.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >>> 1;
			if (starts[middle] <= offset) low = middle;
			else high = middle - 1;
		}
		return low;
	};
	return {
		length,
		byteAt: (offset) => {
			const c = chunkAt(offset);
			return chunks[c][offset - starts[c]];
		},
		payload: (start, size) => {
			const pieces: Uint8Array[] = [];
			for (let done = 0, c = chunkAt(start); done < size; c++) {
				const from = start + done - starts[c];
				const piece = chunks[c].subarray(from, Math.min(chunks[c].length, from + size - done));
				pieces.push(piece);
				done += piece.length;
			}
			const [payload = new Uint8Array(0), ...rest] = pieces;
			return rest.length > 0 ? { payload, rest } : { payload };
		}
	};
}

/** A little-endian u32 at `offset`. */
function u32At(body: BodyBytes, offset: number): number {
	return (body.byteAt(offset) | (body.byteAt(offset + 1) << 8) | (body.byteAt(offset + 2) << 16) | (body.byteAt(offset + 3) << 24)) >>> 0;
}

/** The frames from `offset` to the end. */
function readFrames(body: BodyBytes, offset: number, what: string): MailFrame[] {
	const frames: MailFrame[] = [];
	while (offset < body.length) {
		const index = frames.length + 1;
		if (index > MAX_FRAMES_PER_BODY) throw new MailboxWireError(`mailbox ${what}: more than ${MAX_FRAMES_PER_BODY} frames (send them in several requests)`);
		if (body.length - offset < FRAME_OVERHEAD) throw new MailboxWireError(`mailbox ${what}: the header of frame ${index} is cut off`);
		const seq = u32At(body, offset + 1);
		const length = u32At(body, offset + 5);
		if (seq === 0) throw new MailboxWireError(`mailbox ${what}: frame ${index} has sequence number 0 (they start at 1)`);
		const start = offset + FRAME_OVERHEAD;
		if (body.length - start < length) {
			throw new MailboxWireError(`mailbox ${what}: frame ${index} is cut off (it declares ${length} bytes, ${body.length - start} follow)`);
		}
		frames.push({ peer: body.byteAt(offset), seq, ...body.payload(start, length) });
		offset = start + length;
	}
	return frames;
}
