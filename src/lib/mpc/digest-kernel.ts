import type { AuthBits } from './auth';
import { jsDigestKernel } from './digest-js';

/*
 * The MAC digests of openings (beaver.ts): for one peer, ⊕_t H(M_t, T_t) over the MACs that
 * authenticate this party's shares to it, or the same over what the peer's MACs must be,
 * K[x^peer] ⊕ x^peer·Δ. H is crypto/hash's tweakable hash, T_t = (t, call, 'open', pair), block t
 * counting set after set, bit after bit. As a kernel: the JavaScript one (digest-js.ts) or the
 * WebAssembly one (digest-wasm.ts), which a fresh process runs at full speed from its first call.
 */

/** One digest to compute. */
export interface DigestTarget {
	/** The peer's slot among this party's peers (AuthBits.peerSlot). */
	readonly slot: number;
	/** Null: this party's MACs M_peer[x]. Otherwise the peer's bits of every set: K[x^peer] ⊕ x^peer·Δ. */
	readonly theirBits: readonly Uint8Array[] | null;
	/** The tweak's last word: holder | key owner << 8. */
	readonly pair: number;
}

export interface DigestKernel {
	readonly name: string;
	/** Every target's 16-byte digest of `values` (sets of equal count), for opening `call`. */
	macDigests(values: readonly AuthBits[], targets: readonly DigestTarget[], delta: Uint32Array, call: number): Uint8Array[];
}

let kernel: DigestKernel = jsDigestKernel;

export function digestKernel(): DigestKernel {
	return kernel;
}

/** Selects the digest kernel from now on (the kernel sets install one). */
export function setDigestKernel(next: DigestKernel): void {
	kernel = next;
}
