/**
 * Where the bit-matrix transposition of OT extension runs (see transposeColumns in
 * src/lib/ot/transpose.ts for the layout): JavaScript here, WebAssembly in wasm-kernels.ts.
 * All kernels give identical results.
 */
export interface TransposeKernel {
	readonly name: string;
	/** 128 columns of `rows` bits (rows a multiple of 32) → rows of 128 bits at out[r·stride + offset …]. */
	transposeColumns(columns: Uint32Array, rows: number, out: Uint32Array, stride: number, offset: number): void;
}

/** The portable kernel: 32 × 32 tiles with the recursive block-swap transposition (Hacker's Delight §7-3). */
export const tileTransposeKernel: TransposeKernel = {
	name: 'js',
	transposeColumns(columns, rows, out, stride, offset) {
		const W = rows >>> 5;
		const tile = new Int32Array(32);
		for (let rw = 0; rw < W; rw++) {
			for (let cw = 0; cw < 4; cw++) {
				// tile[c] bit r = column (32·cw + c), row (32·rw + r).
				for (let c = 0; c < 32; c++) tile[c] = columns[(32 * cw + c) * W + rw];
				transpose32(tile);
				// Now tile[r] bit c = row (32·rw + r), column (32·cw + c).
				for (let r = 0, o = 32 * rw * stride + offset + cw; r < 32; r++, o += stride) out[o] = tile[r];
			}
		}
	}
};

/** One stage of the transposition: swaps the off-diagonal j × j blocks (mask selects their bits). */
function swapBlocks(a: Int32Array, j: number, mask: number): void {
	for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
		const t = ((a[k] >>> j) ^ a[k + j]) & mask;
		a[k] ^= t << j;
		a[k + j] ^= t;
	}
}

/** In-place transpose of a 32 × 32 bit matrix: a[i] bit j ↔ a[j] bit i. */
function transpose32(a: Int32Array): void {
	swapBlocks(a, 16, 0x0000ffff);
	swapBlocks(a, 8, 0x00ff00ff);
	swapBlocks(a, 4, 0x0f0f0f0f);
	swapBlocks(a, 2, 0x33333333);
	swapBlocks(a, 1, 0x55555555);
}

let transposeKernel = tileTransposeKernel;

/** Installs the kernel for the whole process (at start-up, before any protocol runs; see wasm-kernels.ts). */
export function setTransposeKernel(kernel: TransposeKernel): void {
	transposeKernel = kernel;
}

/** The kernel in use. */
export function transposeKernelInUse(): TransposeKernel {
	return transposeKernel;
}
