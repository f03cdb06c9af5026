import { jsRistretto } from './ristretto-js';

/**
 * The group work of the base OTs (src/lib/ot/base-ot.ts) on ristretto255 (RFC 9496), on
 * 32-byte encodings and little-endian scalars below the group order. Two kernels give the same
 * bytes as @noble/curves (the tests' reference): ristretto-js.ts in JavaScript (the default, field
 * elements in doubles) and the WebAssembly one of wasm-kernels.ts (64-bit limbs, faster still).
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

export { POINT_BYTES } from './ristretto-js';

let kernel: RistrettoKernel = jsRistretto;

/** Installs the kernel for the whole process (at start-up, before any protocol runs; see wasm-kernels.ts). */
export function setRistrettoKernel(next: RistrettoKernel): void {
	kernel = next;
}

/** The kernel in use. */
export function ristrettoKernel(): RistrettoKernel {
	return kernel;
}
