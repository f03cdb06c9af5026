import { transposeKernelInUse } from '../crypto/transpose';

/**
 * Bit-matrix transposition for OT extension: 128 columns of `rows` bits each (column c in
 * words [c·W, (c+1)·W), W = rows / 32, bit r of a column in word r >> 5 at position r & 31)
 * become `rows` rows of 128 bits (4 words each, bit c of a row in word c >> 5 at c & 31).
 * Row r goes to out[r·stride + offset …] (by default rows are packed, 4 words each).
 * Runs on the kernel in use (src/lib/crypto/transpose.ts).
 */
export function transposeColumns(columns: Uint32Array, rows: number, out: Uint32Array = new Uint32Array(rows * 4), stride = 4, offset = 0): Uint32Array {
	if (rows % 32 !== 0) throw new Error(`transpose: ${rows} rows is not a multiple of 32`);
	transposeKernelInUse().transposeColumns(columns, rows, out, stride, offset);
	return out;
}
