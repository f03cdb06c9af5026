import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';

/**
 * The group work of the base OTs (src/lib/ot/base-ot.ts) on ristretto255 (RFC 9496), on
 * 32-byte encodings and little-endian scalars below the group order. Two kernels give the same
 * bytes: @noble/curves in JavaScript (the default, BigInt field arithmetic) and the
 * WebAssembly one of wasm-kernels.ts (64-bit limbs, several times faster).
 */
export interface RistrettoKernel {
	readonly name: string;
	/** The encoding of k·G, G the generator. */
	baseMul(k: Uint8Array): Uint8Array;
	/** The encoding of k·P for the valid encoding `p`. */
	mul(k: Uint8Array, p: Uint8Array): Uint8Array;
	/**
	 * The base-OT receiver's offer: for OT i (scalar x_i at scalars[32i…], choice bit choices[i]),
	 * R_i = x_i·G + c_i·C, C the valid encoding `c`; encodings, 32 bytes each.
	 */
	offer(c: Uint8Array, scalars: Uint8Array, choices: Uint8Array): Uint8Array;
	/** The base-OT receiver's points: x_i·B for each scalar x_i at scalars[32i…], B the valid encoding `b`. */
	chosen(b: Uint8Array, scalars: Uint8Array): Uint8Array;
	/**
	 * The base-OT sender's points: for each R_i encoded in r[32i…], y·R_i and y·R_i − y·C (`yc`
	 * the encoding of y·C), or the index of the first R_i that is not a valid encoding.
	 */
	send(y: Uint8Array, yc: Uint8Array, r: Uint8Array, count: number): { keys0: Uint8Array; keys1: Uint8Array } | { invalid: number };
}

export const POINT_BYTES = 32;

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

/** @noble/curves' constant-time ristretto255. */
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

let kernel: RistrettoKernel = nobleRistretto;

/** Installs the kernel for the whole process (at start-up, before any protocol runs; see wasm-kernels.ts). */
export function setRistrettoKernel(next: RistrettoKernel): void {
	kernel = next;
}

/** The kernel in use. */
export function ristrettoKernel(): RistrettoKernel {
	return kernel;
}
