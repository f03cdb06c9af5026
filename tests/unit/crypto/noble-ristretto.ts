// The tests' reference for the ristretto255 kernels (src/lib/crypto/ristretto.ts): @noble/curves'
// constant-time ristretto255, on the kernels' interface. Every kernel must give its bytes.
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { POINT_BYTES, type RistrettoKernel } from '../../../src/lib/crypto/ristretto';

const Point = ristretto255.Point;
type RistrettoPoint = InstanceType<typeof Point>;

function decodes(bytes: Uint8Array): RistrettoPoint | null {
	try {
		return Point.fromBytes(bytes);
	} catch {
		return null;
	}
}

const point = (bytes: Uint8Array, i: number) => bytes.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);

export const nobleRistretto: RistrettoKernel = {
	name: 'noble',
	baseMul: (k) => Point.BASE.multiply(bytesToNumberLE(k)).toBytes(),
	mul: (k, p) => Point.fromBytes(p).multiply(bytesToNumberLE(k)).toBytes(),
	offer(c, scalars, choices) {
		const cPoint = Point.fromBytes(c);
		const r = new Uint8Array(choices.length * POINT_BYTES);
		for (let i = 0; i < choices.length; i++) {
			const xg = Point.BASE.multiply(bytesToNumberLE(point(scalars, i)));
			r.set((choices[i] ? xg.add(cPoint) : xg).toBytes(), i * POINT_BYTES);
		}
		return r;
	},
	chosen(b, scalars) {
		const table = Point.fromBytes(b).precompute(8);
		const count = scalars.length / 32;
		const keys = new Uint8Array(count * POINT_BYTES);
		for (let i = 0; i < count; i++) keys.set(table.multiply(bytesToNumberLE(point(scalars, i))).toBytes(), i * POINT_BYTES);
		return keys;
	},
	send(y, yc, r, count) {
		const scalar = bytesToNumberLE(y);
		const ycPoint = Point.fromBytes(yc);
		const keys0 = new Uint8Array(count * POINT_BYTES);
		const keys1 = new Uint8Array(count * POINT_BYTES);
		for (let i = 0; i < count; i++) {
			const ri = decodes(point(r, i));
			if (!ri) return { invalid: i };
			const yr = ri.multiply(scalar);
			keys0.set(yr.toBytes(), i * POINT_BYTES);
			keys1.set(yr.subtract(ycPoint).toBytes(), i * POINT_BYTES);
		}
		return { keys0, keys1 };
	}
};

