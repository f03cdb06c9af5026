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
	 * The base-OT receiver's points: for OT i (scalar x_i at scalars[32i…], choice bit
	 * choices[i]), R_i = x_i·G + c_i·S and x_i·S, S the valid encoding `s`; encodings, 32 bytes each.
	 */
	receive(s: Uint8Array, scalars: Uint8Array, choices: Uint8Array): { r: Uint8Array; keys: Uint8Array };
	/**
	 * The base-OT sender's points: for each R_i encoded in r[32i…], y·R_i and y·R_i − y·S (`ys`
	 * the encoding of y·S), or the index of the first R_i that is not a valid encoding.
	 */
	send(y: Uint8Array, ys: Uint8Array, r: Uint8Array, count: number): { keys0: Uint8Array; keys1: Uint8Array } | { invalid: number };
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
	receive(s, scalars, choices) {
		const sPoint = Point.fromBytes(s);
		const table = sPoint.precompute(8);
		const r = new Uint8Array(choices.length * POINT_BYTES);
		const keys = new Uint8Array(choices.length * POINT_BYTES);
		for (let i = 0; i < choices.length; i++) {
			const x = bytesToNumberLE(point(scalars, i));
			const xg = Point.BASE.multiply(x);
			r.set((choices[i] ? xg.add(sPoint) : xg).toBytes(), i * POINT_BYTES);
			keys.set(table.multiply(x).toBytes(), i * POINT_BYTES);
		}
		return { r, keys };
	},
	send(y, ys, r, count) {
		const scalar = bytesToNumberLE(y);
		const ysPoint = Point.fromBytes(ys);
		const keys0 = new Uint8Array(count * POINT_BYTES);
		const keys1 = new Uint8Array(count * POINT_BYTES);
		for (let i = 0; i < count; i++) {
			const ri = decodes(point(r, i));
			if (!ri) return { invalid: i };
			const yr = ri.multiply(scalar);
			keys0.set(yr.toBytes(), i * POINT_BYTES);
			keys1.set(yr.subtract(ysPoint).toBytes(), i * POINT_BYTES);
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
