import { ristretto255 } from '@noble/curves/ed25519.js';
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { numberToBytesLE } from '@noble/curves/utils.js';

/**
 * The ristretto255 arithmetic the base OTs need, cheaper than encoding every point: ristretto
 * encoding and decoding cost an inverse square root each, and @noble/curves normalizes
 * (inverts) after every multiplication. Here products stay projective and are encoded in batches.
 */

export const Point = ristretto255.Point;
export type RistrettoPoint = InstanceType<typeof Point>;
const Fp = Point.Fp;

/** The Edwards point that represents a ristretto element (@noble/curves keeps it as `ep`, protected in its types). */
export function representative(point: RistrettoPoint): EdwardsPoint {
	return (point as unknown as { ep: EdwardsPoint }).ep;
}

/** Digits of the signed radix-16 form of a scalar below 2^253 (each in [-8, 8), 64 of them). */
const DIGITS = 64;

function signedRadix16(scalar: bigint): Int8Array {
	const digits = new Int8Array(DIGITS);
	let carry = 0;
	for (let i = 0; i < DIGITS; i++) {
		const d = Number((scalar >> BigInt(4 * i)) & 15n) + carry;
		carry = d >= 8 ? 1 : 0;
		digits[i] = d - 16 * carry;
	}
	return digits;
}

/**
 * Multiplication of many points by one secret scalar, in a regular pattern that does not depend
 * on the scalar: 4 doublings and one addition per radix-16 digit, from a table of 1·P…8·P.
 */
export class ScalarMultiplier {
	private readonly digits: Int8Array;

	constructor(scalar: bigint) {
		this.digits = signedRadix16(scalar);
	}

	/** scalar·P, projective (not normalized). */
	times(point: RistrettoPoint): EdwardsPoint {
		const p = representative(point);
		const table: EdwardsPoint[] = [representative(Point.ZERO), p];
		for (let k = 2; k <= 8; k++) table.push(table[k - 1].add(p));
		let acc = table[0];
		for (let i = DIGITS - 1; i >= 0; i--) {
			if (i < DIGITS - 1) acc = acc.double().double().double().double();
			const d = this.digits[i];
			const entry = table[d < 0 ? -d : d];
			acc = acc.add(d < 0 ? entry.negate() : entry);
		}
		return acc;
	}
}

/**
 * A canonical encoding of each point's ristretto element, for hashing: the Edwards encoding of
 * 4·P. Representatives of one ristretto element differ by a point of order dividing 4, which
 * 4· removes, and 4· is a bijection on the prime-order group, so equal elements give equal
 * bytes and different ones different bytes. One field inversion for the whole batch.
 */
export function encodeForHash(points: readonly EdwardsPoint[]): Uint8Array[] {
	const quadrupled = points.map((p) => p.double().double());
	const inverses = Fp.invertBatch(quadrupled.map((p) => p.Z));
	return quadrupled.map((p, i) => {
		const x = Fp.mul(p.X, inverses[i]);
		const bytes = numberToBytesLE(Fp.mul(p.Y, inverses[i]), 32);
		bytes[31] |= Number(x & 1n) << 7;
		return bytes;
	});
}
