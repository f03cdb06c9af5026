// The gathers and the fold of the MAC digests of openings (src/lib/mpc/beaver.ts, macDigest):
// on a chunk of authenticated bits copied into this memory, a peer's MACs (or the keys that
// must match them) are gathered into consecutive blocks for the hash, and the hashed blocks
// are XORed into the digest. Byte addresses; blocks 16 bytes, `stride` bytes apart.

import { maskOf } from './garble';

/** n blocks `stride` bytes apart from `from` on into consecutive blocks at `to`. */
export function digestGather(from: usize, stride: usize, n: u32, to: usize): void {
	for (let k: usize = 0; k < <usize>n; k++) v128.store(to + 16 * k, v128.load(from + k * stride));
}

/** As digestGather, each block XORed with Δ (at `delta`) where the byte bits[k] is 1: K ⊕ x·Δ. */
export function digestGatherKeys(from: usize, stride: usize, n: u32, bits: usize, delta: usize, to: usize): void {
	const d = v128.load(delta);
	for (let k: usize = 0; k < <usize>n; k++) {
		v128.store(to + 16 * k, v128.xor(v128.load(from + k * stride), v128.and(d, maskOf(load<u8>(bits + k)))));
	}
}

/** The block at `digest` ^= ⊕ of the n consecutive blocks from `from` on. */
export function digestFold(from: usize, n: u32, digest: usize): void {
	let h = v128.load(digest);
	for (let k: usize = 0; k < <usize>n; k++) h = v128.xor(h, v128.load(from + 16 * k));
	v128.store(digest, h);
}
