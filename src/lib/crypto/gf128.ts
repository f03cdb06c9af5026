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

/** Horner's rule with one fixed multiplier h: see FixedMultiplier.horner. */
export interface Horner {
	horner(acc: Uint32Array, blocks: Uint32Array, count: number, stride: number, offset: number): void;
}

/** Where multiplications by a fixed element run (JavaScript here, WebAssembly in wasm-kernels.ts); all give identical results. */
export interface HornerKernel {
	readonly name: string;
	/** Prepares multiplications by the element at h[offset…]. */
	create(h: Uint32Array, offset: number): Horner;
}

/**
 * Multiplication by one fixed element h with 8-bit tables (Shoup): v·h = ⊕_j T_j[byte j of v]
 * with T_j[b] = (b·X^{8j})·h. 64 KiB of tables, 16 lookups per multiplication.
 */
class TableMultiplier implements Horner {
	private readonly tables = new Int32Array(16 * 256 * 4);

	constructor(h: Uint32Array, offset = 0) {
		const t = this.tables;
		const power = new Uint32Array(4);
		power.set(h.subarray(offset, offset + 4));
		for (let j = 0; j < 16; j++) {
			const base = j * 256 * 4;
			// Entries 1, 2, 4, …, 128: h·X^{8j+i}.
			for (let i = 0; i < 8; i++) {
				const o = base + (1 << i) * 4;
				t[o] = power[0];
				t[o + 1] = power[1];
				t[o + 2] = power[2];
				t[o + 3] = power[3];
				doubleBlock(power, 0, power, 0);
			}
			for (let b = 3; b < 256; b++) {
				if ((b & (b - 1)) === 0) continue;
				const low = b & -b;
				const o = base + b * 4;
				const x = base + low * 4;
				const y = base + (b ^ low) * 4;
				t[o] = t[x] ^ t[y];
				t[o + 1] = t[x + 1] ^ t[y + 1];
				t[o + 2] = t[x + 2] ^ t[y + 2];
				t[o + 3] = t[x + 3] ^ t[y + 3];
			}
		}
	}

	horner(acc: Uint32Array, blocks: Uint32Array, count: number, stride: number, offset: number): void {
		const t = this.tables;
		let a0 = acc[0] | 0;
		let a1 = acc[1] | 0;
		let a2 = acc[2] | 0;
		let a3 = acc[3] | 0;
		for (let k = 0, i = offset; k < count; k++, i += stride) {
			a0 ^= blocks[i];
			a1 ^= blocks[i + 1];
			a2 ^= blocks[i + 2];
			a3 ^= blocks[i + 3];
			let r0 = 0;
			let r1 = 0;
			let r2 = 0;
			let r3 = 0;
			for (let w = 0; w < 4; w++) {
				const word = w === 0 ? a0 : w === 1 ? a1 : w === 2 ? a2 : a3;
				for (let byte = 0; byte < 4; byte++) {
					const o = ((w * 4 + byte) * 256 + ((word >>> (8 * byte)) & 255)) * 4;
					r0 ^= t[o];
					r1 ^= t[o + 1];
					r2 ^= t[o + 2];
					r3 ^= t[o + 3];
				}
			}
			a0 = r0;
			a1 = r1;
			a2 = r2;
			a3 = r3;
		}
		acc[0] = a0;
		acc[1] = a1;
		acc[2] = a2;
		acc[3] = a3;
	}
}

/** The portable kernel: the 8-bit tables in JavaScript. */
export const tableHornerKernel: HornerKernel = {
	name: 'js',
	create: (h, offset) => new TableMultiplier(h, offset)
};

let hornerKernel = tableHornerKernel;

/** Installs the kernel for the whole process (at start-up, before any protocol runs; see wasm-kernels.ts). */
export function setHornerKernel(kernel: HornerKernel): void {
	hornerKernel = kernel;
}

/** The kernel in use. */
export function hornerKernelInUse(): HornerKernel {
	return hornerKernel;
}

/** Multiplication by one fixed element h, on the kernel in use when it was made. */
export class FixedMultiplier {
	private readonly kernel: Horner;

	constructor(h: Uint32Array, offset = 0) {
		this.kernel = hornerKernel.create(h, offset);
	}

	/**
	 * Horner's rule over `count` blocks: acc ← (acc ⊕ block_k)·h for k = 0 … count − 1, starting
	 * from acc (4 words, updated in place). Evaluates Σ_k block_k·h^{count−k}. Block k is at
	 * blocks[offset + k·stride …].
	 */
	horner(acc: Uint32Array, blocks: Uint32Array, count: number, stride = 4, offset = 0): void {
		this.kernel.horner(acc, blocks, count, stride, offset);
	}
}
