import { doubleBlock } from './block';

/**
 * GF(2^128) with the conventions of doubleBlock: bit i of the little-endian 128-bit integer is
 * the coefficient of X^i, modulus X^128 + X^7 + X^2 + X + 1.
 */

const scratch = new Uint32Array(8);

/** out = a · b (bitwise shift-and-add; for the few multiplications per batch that need it). */
export function gfMultiply(a: Uint32Array, ai: number, b: Uint32Array, bi: number, out: Uint32Array, oi: number): void {
	const acc = scratch; // words 0..3 accumulator, 4..7 the running multiple of a
	acc[0] = acc[1] = acc[2] = acc[3] = 0;
	acc[4] = a[ai];
	acc[5] = a[ai + 1];
	acc[6] = a[ai + 2];
	acc[7] = a[ai + 3];
	for (let w = 0; w < 4; w++) {
		const word = b[bi + w];
		for (let bit = 0; bit < 32; bit++) {
			if ((word >>> bit) & 1) {
				acc[0] ^= acc[4];
				acc[1] ^= acc[5];
				acc[2] ^= acc[6];
				acc[3] ^= acc[7];
			}
			doubleBlock(acc, 4, acc, 4);
		}
	}
	out[oi] = acc[0];
	out[oi + 1] = acc[1];
	out[oi + 2] = acc[2];
	out[oi + 3] = acc[3];
}
