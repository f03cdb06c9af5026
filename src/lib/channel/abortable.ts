import { partyName, type Channel, type MessageInfo } from './channel';

const DATA = 0;
const ABORT = 1;

/** A peer told us that it gave up; `party` is who sent the notice. */
export class PeerAbortError extends Error {
	constructor(
		readonly party: number,
		readonly reason: string
	) {
		super(`${partyName(party)} aborted: ${reason}`);
		this.name = 'PeerAbortError';
	}
}

/**
 * Frames every message with one leading byte so that a party that detects a problem can tell
 * everyone at once: its peers' next receive throws PeerAbortError instead of waiting forever.
 */
export class AbortableChannel implements Channel {
	constructor(
		private readonly inner: Channel,
		private readonly peers: readonly number[]
	) {}

	async sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		const framed = new Uint8Array(bytes.length + 1);
		framed[0] = DATA;
		framed.set(bytes, 1);
		await this.inner.sendBytesTo(to, framed, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const framed = await this.inner.recvBytesFrom(from, info);
		if (framed.length === 0) throw new Error(`empty message from ${partyName(from)}`);
		if (framed[0] === ABORT) throw new PeerAbortError(from, new TextDecoder().decode(framed.subarray(1)));
		if (framed[0] !== DATA) throw new Error(`malformed message from ${partyName(from)}`);
		return framed.subarray(1);
	}

	/** Tells every peer that this party stops, and why. Never throws: the peers may be gone. */
	async abort(reason: string): Promise<void> {
		const text = new TextEncoder().encode(reason.slice(0, 1000));
		const framed = new Uint8Array(text.length + 1);
		framed[0] = ABORT;
		framed.set(text, 1);
		await Promise.allSettled(this.peers.map((peer) => this.inner.sendBytesTo(peer, framed)));
	}
}
