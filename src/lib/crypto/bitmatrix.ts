import { BLOCK_WORDS } from './block';

/** Words of each column handled per chunk: 256 rows, whose tables (16 KiB) stay in cache. */
const CHUNK_WORDS = 8;

/**
 * For a bit matrix given as `ncols` packed columns of `rows` bits (column l in words
 * [l·W, (l+1)·W), W = ⌈rows / 32⌉, bit k in word k >> 5 at position k & 31) and one block per
 * row, returns for every column the XOR of the blocks of the rows whose bit is set:
 * out_l = ⊕_{k : bit k of column l} block_k. This is the GF(2) product behind the KOS check,
 * random linear combinations of MACs and subset-sum checks. Method of Four Russians: rows in
 * groups of four through 16-entry tables of XOR combinations of their blocks.
 */
export function xorSelectedRows(columns: Uint32Array, ncols: number, rows: number, blocks: Uint32Array): Uint32Array {
	const W = Math.ceil(rows / 32);
	const acc = new Int32Array(ncols * BLOCK_WORDS);
	const tables = new Int32Array(CHUNK_WORDS * 8 * 16 * BLOCK_WORDS);
	for (let w0 = 0; w0 < W; w0 += CHUNK_WORDS) {
		const w1 = Math.min(W, w0 + CHUNK_WORDS);
		for (let g = 0; g < (w1 - w0) * 8; g++) {
			const base = g * 16 * BLOCK_WORDS;
			const first = w0 * 32 + 4 * g;
			for (let i = 1; i < 16; i++) {
				// table[i] = table[i without its lowest bit] ⊕ the block of the lowest bit's row.
				const low = i & -i;
				const k = first + 31 - Math.clz32(low);
				const rest = base + (i ^ low) * BLOCK_WORDS;
				const o = base + i * BLOCK_WORDS;
				if (k < rows) {
					const x = k * BLOCK_WORDS;
					tables[o] = tables[rest] ^ blocks[x];
					tables[o + 1] = tables[rest + 1] ^ blocks[x + 1];
					tables[o + 2] = tables[rest + 2] ^ blocks[x + 2];
					tables[o + 3] = tables[rest + 3] ^ blocks[x + 3];
				} else {
					tables[o] = tables[rest];
					tables[o + 1] = tables[rest + 1];
					tables[o + 2] = tables[rest + 2];
					tables[o + 3] = tables[rest + 3];
				}
			}
		}
		for (let l = 0; l < ncols; l++) {
			let a0 = 0;
			let a1 = 0;
			let a2 = 0;
			let a3 = 0;
			for (let w = w0, base = 0; w < w1; w++) {
				const word = columns[l * W + w];
				if (word === 0) {
					base += 8 * 16 * BLOCK_WORDS;
					continue;
				}
				for (let shift = 0; shift < 32; shift += 4, base += 16 * BLOCK_WORDS) {
					const o = base + ((word >>> shift) & 15) * BLOCK_WORDS;
					a0 ^= tables[o];
					a1 ^= tables[o + 1];
					a2 ^= tables[o + 2];
					a3 ^= tables[o + 3];
				}
			}
			acc[4 * l] ^= a0;
			acc[4 * l + 1] ^= a1;
			acc[4 * l + 2] ^= a2;
			acc[4 * l + 3] ^= a3;
		}
	}
	return new Uint32Array(acc.buffer);
}
