import { BaseOtSender, POINT_BYTES, receiveBaseOts } from './base-ot';
import { BASE_OTS, KosReceiver, KosSender } from './kos';

/** Messages to and from one peer, each of a length both sides know. */
export interface OtLink {
	readonly peer: number;
	send(bytes: Uint8Array, what: string): Promise<void>;
	recv(length: number, what: string): Promise<Uint8Array>;
}

/** Both directions of OT extension between this party and one peer. */
export interface PairwiseOt {
	/** Extension sender with this party's global key Δ as s: yields keys on the peer's bits. */
	sender: KosSender;
	/** Extension receiver: yields MACs (under the peer's Δ) on this party's bits. */
	receiver: KosReceiver;
}

function bitsOf(block: Uint32Array): Uint8Array {
	return Uint8Array.from({ length: BASE_OTS }, (_, l) => (block[l >>> 5] >>> (l & 31)) & 1);
}

/**
 * Sets up OT extension in both directions with one peer, once per run, in two flights: each
 * party is the base-OT sender of one set of 128 base OTs (their seeds drive its extension
 * receiver) and, with the bits of its global key Δ as choices, the receiver of the other set
 * (its extension sender). First both send the sender's point S, then both the receiver's
 * points.
 */
export async function setupPairwiseOt(link: OtLink, me: number, delta: Uint32Array): Promise<PairwiseOt> {
	const peer = link.peer;
	const baseSender = new BaseOtSender(Uint8Array.of(me, peer));
	await link.send(baseSender.message, 'base OT');
	const { message, keys } = receiveBaseOts(Uint8Array.of(peer, me), await link.recv(POINT_BYTES, 'base OT'), bitsOf(delta), peer);
	await link.send(message, 'base OT');
	const [seeds0, seeds1] = baseSender.keys(await link.recv(BASE_OTS * POINT_BYTES, 'base OT'), BASE_OTS, peer);
	return { sender: new KosSender(delta, keys), receiver: new KosReceiver(seeds0, seeds1) };
}
