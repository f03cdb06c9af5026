/**
 * Integers as bits in two's complement, most significant bit first (garble-lang's layout), for
 * constants in circuits and for input and output values. A value that fits a safe integer is
 * taken apart with number arithmetic: BigInt allocates at every shift, and these run once per
 * bit of every constant and every input element.
 */

/** Bits of a word that a JavaScript number holds exactly: a safe integer has 53 and a sign. */
const EXACT_BITS = 53;

/** Writes `value` wrapped to `width` bits into out[offset…]: 0 or 1 each. */
export function writeTwosComplement(value: bigint | number, width: number, out: Uint8Array | number[], offset: number): void {
	// A bigint beyond the safe integers converts to a number that is not one.
	const exact = Number(value);
	if (Number.isSafeInteger(exact)) {
		// Bits 0–31 and 32–63 (ToUint32 wraps modulo 2^32), the sign above.
		const low = exact >>> 0;
		const high = Math.floor(exact / 2 ** 32) >>> 0;
		const sign = exact < 0 ? 1 : 0;
		for (let i = 0; i < width; i++) {
			const j = width - 1 - i;
			out[offset + i] = j >= 64 ? sign : (j < 32 ? low >>> j : high >>> (j - 32)) & 1;
		}
		return;
	}
	const v = BigInt(value);
	for (let i = 0; i < width; i++) out[offset + i] = Number((v >> BigInt(width - 1 - i)) & 1n);
}

/** The unsigned value of the `width` bits (each 0 or 1) at bits[offset…]. */
export function readUnsigned(bits: ArrayLike<number>, offset: number, width: number): bigint {
	if (width <= EXACT_BITS) {
		let exact = 0;
		for (let i = 0; i < width; i++) exact = exact * 2 + bits[offset + i];
		return BigInt(exact);
	}
	let v = 0n;
	for (let i = 0; i < width; i++) v = (v << 1n) | BigInt(bits[offset + i]);
	return v;
}
