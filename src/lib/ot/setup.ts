import { BaseOtReceiver, POINT_BYTES, sendBaseOts } from './base-ot';
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
	/** Extension receiver: yields MACs (under the peer's Δ) on this party's bits; ready once the peer's offer is in. */
	receiver: SoftSpokenReceiver;
	/**
	 * Extension sender with this party's global key Δ as s: yields keys on the peer's bits. Its base
	 * OTs finish with the peer's answer, which travels with the peer's first extension message.
	 */
	sender: Promise<SoftSpokenSender>;
}

/** Bytes of a party's base-OT offer (128 points, the same for every peer) and of its answer to a peer's offer (B). */
export const OFFER_BYTES = BASE_OTS * POINT_BYTES;
export const ANSWER_BYTES = POINT_BYTES;

/**
 * This party's base OTs with every peer, in both directions at once: with the bits of its global
 * key Δ as choices it is the base-OT receiver of one set of 128 OTs per peer (they seed its
 * extension sender) and the sender of the other set (its extension receiver). Two messages each
 * way, the receiver first (base-ot.ts): the offer (the same for every peer), then the answer to
 * the peer's offer. Answering gives the extension receiver at once; the extension sender follows
 * from the peer's answer. Both may ride along with other messages (the party handshake's do).
 */
export class BaseOts {
	private readonly receiver: BaseOtReceiver;
	/** The extension senders waiting for their peer's answer. */
	private readonly pending = new Map<number, { resolve: (sender: SoftSpokenSender) => void; reject: (error: unknown) => void }>();

	constructor(
		readonly me: number,
		/** This party's global key Δ. */
		readonly delta: Uint32Array
	) {
		this.receiver = new BaseOtReceiver(me, bitsOf(delta));
	}

	/** The offer to every peer. */
	get offer(): Uint8Array {
		return this.receiver.message;
	}

	/**
	 * The answer to `peer`'s offer, and both directions of OT extension with it: the receiver ready,
	 * the sender once `finish` has the peer's answer to our offer.
	 */
	answer(peer: number, offer: Uint8Array): { message: Uint8Array; ot: PairwiseOt } {
		const { message, keys } = sendBaseOts(Uint8Array.of(this.me, peer), offer, peer, BASE_OTS, peer);
		const sender = new Promise<SoftSpokenSender>((resolve, reject) => this.pending.set(peer, { resolve, reject }));
		// Whoever uses the sender sees its failure; until then that is not an unhandled rejection.
		sender.catch(() => {});
		return { message, ot: { receiver: new SoftSpokenReceiver(keys[0], keys[1]), sender } };
	}

	/** Takes `peer`'s answer to our offer: its extension sender is ready, or fails with OtCheckError. */
	finish(peer: number, answer: Uint8Array): void {
		const pending = this.take(peer);
		try {
			pending.resolve(new SoftSpokenSender(this.delta, this.receiver.keys(Uint8Array.of(peer, this.me), answer, peer)));
		} catch (error) {
			pending.reject(error);
		}
	}

	/** `peer`'s answer will not come: its extension sender fails with `error`. */
	fail(peer: number, error: unknown): void {
		this.take(peer).reject(error);
	}

	private take(peer: number) {
		const pending = this.pending.get(peer);
		if (!pending) throw new Error(`base OTs: party ${peer}'s offer has not been answered, or its answer was taken`);
		this.pending.delete(peer);
		return pending;
	}
}

function bitsOf(block: Uint32Array): Uint8Array {
	return Uint8Array.from({ length: BASE_OTS }, (_, l) => (block[l >>> 5] >>> (l & 31)) & 1);
}

/**
 * The base OTs with one peer over `link`: both offers in the first flight, both answers in the
 * second. Resolves once the peer's offer is answered; the sender follows with the peer's answer.
 */
export async function setupPairwiseOt(link: OtLink, base: BaseOts): Promise<PairwiseOt> {
	const peer = link.peer;
	await link.send(base.offer, 'base OT');
	const { message, ot } = base.answer(peer, await link.recv(OFFER_BYTES, 'base OT'));
	await link.send(message, 'base OT');
	link.recv(ANSWER_BYTES, 'base OT').then(
		(answer) => base.finish(peer, answer),
		(error: unknown) => base.fail(peer, error)
	);
	return ot;
}
