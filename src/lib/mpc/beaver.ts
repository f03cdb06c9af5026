import { asBytes, BLOCK_BYTES, BLOCK_WORDS, packBits, unpackBits } from '../crypto/block';
import { bytesEqual, tweakedHash } from '../crypto/hash';
import { AuthBits } from './auth';
import { checkFailed } from './errors';
import type { Session } from './session';

const DIGEST_BYTES = BLOCK_BYTES;
const TWEAK_DOMAIN = 0x6e65706f; // 'open'

/**
 * Opening `values` (authenticated bits) to every party. Each party sends its shares to all and,
 * per peer, one digest of the MACs on them, ⊕_k H(M_k, T_k) with the tweakable hash of
 * crypto/hash and a tweak unique to the MAC, the opening (`id`, unique within the run) and the
 * direction; each receiver recomputes it from its keys (M = K ⊕ x·Δ). A party that changes a
 * share would have to supply H at M ⊕ Δ, a point it cannot know without Δ. The messages ride
 * along with other messages of a round (`message`, then `open`). Used by Beaver
 * multiplication and by the bucket combination of leaky AND triples.
 */
export class Opening {
	private readonly packed: Uint8Array[];
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

	/** This party's shares and the digest of its MACs for `peer`. */
	message(peer: number): Uint8Array {
		const out = new Uint8Array(this.bytes);
		let offset = 0;
		for (const p of this.packed) {
			out.set(p, offset);
			offset += p.length;
		}
		out.set(macDigest(this.values, peer, null, this.delta, this.id, this.session.me | (peer << 8)), offset);
		return out;
	}

	/** Checks every peer's message (`received[peer]`) and returns the opened values. */
	open(received: readonly Uint8Array[]): Uint8Array[] {
		const { values, packed } = this;
		const count = values[0].count;
		const bitBytes = this.bytes - DIGEST_BYTES;
		const opened = values.map((v) => v.bits.slice());
		for (const peer of this.session.peers) {
			const message = received[peer];
			let offset = 0;
			const theirs = values.map((_, i) => {
				const bits = unpackBits(message.subarray(offset, offset + packed[i].length), count);
				offset += packed[i].length;
				return bits;
			});
			if (!bytesEqual(macDigest(values, peer, theirs, this.delta, this.id, peer | (this.session.me << 8)), message.subarray(bitBytes, this.bytes))) {
				checkFailed('MAC check', peer, `opened shares (${this.what})`);
			}
			theirs.forEach((bits, i) => {
				for (let k = 0; k < count; k++) opened[i][k] ^= bits[k];
			});
		}
		return opened;
	}
}

/**
 * Digest of the MACs that authenticate shares to `peer`: with `theirBits` null, of this
 * party's MACs M_peer[x]; otherwise of K[x^peer] ⊕ x^peer·Δ, what the peer's MACs must be.
 * Block t (set after set, bit after bit) is hashed with tweak (t, call, 'open', pair), pair =
 * holder | key owner << 8.
 */
function macDigest(values: readonly AuthBits[], peer: number, theirBits: Uint8Array[] | null, delta: Uint32Array, call: number, pair: number): Uint8Array {
	const count = values[0].count;
	const digest = new Uint32Array(BLOCK_WORDS);
	let tweak = 0;
	let filled = 0;
	for (let i = 0; i < values.length; i++) {
		const { words, stride } = values[i];
		const bits = theirBits?.[i];
		let src = 8 * values[i].peerSlot(peer) + (bits ? BLOCK_WORDS : 0);
		for (let k = 0; k < count; ) {
			const n = Math.min(count - k, DIGEST_CHUNK_BLOCKS - filled);
			if (bits) gatherKeys(words, src, stride, bits, k, n, filled, delta);
			else gatherMacs(words, src, stride, n, filled);
			k += n;
			src += n * stride;
			filled += n;
			if (filled === DIGEST_CHUNK_BLOCKS) {
				foldHashes(filled, digest, tweak, call, pair);
				tweak += filled;
				filled = 0;
			}
		}
	}
	foldHashes(filled, digest, tweak, call, pair);
	return asBytes(digest);
}

/**
 * n MACs (blocks `stride` words apart from `src`) into digestInput from block `at` on. The
 * loops are functions of their own (and one per case): the JIT then compiles each once, not
 * macDigest again for every loop and case it meets (see triples.ts, blocksOf).
 */
function gatherMacs(words: Uint32Array, src: number, stride: number, n: number, at: number): void {
	for (let k = 0, dst = at * BLOCK_WORDS; k < n; k++, src += stride, dst += BLOCK_WORDS) {
		digestInput[dst] = words[src];
		digestInput[dst + 1] = words[src + 1];
		digestInput[dst + 2] = words[src + 2];
		digestInput[dst + 3] = words[src + 3];
	}
}

/** n keys ⊕ bits[first + k]·Δ, as gatherMacs. */
function gatherKeys(words: Uint32Array, src: number, stride: number, bits: Uint8Array, first: number, n: number, at: number, delta: Uint32Array): void {
	const [d0, d1, d2, d3] = delta;
	for (let k = 0, dst = at * BLOCK_WORDS; k < n; k++, src += stride, dst += BLOCK_WORDS) {
		const mask = -bits[first + k];
		digestInput[dst] = words[src] ^ (d0 & mask);
		digestInput[dst + 1] = words[src + 1] ^ (d1 & mask);
		digestInput[dst + 2] = words[src + 2] ^ (d2 & mask);
		digestInput[dst + 3] = words[src + 3] ^ (d3 & mask);
	}
}

/** Blocks hashed per call in macDigest: scratch that stays in cache, reused by every call. */
const DIGEST_CHUNK_BLOCKS = 1024;
const digestInput = new Uint32Array(DIGEST_CHUNK_BLOCKS * BLOCK_WORDS);
const digestHashed = new Uint32Array(DIGEST_CHUNK_BLOCKS * BLOCK_WORDS);

/** digest ^= ⊕ of H(block k, (first + k, call, 'open', pair)) over the first `blocks` blocks of digestInput. */
function foldHashes(blocks: number, digest: Uint32Array, first: number, call: number, pair: number): void {
	if (blocks === 0) return;
	tweakedHash(digestInput, 0, digestHashed, 0, blocks, first, call, TWEAK_DOMAIN, pair);
	let h0 = digest[0];
	let h1 = digest[1];
	let h2 = digest[2];
	let h3 = digest[3];
	for (let b = 0; b < blocks * BLOCK_WORDS; b += BLOCK_WORDS) {
		h0 ^= digestHashed[b];
		h1 ^= digestHashed[b + 1];
		h2 ^= digestHashed[b + 2];
		h3 ^= digestHashed[b + 3];
	}
	digest[0] = h0;
	digest[1] = h1;
	digest[2] = h2;
	digest[3] = h3;
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
