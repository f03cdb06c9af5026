import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { describe, expect, it } from 'vitest';
import { randomFill } from '../../../src/lib/crypto/block';
import { encodeForHash, Point, representative, ScalarMultiplier } from '../../../src/lib/ot/group';

const randomScalar = () => (bytesToNumberLE(randomFill(new Uint8Array(64))) % (Point.Fn.ORDER - 1n)) + 1n;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ristretto255 helpers of the base OTs', () => {
	it('multiplies by a fixed scalar as @noble/curves does, for random points and scalars', () => {
		for (let round = 0; round < 8; round++) {
			const y = randomScalar();
			const times = new ScalarMultiplier(y);
			const points = Array.from({ length: 4 }, () => Point.BASE.multiply(randomScalar()));
			const ours = encodeForHash(points.map((p) => times.times(p)));
			const theirs = encodeForHash(points.map((p) => representative(p.multiply(y))));
			expect(ours.map(hex)).toEqual(theirs.map(hex));
		}
	});

	it('handles the extreme digits: scalars 1, 8, 15, 16 and ℓ − 1', () => {
		const p = Point.BASE.multiply(randomScalar());
		for (const y of [1n, 8n, 15n, 16n, Point.Fn.ORDER - 1n]) {
			expect(hex(encodeForHash([new ScalarMultiplier(y).times(p)])[0])).toBe(hex(encodeForHash([representative(p.multiply(y))])[0]));
		}
	});

	it('encodes an element the same way whichever Edwards point represents it, and different elements differently', () => {
		const seen = new Set<string>();
		for (let round = 0; round < 16; round++) {
			const p = Point.BASE.multiply(randomScalar());
			const decoded = Point.fromBytes(p.toBytes());
			const [a, b] = encodeForHash([representative(p), representative(decoded)]);
			expect(hex(a)).toBe(hex(b));
			seen.add(hex(a));
		}
		expect(seen.size).toBe(16);
	});

	it('tells apart representatives that differ by a point of order 4 only where the element differs', () => {
		// (√−1, 0) has order 4: added to a representative, it gives another representative of the same element.
		const p = representative(Point.BASE.multiply(randomScalar()));
		const t = ed25519.Point.fromAffine({ x: Point.Fp.sqrt(Point.Fp.neg(1n)), y: 0n });
		expect(t.double().double().is0()).toBe(true);
		expect(t.double().is0()).toBe(false);
		expect(hex(encodeForHash([p.add(t)])[0])).toBe(hex(encodeForHash([p])[0]));
		expect(hex(encodeForHash([p.add(p)])[0])).not.toBe(hex(encodeForHash([p])[0]));
	});
});
