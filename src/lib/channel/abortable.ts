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
 * Frames every message with one trailing byte so that a party that detects a problem can tell
 * everyone at once: its peers' next receive throws PeerAbortError instead of waiting forever.
 * The tag goes last so that the payload keeps its offset: word views of it need no copy.
 */
export class AbortableChannel implements Channel {
	constructor(
		private readonly inner: Channel,
		private readonly peers: readonly number[]
	) {}

	async sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		await this.inner.sendBytesTo(to, tagged(bytes, DATA), info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const framed = await this.inner.recvBytesFrom(from, info);
		if (framed.length === 0) throw new Error(`empty message from ${partyName(from)}`);
		const tag = framed[framed.length - 1];
		const payload = framed.subarray(0, framed.length - 1);
		if (tag === ABORT) throw new PeerAbortError(from, new TextDecoder().decode(payload));
		if (tag !== DATA) throw new Error(`malformed message from ${partyName(from)}`);
		return payload;
	}

	/** Tells every peer that this party stops, and why. Never throws: the peers may be gone. */
	async abort(reason: string): Promise<void> {
		const framed = tagged(new TextEncoder().encode(reason.slice(0, 1000)), ABORT);
		await Promise.allSettled(this.peers.map((peer) => this.inner.sendBytesTo(peer, framed)));
	}
}

function tagged(payload: Uint8Array, tag: number): Uint8Array {
	const framed = new Uint8Array(payload.length + 1);
	framed.set(payload);
	framed[payload.length] = tag;
	return framed;
}
