import { BLOCK_BYTES, packBits, unpackBits } from '../crypto/block';
import { bytesEqual } from '../crypto/hash';
import { AuthBits } from './auth';
import { digestKernel } from './digest-kernel';
import { checkFailed } from './errors';
import type { Session } from './session';

const DIGEST_BYTES = BLOCK_BYTES;

/**
 * Opening `values` (authenticated bits) to every party. Each party sends its shares to all and,
 * per peer, one digest of the MACs on them, ⊕_k H(M_k, T_k) with the tweakable hash of
 * crypto/hash and a tweak unique to the MAC, the opening (`id`, unique within the run) and the
 * direction (digest-kernel.ts); each receiver recomputes it from its keys (M = K ⊕ x·Δ). A
 * party that changes a share would have to supply H at M ⊕ Δ, a point it cannot know without Δ. The messages ride
 * along with other messages of a round (`message`, then `open`). Used by Beaver
 * multiplication and by the bucket combination of leaky AND triples.
 */
export class Opening {
	private readonly packed: Uint8Array[];
	private digests: Uint8Array[] | null = null;
	/** Bytes of the message to each peer. */
	readonly bytes: number;

	constructor(
		private readonly session: Session,
		private readonly delta: Uint32Array,
		private readonly values: readonly AuthBits[],
		private readonly id: number,
		private readonly what: string
	) {
		this.packed = values.map((v) => packBits(v.bits));
		this.bytes = this.packed.reduce((sum, p) => sum + p.length, 0) + DIGEST_BYTES;
	}

	/** This party's shares and the digest of its MACs for `peer` (the digests for every peer are made at the first call). */
	message(peer: number): Uint8Array {
		const { session, values } = this;
		this.digests ??= digestKernel().macDigests(
			values,
			session.peers.map((p) => ({ slot: values[0].peerSlot(p), theirBits: null, pair: session.me | (p << 8) })),
			this.delta,
			this.id
		);
		const out = new Uint8Array(this.bytes);
		let offset = 0;
		for (const p of this.packed) {
			out.set(p, offset);
			offset += p.length;
		}
		out.set(this.digests[session.peers.indexOf(peer)], offset);
		return out;
	}

	/** Checks every peer's message (`received[peer]`) and returns the opened values. */
	open(received: readonly Uint8Array[]): Uint8Array[] {
		const { values, packed, session } = this;
		const count = values[0].count;
		const bitBytes = this.bytes - DIGEST_BYTES;
		const theirs = session.peers.map((peer) => {
			let offset = 0;
			return values.map((_, i) => {
				const bits = unpackBits(received[peer].subarray(offset, offset + packed[i].length), count);
				offset += packed[i].length;
				return bits;
			});
		});
		const expected = digestKernel().macDigests(
			values,
			session.peers.map((peer, j) => ({ slot: values[0].peerSlot(peer), theirBits: theirs[j], pair: peer | (session.me << 8) })),
			this.delta,
			this.id
		);
		const opened = values.map((v) => v.bits.slice());
		session.peers.forEach((peer, j) => {
			if (!bytesEqual(expected[j], received[peer].subarray(bitBytes, this.bytes))) checkFailed('MAC check', peer, `opened shares (${this.what})`);
			theirs[j].forEach((bits, i) => {
				for (let k = 0; k < count; k++) opened[i][k] ^= bits[k];
			});
		});
		return opened;
	}
}

/**
 * ⟨λ_α·λ_β⟩ from a random triple ⟨a⟩, ⟨b⟩, ⟨c = a·b⟩ (Beaver; WRK17 §3, the AND step of
 * F_pre): open d = λ_α ⊕ a and e = λ_β ⊕ b, then λ_α·λ_β = c ⊕ d·b ⊕ e·a ⊕ d·e. The opening's
 * messages go out first (`opening.message`) and the product is taken later (`finish`), so
 * that the openings of several segments can be on their way at once.
 */
export class BeaverMultiplication {
	private readonly d: AuthBits;
	private readonly e: AuthBits;
	readonly opening: Opening;

	constructor(
		session: Session,
		private readonly delta: Uint32Array,
		alpha: AuthBits,
		beta: AuthBits,
		private readonly triple: { a: AuthBits; b: AuthBits; c: AuthBits },
		id: number,
		private readonly constantHolder: number
	) {
		this.d = new AuthBits(alpha.parties, alpha.me, alpha.count);
		this.e = new AuthBits(alpha.parties, alpha.me, alpha.count);
		this.d.setXorAll(alpha, triple.a);
		this.e.setXorAll(beta, triple.b);
		this.opening = new Opening(session, delta, [this.d, this.e], id, 'Beaver openings of AND gates');
	}

	/** The product, from every peer's opening message (indexed by party). */
	finish(received: readonly Uint8Array[]): AuthBits {
		const [dOpen, eOpen] = this.opening.open(received);
		const product = this.d; // reuse: d's shares are no longer needed
		for (let from = 0; from < product.count; from += PRODUCT_SLICE) {
			takeProduct(product, this.triple, dOpen, eOpen, from, Math.min(product.count, from + PRODUCT_SLICE), this.delta, this.constantHolder);
		}
		return product;
	}
}

/**
 * Bits computed per call of takeProduct: short calls are optimised whole by V8, where one long
 * loop per segment would be compiled twice in a fresh process (entered mid-loop, then whole).
 */
const PRODUCT_SLICE = 256;

/**
 * Bits [from, to) of the product c ⊕ d·b ⊕ e·a ⊕ d·e into `out`, in one branch-free pass (the
 * opened bits are uniform, so branches on them would mispredict half the time), then the
 * public d·e (held by `constantHolder`).
 */
function takeProduct(
	out: AuthBits,
	triple: { a: AuthBits; b: AuthBits; c: AuthBits },
	dOpen: Uint8Array,
	eOpen: Uint8Array,
	from: number,
	to: number,
	delta: Uint32Array,
	constantHolder: number
): void {
	const { stride } = out;
	const words = out.words;
	const [a, b, c] = [triple.a.words, triple.b.words, triple.c.words];
	for (let k = from, o = from * stride; k < to; k++) {
		const dk = dOpen[k];
		const ek = eOpen[k];
		out.bits[k] = triple.c.bits[k] ^ (dk & triple.b.bits[k]) ^ (ek & triple.a.bits[k]);
		const dMask = -dk;
		const eMask = -ek;
		for (const end = o + stride; o < end; o++) words[o] = c[o] ^ (b[o] & dMask) ^ (a[o] & eMask);
		if (dk & ek) out.xorOne(k, constantHolder, delta);
	}
}
