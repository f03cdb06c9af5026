import { BaseOtSender, POINT_BYTES, receiveBaseOts } from './base-ot';
import { BASE_OTS } from './kos';
import { SoftSpokenReceiver, SoftSpokenSender } from './softspoken';

/** Messages to and from one peer, each of a length both sides know. */
export interface OtLink {
	readonly peer: number;
	send(bytes: Uint8Array, what: string): Promise<void>;
	recv(length: number, what: string): Promise<Uint8Array>;
}

/** Both directions of OT extension between this party and one peer. */
export interface PairwiseOt {
	/** Extension sender with this party's global key Δ as s: yields keys on the peer's bits. */
	sender: SoftSpokenSender;
	/** Extension receiver: yields MACs (under the peer's Δ) on this party's bits. */
	receiver: SoftSpokenReceiver;
}

/** Bytes of a party's base-OT offer (S) and of its answer to a peer's offer (128 points). */
export const OFFER_BYTES = POINT_BYTES;
export const ANSWER_BYTES = BASE_OTS * POINT_BYTES;

/**
 * This party's base OTs with every peer, in both directions at once: with each peer it is the
 * base-OT sender of one set of 128 OTs (their seeds drive its extension receiver) and, with
 * the bits of its global key Δ as choices, the receiver of the other set (its extension
 * sender). Two messages each way: the offer S (the same for every peer), then the answer to the
 * peer's offer; they may ride along with other messages (the party handshake does).
 */
export class BaseOts {
	private readonly sender = new BaseOtSender();
	private readonly chosen = new Map<number, Uint32Array>();

	constructor(
		readonly me: number,
		/** This party's global key Δ. */
		readonly delta: Uint32Array
	) {}

	/** The offer to every peer: S. */
	get offer(): Uint8Array {
		return this.sender.message;
	}

	/** The answer to `peer`'s offer, choosing by the bits of Δ; keeps the chosen keys. */
	answer(peer: number, offer: Uint8Array): Uint8Array {
		const { message, keys } = receiveBaseOts(Uint8Array.of(peer, this.me), offer, bitsOf(this.delta), peer);
		this.chosen.set(peer, keys);
		return message;
	}

	/** Both directions of OT extension with `peer`, from its answer to our offer (after answering its offer). */
	finish(peer: number, answer: Uint8Array): PairwiseOt {
		const chosen = this.chosen.get(peer);
		if (!chosen) throw new Error(`base OTs: party ${peer}'s offer has not been answered`);
		const [seeds0, seeds1] = this.sender.keys(Uint8Array.of(this.me, peer), answer, BASE_OTS, peer);
		return { sender: new SoftSpokenSender(this.delta, chosen), receiver: new SoftSpokenReceiver(seeds0, seeds1) };
	}
}

function bitsOf(block: Uint32Array): Uint8Array {
	return Uint8Array.from({ length: BASE_OTS }, (_, l) => (block[l >>> 5] >>> (l & 31)) & 1);
}

/** The base OTs with one peer over `link`, in two flights: both offers, then both answers. */
export async function setupPairwiseOt(link: OtLink, base: BaseOts): Promise<PairwiseOt> {
	const peer = link.peer;
	await link.send(base.offer, 'base OT');
	await link.send(base.answer(peer, await link.recv(OFFER_BYTES, 'base OT')), 'base OT');
	return base.finish(peer, await link.recv(ANSWER_BYTES, 'base OT'));
}
