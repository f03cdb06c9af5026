import { partyName, sendWithTail, type Channel, type MessageInfo } from './channel';

/** The frame tag of an abort notice; every other tag numbers a stream. */
const ABORT = 0xff;
/** Streams a frame can name (0 … MAX_STREAM). */
export const MAX_STREAM = 0xfe;

/**
 * A peer told us that it gave up; `party` is who sent the notice. `vouched` is false for a
 * notice that only the session key sealed (it came as the peer's first message, before the
 * pair was keyed): any holder of the key could have written it, so its words are not the peer's.
 */
export class PeerAbortError extends Error {
	readonly reason: string;

	constructor(
		readonly party: number,
		given: string,
		readonly vouched = true
	) {
		// The peer's own words, on one line (a log or a terminal shows nothing it did not say as its).
		const reason = given.replace(/[\u0000-\u001f\u007f]+/g, ' ');
		super(
			vouched
				? // A cancellation's notice ("party 1 cancelled the run: …") names its sender already.
					reason === `${partyName(party)} cancelled` || reason.startsWith(`${partyName(party)} cancelled the run: `)
					? reason
					: `${partyName(party)} aborted: ${reason}`
				: `a notice in ${partyName(party)}'s name, which came before anything else from it and so was sealed only with the session key (any holder of the key could have written it), says it aborted: ${reason}`
		);
		this.reason = reason;
		this.name = 'PeerAbortError';
	}
}

/** The stream a framed message (as AbortableChannel sends it) belongs to, or undefined for an abort notice. */
export function frameStream(frame: Uint8Array): number | undefined {
	const tag = frame[frame.length - 1];
	return tag === ABORT ? undefined : tag;
}

/** A message of one of the streams multiplexed on a channel. */
export interface StreamMessage {
	stream: number;
	payload: Uint8Array;
}

/**
 * Frames every message with one trailing byte: the number of the stream it belongs to (so that
 * independent parts of a protocol can share a channel without waiting for each other), or the
 * mark of an abort notice, so that a party that detects a problem can tell everyone at once:
 * its peers' next receive throws PeerAbortError instead of waiting forever. The tag goes last
 * so that the payload keeps its offset: word views of it need no copy. Plain sendBytesTo and
 * recvBytesFrom use stream 0.
 */
export class AbortableChannel implements Channel {
	constructor(
		private readonly inner: Channel,
		private readonly peers: readonly number[],
		/** Whether what arrives from a peer now is sealed as its own (with pair sealing: once the pair is keyed); by default everything is. */
		private readonly vouchedFor: (peer: number) => boolean = () => true
	) {}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		return this.sendOn(to, 0, bytes, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const { stream, payload } = await this.recvAny(from, info);
		if (stream !== 0) throw new Error(`malformed message from ${partyName(from)}: stream ${stream} where stream 0 was expected`);
		return payload;
	}

	/**
	 * Sends `bytes` to `to` on `stream`, the tag after them (sendWithTail). The bytes must not
	 * change afterwards: a transport that sends in parts (the mailbox) keeps views of them until
	 * the relay has them.
	 */
	async sendOn(to: number, stream: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		if (!Number.isInteger(stream) || stream < 0 || stream > MAX_STREAM) throw new Error(`stream ${stream} is not a stream number (0 to ${MAX_STREAM})`);
		await sendWithTail(this.inner, to, bytes, stream, info);
	}

	/** The next message from `from`, whatever its stream; throws PeerAbortError for an abort notice. */
	async recvAny(from: number, info?: MessageInfo): Promise<StreamMessage> {
		const framed = await this.inner.recvBytesFrom(from, info);
		if (framed.length === 0) throw new Error(`empty message from ${partyName(from)}`);
		const tag = framed[framed.length - 1];
		const payload = framed.subarray(0, framed.length - 1);
		if (tag === ABORT) throw new PeerAbortError(from, new TextDecoder().decode(payload), this.vouchedFor(from));
		return { stream: tag, payload };
	}

	/** Tells every peer that this party stops, and why. Never throws: the peers may be gone. */
	async abort(reason: string): Promise<void> {
		const notice = new TextEncoder().encode(reason.slice(0, 1000));
		await Promise.allSettled(this.peers.map((peer) => sendWithTail(this.inner, peer, notice, ABORT)));
	}
}
