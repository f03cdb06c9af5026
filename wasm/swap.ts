// The block swap step shared by the bit-matrix transpositions (transpose.ts) and the bitsliced
// AES's byte transposition (aes.ts).

/**
 * The bits of `b` selected by `mask` exchanged with the bits of `a` selected by mask << j, as
 * the difference t: b ^= t, a ^= t << j. j < 64: no bit leaves its 64-bit lane.
 */
// @ts-ignore: decorator
@inline
export function swapLow(a: v128, b: v128, j: i32, mask: v128): v128 {
	return v128.and(v128.xor(i64x2.shr_u(a, j), b), mask);
}
