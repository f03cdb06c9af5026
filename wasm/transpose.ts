// 128 × 128 bit-matrix transposition, as transposeColumns of src/lib/ot/transpose.ts: column c
// of a tile is one 128-bit vector (bit r = row r, little-endian), row r of the output one
// vector (bit c = column c). The recursive block swap (Hacker's Delight §7-3) on 128-bit rows:
// stage j swaps the high j bits of every 2j-bit group of vector k with the low j bits of
// vector k + j. Stages 64, 32 and 16 pair vectors 16 apart or more, stages 8 … 1 vectors
// within a group of 16, so each tile takes two passes of eight and sixteen vectors held in
// registers, through a 2 KiB scratch area.

import { swapLow } from './swap';

/** Bytes of the scratch area between the two passes. */
export const TRANSPOSE_SCRATCH_BYTES: i32 = 128 * 16;

/**
 * Transposes `tiles` tiles. Column c of tile t is at columns + c·columnStride + 16t; row r of
 * tile t goes to rows + (128t + r)·rowStride.
 */
export function transposeTiles(columns: usize, columnStride: i32, tiles: i32, rows: usize, rowStride: i32, scratch: usize): void {
	const m32 = i64x2.splat(0x00000000ffffffff);
	const m16 = i64x2.splat(0x0000ffff0000ffff);
	const m8 = i64x2.splat(0x00ff00ff00ff00ff);
	const m4 = i64x2.splat(0x0f0f0f0f0f0f0f0f);
	const m2 = i64x2.splat(0x3333333333333333);
	const m1 = i64x2.splat(0x5555555555555555);
	for (let tile = 0; tile < tiles; tile++) {
		const input = columns + tile * 16;
		// Pass 1: stages 64, 32, 16 on the eight vectors g, g + 16, …, g + 112.
		for (let g = 0; g < 16; g++) {
			const at = input + g * columnStride;
			const step = 16 * columnStride;
			let a0 = v128.load(at), a1 = v128.load(at + step), a2 = v128.load(at + 2 * step), a3 = v128.load(at + 3 * step);
			let a4 = v128.load(at + 4 * step), a5 = v128.load(at + 5 * step), a6 = v128.load(at + 6 * step), a7 = v128.load(at + 7 * step);
			// Stage 64: the low halves of k and k + 64 form the new k, their high halves k + 64.
			let t: v128;
			t = a0; a0 = i64x2.shuffle(t, a4, 0, 2); a4 = i64x2.shuffle(t, a4, 1, 3);
			t = a1; a1 = i64x2.shuffle(t, a5, 0, 2); a5 = i64x2.shuffle(t, a5, 1, 3);
			t = a2; a2 = i64x2.shuffle(t, a6, 0, 2); a6 = i64x2.shuffle(t, a6, 1, 3);
			t = a3; a3 = i64x2.shuffle(t, a7, 0, 2); a7 = i64x2.shuffle(t, a7, 1, 3);
			t = swapLow(a0, a2, 32, m32); a2 = v128.xor(a2, t); a0 = v128.xor(a0, i64x2.shl(t, 32));
			t = swapLow(a1, a3, 32, m32); a3 = v128.xor(a3, t); a1 = v128.xor(a1, i64x2.shl(t, 32));
			t = swapLow(a4, a6, 32, m32); a6 = v128.xor(a6, t); a4 = v128.xor(a4, i64x2.shl(t, 32));
			t = swapLow(a5, a7, 32, m32); a7 = v128.xor(a7, t); a5 = v128.xor(a5, i64x2.shl(t, 32));
			t = swapLow(a0, a1, 16, m16); a1 = v128.xor(a1, t); a0 = v128.xor(a0, i64x2.shl(t, 16));
			t = swapLow(a2, a3, 16, m16); a3 = v128.xor(a3, t); a2 = v128.xor(a2, i64x2.shl(t, 16));
			t = swapLow(a4, a5, 16, m16); a5 = v128.xor(a5, t); a4 = v128.xor(a4, i64x2.shl(t, 16));
			t = swapLow(a6, a7, 16, m16); a7 = v128.xor(a7, t); a6 = v128.xor(a6, i64x2.shl(t, 16));
			const s = scratch + g * 16;
			v128.store(s, a0);
			v128.store(s, a1, 256);
			v128.store(s, a2, 512);
			v128.store(s, a3, 768);
			v128.store(s, a4, 1024);
			v128.store(s, a5, 1280);
			v128.store(s, a6, 1536);
			v128.store(s, a7, 1792);
		}
		// Pass 2: stages 8, 4, 2, 1 on the sixteen vectors 16h … 16h + 15.
		for (let h = 0; h < 8; h++) {
			const s = scratch + h * 256;
			let a0 = v128.load(s, 0), a1 = v128.load(s, 16), a2 = v128.load(s, 32), a3 = v128.load(s, 48);
			let a4 = v128.load(s, 64), a5 = v128.load(s, 80), a6 = v128.load(s, 96), a7 = v128.load(s, 112);
			let a8 = v128.load(s, 128), a9 = v128.load(s, 144), a10 = v128.load(s, 160), a11 = v128.load(s, 176);
			let a12 = v128.load(s, 192), a13 = v128.load(s, 208), a14 = v128.load(s, 224), a15 = v128.load(s, 240);
			let t: v128;
			t = swapLow(a0, a8, 8, m8); a8 = v128.xor(a8, t); a0 = v128.xor(a0, i64x2.shl(t, 8));
			t = swapLow(a1, a9, 8, m8); a9 = v128.xor(a9, t); a1 = v128.xor(a1, i64x2.shl(t, 8));
			t = swapLow(a2, a10, 8, m8); a10 = v128.xor(a10, t); a2 = v128.xor(a2, i64x2.shl(t, 8));
			t = swapLow(a3, a11, 8, m8); a11 = v128.xor(a11, t); a3 = v128.xor(a3, i64x2.shl(t, 8));
			t = swapLow(a4, a12, 8, m8); a12 = v128.xor(a12, t); a4 = v128.xor(a4, i64x2.shl(t, 8));
			t = swapLow(a5, a13, 8, m8); a13 = v128.xor(a13, t); a5 = v128.xor(a5, i64x2.shl(t, 8));
			t = swapLow(a6, a14, 8, m8); a14 = v128.xor(a14, t); a6 = v128.xor(a6, i64x2.shl(t, 8));
			t = swapLow(a7, a15, 8, m8); a15 = v128.xor(a15, t); a7 = v128.xor(a7, i64x2.shl(t, 8));
			t = swapLow(a0, a4, 4, m4); a4 = v128.xor(a4, t); a0 = v128.xor(a0, i64x2.shl(t, 4));
			t = swapLow(a1, a5, 4, m4); a5 = v128.xor(a5, t); a1 = v128.xor(a1, i64x2.shl(t, 4));
			t = swapLow(a2, a6, 4, m4); a6 = v128.xor(a6, t); a2 = v128.xor(a2, i64x2.shl(t, 4));
			t = swapLow(a3, a7, 4, m4); a7 = v128.xor(a7, t); a3 = v128.xor(a3, i64x2.shl(t, 4));
			t = swapLow(a8, a12, 4, m4); a12 = v128.xor(a12, t); a8 = v128.xor(a8, i64x2.shl(t, 4));
			t = swapLow(a9, a13, 4, m4); a13 = v128.xor(a13, t); a9 = v128.xor(a9, i64x2.shl(t, 4));
			t = swapLow(a10, a14, 4, m4); a14 = v128.xor(a14, t); a10 = v128.xor(a10, i64x2.shl(t, 4));
			t = swapLow(a11, a15, 4, m4); a15 = v128.xor(a15, t); a11 = v128.xor(a11, i64x2.shl(t, 4));
			t = swapLow(a0, a2, 2, m2); a2 = v128.xor(a2, t); a0 = v128.xor(a0, i64x2.shl(t, 2));
			t = swapLow(a1, a3, 2, m2); a3 = v128.xor(a3, t); a1 = v128.xor(a1, i64x2.shl(t, 2));
			t = swapLow(a4, a6, 2, m2); a6 = v128.xor(a6, t); a4 = v128.xor(a4, i64x2.shl(t, 2));
			t = swapLow(a5, a7, 2, m2); a7 = v128.xor(a7, t); a5 = v128.xor(a5, i64x2.shl(t, 2));
			t = swapLow(a8, a10, 2, m2); a10 = v128.xor(a10, t); a8 = v128.xor(a8, i64x2.shl(t, 2));
			t = swapLow(a9, a11, 2, m2); a11 = v128.xor(a11, t); a9 = v128.xor(a9, i64x2.shl(t, 2));
			t = swapLow(a12, a14, 2, m2); a14 = v128.xor(a14, t); a12 = v128.xor(a12, i64x2.shl(t, 2));
			t = swapLow(a13, a15, 2, m2); a15 = v128.xor(a15, t); a13 = v128.xor(a13, i64x2.shl(t, 2));
			t = swapLow(a0, a1, 1, m1); a1 = v128.xor(a1, t); a0 = v128.xor(a0, i64x2.shl(t, 1));
			t = swapLow(a2, a3, 1, m1); a3 = v128.xor(a3, t); a2 = v128.xor(a2, i64x2.shl(t, 1));
			t = swapLow(a4, a5, 1, m1); a5 = v128.xor(a5, t); a4 = v128.xor(a4, i64x2.shl(t, 1));
			t = swapLow(a6, a7, 1, m1); a7 = v128.xor(a7, t); a6 = v128.xor(a6, i64x2.shl(t, 1));
			t = swapLow(a8, a9, 1, m1); a9 = v128.xor(a9, t); a8 = v128.xor(a8, i64x2.shl(t, 1));
			t = swapLow(a10, a11, 1, m1); a11 = v128.xor(a11, t); a10 = v128.xor(a10, i64x2.shl(t, 1));
			t = swapLow(a12, a13, 1, m1); a13 = v128.xor(a13, t); a12 = v128.xor(a12, i64x2.shl(t, 1));
			t = swapLow(a14, a15, 1, m1); a15 = v128.xor(a15, t); a14 = v128.xor(a14, i64x2.shl(t, 1));
			const out = rows + (tile * 128 + h * 16) * rowStride;
			v128.store(out, a0);
			v128.store(out + rowStride, a1);
			v128.store(out + 2 * rowStride, a2);
			v128.store(out + 3 * rowStride, a3);
			v128.store(out + 4 * rowStride, a4);
			v128.store(out + 5 * rowStride, a5);
			v128.store(out + 6 * rowStride, a6);
			v128.store(out + 7 * rowStride, a7);
			v128.store(out + 8 * rowStride, a8);
			v128.store(out + 9 * rowStride, a9);
			v128.store(out + 10 * rowStride, a10);
			v128.store(out + 11 * rowStride, a11);
			v128.store(out + 12 * rowStride, a12);
			v128.store(out + 13 * rowStride, a13);
			v128.store(out + 14 * rowStride, a14);
			v128.store(out + 15 * rowStride, a15);
		}
	}
}
