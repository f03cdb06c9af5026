import { BLOCK_WORDS } from '../crypto/block';

/**
 * `count` authenticated bit shares as one party holds them (WRK17 §2: ⟨x⟩ with
 * x = ⊕_i x^i): its own share x^i in `bits`, and for each peer j (in party order, skipping
 * itself) the MAC M_j[x^i] = K_j[x^i] ⊕ x^i·Δ_j and the key K_i[x^j] that authenticates
 * j's share under this party's Δ_i.
 *
 * `words` is one flat array: bit k's data starts at k·stride; peer slot p holds the MAC at
 * +8p and the key at +8p+4. XOR of shares (free on authenticated bits) is a word loop.
 */
export class AuthBits {
	readonly stride: number;
	readonly bits: Uint8Array;
	readonly words: Uint32Array;

	/** Fresh zeroed storage, or views of `bits` (count bytes) and `words` (count · stride words). */
	constructor(
		readonly parties: number,
		readonly me: number,
		readonly count: number,
		bits?: Uint8Array,
		words?: Uint32Array
	) {
		this.stride = 8 * (parties - 1);
		this.bits = bits ?? new Uint8Array(count);
		this.words = words ?? new Uint32Array(count * this.stride);
		if (this.bits.length !== count || this.words.length !== count * this.stride) throw new Error(`AuthBits: storage does not hold ${count} bits`);
	}

	/** Index of peer `party` among this party's peers. */
	peerSlot(party: number): number {
		return party < this.me ? party : party - 1;
	}

	/** Word offset of the MAC M_peer[x^me] of bit k. */
	macAt(k: number, peer: number): number {
		return k * this.stride + 8 * this.peerSlot(peer);
	}

	/** Word offset of the key K_me[x^peer] of bit k. */
	keyAt(k: number, peer: number): number {
		return k * this.stride + 8 * this.peerSlot(peer) + BLOCK_WORDS;
	}

	/** this[k] = a[i] ⊕ b[j]; k may coincide with i or j when the arrays are the same. */
	setXor(k: number, a: AuthBits, i: number, b: AuthBits, j: number): void {
		this.bits[k] = a.bits[i] ^ b.bits[j];
		const s = this.stride;
		const dst = this.words;
		const x = a.words;
		const y = b.words;
		for (let w = 0, d = k * s, p = i * s, q = j * s; w < s; w++) dst[d + w] = x[p + w] ^ y[q + w];
	}

	/** this = a ⊕ b, bit by bit (all three hold the same number of bits). */
	setXorAll(a: AuthBits, b: AuthBits): void {
		const bits = this.bits;
		const words = this.words;
		for (let k = 0; k < bits.length; k++) bits[k] = a.bits[k] ^ b.bits[k];
		for (let w = 0; w < words.length; w++) words[w] = a.words[w] ^ b.words[w];
	}

	/** this[k] ^= a[i]. */
	xorFrom(k: number, a: AuthBits, i: number): void {
		this.bits[k] ^= a.bits[i];
		const s = this.stride;
		const dst = this.words;
		const x = a.words;
		for (let w = 0, d = k * s, p = i * s; w < s; w++) dst[d + w] ^= x[p + w];
	}

	/** this[k] = a[i]. */
	copyFrom(k: number, a: AuthBits, i: number): void {
		this.bits[k] = a.bits[i];
		const s = this.stride;
		const dst = this.words;
		const x = a.words;
		for (let w = 0, d = k * s, p = i * s; w < s; w++) dst[d + w] = x[p + w];
	}

	/**
	 * this[k] ^= the public constant 1: the constant's holder (party `holder`) flips its bit,
	 * every other party adds its Δ to the key of the holder's share, so MACs stay valid.
	 */
	xorOne(k: number, holder: number, delta: Uint32Array): void {
		if (this.me === holder) {
			this.bits[k] ^= 1;
			return;
		}
		const o = this.keyAt(k, holder);
		this.words[o] ^= delta[0];
		this.words[o + 1] ^= delta[1];
		this.words[o + 2] ^= delta[2];
		this.words[o + 3] ^= delta[3];
	}
}

/** Bits [start, start + count) of `source`, sharing its memory (no copy). */
export function viewAuthBits(source: AuthBits, start: number, count: number): AuthBits {
	const s = source.stride;
	return new AuthBits(source.parties, source.me, count, source.bits.subarray(start, start + count), source.words.subarray(start * s, (start + count) * s));
}

/** Bits [start, start + count) of `source`, copied: holding them does not hold all of `source`. */
export function copyAuthBits(source: AuthBits, start: number, count: number): AuthBits {
	const s = source.stride;
	return new AuthBits(source.parties, source.me, count, source.bits.slice(start, start + count), source.words.slice(start * s, (start + count) * s));
}
