/**
 * gfMultiply against known answers: the GHASH multiplications of the GCM specification's test
 * case 2, and a slow reference written here from the field's definition.
 */
import { describe, expect, it } from 'vitest';
import { randomBlocks } from '../../../src/lib/crypto/block';
import { FixedMultiplier, gfMultiply } from '../../../src/lib/crypto/gf128';

/**
 * A GCM block (hex, as printed in the specification) as our block. GCM and we use the same
 * field, GF(2)[X] / (X^128 + X^7 + X^2 + X + 1), with opposite bit orders: in GCM the first
 * bit of the block (the most significant bit of byte 0) is the coefficient of X^0, ours is
 * bit 0 of the little-endian 128-bit integer (the least significant bit of byte 0). So byte
 * k stays byte k with its bits reversed.
 */
function fromGcm(hex: string): Uint32Array {
	const bytes = Uint8Array.from(hex.match(/../g)!, (pair) => {
		let byte = parseInt(pair, 16);
		let reversed = 0;
		for (let bit = 0; bit < 8; bit++, byte >>= 1) reversed = (reversed << 1) | (byte & 1);
		return reversed;
	});
	return new Uint32Array(bytes.buffer);
}

const multiply = (a: Uint32Array, b: Uint32Array): Uint32Array => {
	const out = new Uint32Array(4);
	gfMultiply(a, 0, b, 0, out, 0);
	return out;
};

/** Our block as the polynomial's coefficients, bit i of the bigint = coefficient of X^i. */
const toBig = (block: Uint32Array): bigint => block.reduceRight((acc, word) => (acc << 32n) | BigInt(word >>> 0), 0n);
const fromBig = (value: bigint): Uint32Array => Uint32Array.from({ length: 4 }, (_, w) => Number((value >> BigInt(32 * w)) & 0xffffffffn));

/** Schoolbook carry-less product, then reduction by the field's polynomial from the top bit down. */
function referenceMultiply(a: bigint, b: bigint): bigint {
	let product = 0n;
	for (let i = 0n; i < 128n; i++) if ((b >> i) & 1n) product ^= a << i;
	const modulus = (1n << 128n) | 0x87n; // X^128 + X^7 + X^2 + X + 1
	for (let i = 254n; i >= 128n; i--) if ((product >> i) & 1n) product ^= modulus << (i - 128n);
	return product;
}

describe('GF(2^128) known answers', () => {
	// McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test case 2:
	// K = 0^128, P = 0^128, H = E(K, 0^128), C the one ciphertext block, X_1 = C · H, and
	// GHASH(H, {}, C) = X_2 = (X_1 ⊕ len(A) ‖ len(C)) · H.
	const H = '66e94bd4ef8a2c3b884cfa59ca342b2e';
	const C = '0388dace60b6a392f328c2b971b2fe78';
	const X1 = '5e2ec746917062882c85b0685353deb7';
	const LENGTHS = '00000000000000000000000000000080';
	const GHASH = 'f38cbb1ad69223dcc3457ae5b6b0f885';

	it('multiplies as GHASH does in the GCM specification (test case 2), bits reflected', () => {
		expect(multiply(fromGcm(C), fromGcm(H))).toEqual(fromGcm(X1));
		const x1 = fromGcm(X1);
		const lengths = fromGcm(LENGTHS);
		expect(multiply(x1.map((w, i) => w ^ lengths[i]), fromGcm(H))).toEqual(fromGcm(GHASH));
	});

	it('agrees with the GCM vector when its multiplier is fixed (the KOS check multiplies this way)', () => {
		const acc = new Uint32Array(4);
		new FixedMultiplier(fromGcm(H)).horner(acc, Uint32Array.of(...fromGcm(C), ...fromGcm(LENGTHS)), 2);
		expect(acc).toEqual(fromGcm(GHASH));
	});

	it('agrees with a slow reference written from the definition of the field', () => {
		// The reference itself meets the GCM vector, so that it cannot share a mistake with gfMultiply.
		expect(fromBig(referenceMultiply(toBig(fromGcm(C)), toBig(fromGcm(H))))).toEqual(fromGcm(X1));
		for (let trial = 0; trial < 50; trial++) {
			const [a, b] = [randomBlocks(1), randomBlocks(1)];
			expect(multiply(a, b)).toEqual(fromBig(referenceMultiply(toBig(a), toBig(b))));
		}
	});
});
