// Bitsliced AES-128 encryption (FIPS-197), eight blocks at a time in eight v128 registers.
//
// WebAssembly has no AES instruction, and table lookups cannot be vectorised, so the state of
// eight blocks is bitsliced: plane b holds bit b of every byte, lane 4r + c of a plane holds
// the state's byte in row r and column c (rows in 32-bit lanes), and bit j of that lane belongs
// to block j. SubBytes is then a Boolean circuit over the planes (Boyar and Peralta, "A
// depth-16 circuit for the AES S-box", 2011: 32 AND, 83 XOR), ShiftRows is one byte shuffle per
// plane, the row rotations of MixColumns are 32-bit lane shuffles (cheap: one pshufd on x86,
// where a byte shuffle costs several instructions), and AddRoundKey is an XOR with round keys
// bitsliced the same way.
//
// Memory layout (byte offsets chosen by the caller): a bitsliced key schedule is 11 rounds × 8
// planes × 16 bytes = 1408 bytes; blocks are 16 bytes each, in the byte order of FIPS-197.

import { swapLow } from './swap';

/** Bytes of one bitsliced key schedule. */
export const BITSLICED_KEY_BYTES: i32 = 11 * 8 * 16;

const MASK_1: v128 = i8x16.splat(0x55);
const MASK_2: v128 = i8x16.splat(0x33);
const MASK_4: v128 = i8x16.splat(0x0f);

/** Byte r + 4c of a block (FIPS-197 order, column by column) ↔ lane 4r + c (row by row). */
// @ts-ignore: decorator
@inline
function rowsFirst(x: v128): v128 {
	return i8x16.shuffle(x, x, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
}

/**
 * Turns eight blocks into eight bit planes and back (it is its own inverse), from the eight
 * vectors at `from` to `to` (which may be `from`): transposes, in every byte lane, the 8 × 8
 * bit matrix whose row j is that lane of the j-th vector, and reorders the lanes row by row
 * (the two commute). Each step swaps the bits of one vector selected by mask << n with the
 * bits of another selected by mask.
 */
function transposeBytes(from: usize, to: usize): void {
	let s0 = rowsFirst(v128.load(from, 0)), s1 = rowsFirst(v128.load(from, 16));
	let s2 = rowsFirst(v128.load(from, 32)), s3 = rowsFirst(v128.load(from, 48));
	let s4 = rowsFirst(v128.load(from, 64)), s5 = rowsFirst(v128.load(from, 80));
	let s6 = rowsFirst(v128.load(from, 96)), s7 = rowsFirst(v128.load(from, 112));
	let t: v128;
	// n = 1
	t = swapLow(s0, s1, 1, MASK_1); s1 = v128.xor(s1, t); s0 = v128.xor(s0, i64x2.shl(t, 1));
	t = swapLow(s2, s3, 1, MASK_1); s3 = v128.xor(s3, t); s2 = v128.xor(s2, i64x2.shl(t, 1));
	t = swapLow(s4, s5, 1, MASK_1); s5 = v128.xor(s5, t); s4 = v128.xor(s4, i64x2.shl(t, 1));
	t = swapLow(s6, s7, 1, MASK_1); s7 = v128.xor(s7, t); s6 = v128.xor(s6, i64x2.shl(t, 1));
	// n = 2
	t = swapLow(s0, s2, 2, MASK_2); s2 = v128.xor(s2, t); s0 = v128.xor(s0, i64x2.shl(t, 2));
	t = swapLow(s1, s3, 2, MASK_2); s3 = v128.xor(s3, t); s1 = v128.xor(s1, i64x2.shl(t, 2));
	t = swapLow(s4, s6, 2, MASK_2); s6 = v128.xor(s6, t); s4 = v128.xor(s4, i64x2.shl(t, 2));
	t = swapLow(s5, s7, 2, MASK_2); s7 = v128.xor(s7, t); s5 = v128.xor(s5, i64x2.shl(t, 2));
	// n = 4
	t = swapLow(s0, s4, 4, MASK_4); s4 = v128.xor(s4, t); s0 = v128.xor(s0, i64x2.shl(t, 4));
	t = swapLow(s1, s5, 4, MASK_4); s5 = v128.xor(s5, t); s1 = v128.xor(s1, i64x2.shl(t, 4));
	t = swapLow(s2, s6, 4, MASK_4); s6 = v128.xor(s6, t); s2 = v128.xor(s2, i64x2.shl(t, 4));
	t = swapLow(s3, s7, 4, MASK_4); s7 = v128.xor(s7, t); s3 = v128.xor(s3, i64x2.shl(t, 4));
	v128.store(to, s0, 0);
	v128.store(to, s1, 16);
	v128.store(to, s2, 32);
	v128.store(to, s3, 48);
	v128.store(to, s4, 64);
	v128.store(to, s5, 80);
	v128.store(to, s6, 96);
	v128.store(to, s7, 112);
}


/** ShiftRows: row r rotates left by r bytes (lane 4r + c takes lane 4r + (c + r) mod 4). */
// @ts-ignore: decorator
@inline
function shiftRows(x: v128): v128 {
	return i8x16.shuffle(x, x, 0, 1, 2, 3, 5, 6, 7, 4, 10, 11, 8, 9, 15, 12, 13, 14);
}

/** Every column rotated by one row: row r takes row r + 1 (mod 4). */
// @ts-ignore: decorator
@inline
function rotate1(x: v128): v128 {
	return i32x4.shuffle(x, x, 1, 2, 3, 0);
}

/** Every column rotated by two rows. */
// @ts-ignore: decorator
@inline
function rotate2(x: v128): v128 {
	return i32x4.shuffle(x, x, 2, 3, 0, 1);
}

/**
 * Encrypts the eight blocks whose bit planes are at `state` (in place) under the bitsliced
 * schedule `key`: AddRoundKey, then ten rounds.
 *
 * SubBytes is the Boyar–Peralta circuit (U0 is the most significant bit, plane 7) with its
 * four XNORs as XORs, i.e. without the S-box's final XOR with 0x63: the constant comes back
 * through the round keys (bitsliceKey), as ShiftRows and MixColumns map a state of 0x63 bytes
 * to itself.
 *
 * ShiftRows, MixColumns and AddRoundKey: with s = ShiftRows(x) and ρ the rotation of every
 * column by one row, MixColumns(s) = 2·(s ⊕ ρs) ⊕ ρs ⊕ ρ²(s ⊕ ρs); multiplying by 2 (xtime)
 * moves plane b to plane b + 1 and adds plane 7 into planes 0, 1, 3 and 4 (the polynomial 0x11b).
 */
function encryptPlanes(key: usize, state: usize): void {
	let s0 = v128.xor(v128.load(state, 0), v128.load(key, 0));
	let s1 = v128.xor(v128.load(state, 16), v128.load(key, 16));
	let s2 = v128.xor(v128.load(state, 32), v128.load(key, 32));
	let s3 = v128.xor(v128.load(state, 48), v128.load(key, 48));
	let s4 = v128.xor(v128.load(state, 64), v128.load(key, 64));
	let s5 = v128.xor(v128.load(state, 80), v128.load(key, 80));
	let s6 = v128.xor(v128.load(state, 96), v128.load(key, 96));
	let s7 = v128.xor(v128.load(state, 112), v128.load(key, 112));
	for (let round = 1; round <= 10; round++) {
		const U0 = s7, U1 = s6, U2 = s5, U3 = s4, U4 = s3, U5 = s2, U6 = s1, U7 = s0;
		const T1 = v128.xor(U0, U3);
		const T2 = v128.xor(U0, U5);
		const T3 = v128.xor(U0, U6);
		const T4 = v128.xor(U3, U5);
		const T5 = v128.xor(U4, U6);
		const T6 = v128.xor(T1, T5);
		const T7 = v128.xor(U1, U2);
		const T8 = v128.xor(U7, T6);
		const T9 = v128.xor(U7, T7);
		const T10 = v128.xor(T6, T7);
		const T11 = v128.xor(U1, U5);
		const T12 = v128.xor(U2, U5);
		const T13 = v128.xor(T3, T4);
		const T14 = v128.xor(T6, T11);
		const T15 = v128.xor(T5, T11);
		const T16 = v128.xor(T5, T12);
		const T17 = v128.xor(T9, T16);
		const T18 = v128.xor(U3, U7);
		const T19 = v128.xor(T7, T18);
		const T20 = v128.xor(T1, T19);
		const T21 = v128.xor(U6, U7);
		const T22 = v128.xor(T7, T21);
		const T23 = v128.xor(T2, T22);
		const T24 = v128.xor(T2, T10);
		const T25 = v128.xor(T20, T17);
		const T26 = v128.xor(T3, T16);
		const T27 = v128.xor(T1, T12);
		const M1 = v128.and(T13, T6);
		const M2 = v128.and(T23, T8);
		const M3 = v128.xor(T14, M1);
		const M4 = v128.and(T19, U7);
		const M5 = v128.xor(M4, M1);
		const M6 = v128.and(T3, T16);
		const M7 = v128.and(T22, T9);
		const M8 = v128.xor(T26, M6);
		const M9 = v128.and(T20, T17);
		const M10 = v128.xor(M9, M6);
		const M11 = v128.and(T1, T15);
		const M12 = v128.and(T4, T27);
		const M13 = v128.xor(M12, M11);
		const M14 = v128.and(T2, T10);
		const M15 = v128.xor(M14, M11);
		const M16 = v128.xor(M3, M2);
		const M17 = v128.xor(M5, T24);
		const M18 = v128.xor(M8, M7);
		const M19 = v128.xor(M10, M15);
		const M20 = v128.xor(M16, M13);
		const M21 = v128.xor(M17, M15);
		const M22 = v128.xor(M18, M13);
		const M23 = v128.xor(M19, T25);
		const M24 = v128.xor(M22, M23);
		const M25 = v128.and(M22, M20);
		const M26 = v128.xor(M21, M25);
		const M27 = v128.xor(M20, M21);
		const M28 = v128.xor(M23, M25);
		const M29 = v128.and(M28, M27);
		const M30 = v128.and(M26, M24);
		const M31 = v128.and(M20, M23);
		const M32 = v128.and(M27, M31);
		const M33 = v128.xor(M27, M25);
		const M34 = v128.and(M21, M22);
		const M35 = v128.and(M24, M34);
		const M36 = v128.xor(M24, M25);
		const M37 = v128.xor(M21, M29);
		const M38 = v128.xor(M32, M33);
		const M39 = v128.xor(M23, M30);
		const M40 = v128.xor(M35, M36);
		const M41 = v128.xor(M38, M40);
		const M42 = v128.xor(M37, M39);
		const M43 = v128.xor(M37, M38);
		const M44 = v128.xor(M39, M40);
		const M45 = v128.xor(M42, M41);
		const M46 = v128.and(M44, T6);
		const M47 = v128.and(M40, T8);
		const M48 = v128.and(M39, U7);
		const M49 = v128.and(M43, T16);
		const M50 = v128.and(M38, T9);
		const M51 = v128.and(M37, T17);
		const M52 = v128.and(M42, T15);
		const M53 = v128.and(M45, T27);
		const M54 = v128.and(M41, T10);
		const M55 = v128.and(M44, T13);
		const M56 = v128.and(M40, T23);
		const M57 = v128.and(M39, T19);
		const M58 = v128.and(M43, T3);
		const M59 = v128.and(M38, T22);
		const M60 = v128.and(M37, T20);
		const M61 = v128.and(M42, T1);
		const M62 = v128.and(M45, T4);
		const M63 = v128.and(M41, T2);
		const L0 = v128.xor(M61, M62);
		const L1 = v128.xor(M50, M56);
		const L2 = v128.xor(M46, M48);
		const L3 = v128.xor(M47, M55);
		const L4 = v128.xor(M54, M58);
		const L5 = v128.xor(M49, M61);
		const L6 = v128.xor(M62, L5);
		const L7 = v128.xor(M46, L3);
		const L8 = v128.xor(M51, M59);
		const L9 = v128.xor(M52, M53);
		const L10 = v128.xor(M53, L4);
		const L11 = v128.xor(M60, L2);
		const L12 = v128.xor(M48, M51);
		const L13 = v128.xor(M50, L0);
		const L14 = v128.xor(M52, M61);
		const L15 = v128.xor(M55, L1);
		const L16 = v128.xor(M56, L0);
		const L17 = v128.xor(M57, L1);
		const L18 = v128.xor(M58, L8);
		const L19 = v128.xor(M63, L4);
		const L20 = v128.xor(L0, L1);
		const L21 = v128.xor(L1, L7);
		const L22 = v128.xor(L3, L12);
		const L23 = v128.xor(L18, L2);
		const L24 = v128.xor(L15, L9);
		const L25 = v128.xor(L6, L10);
		const L26 = v128.xor(L7, L9);
		const L27 = v128.xor(L8, L10);
		const L28 = v128.xor(L11, L14);
		const L29 = v128.xor(L11, L17);
		s7 = v128.xor(L6, L24);
		s6 = v128.xor(L16, L26);
		s5 = v128.xor(L19, L28);
		s4 = v128.xor(L6, L21);
		s3 = v128.xor(L20, L22);
		s2 = v128.xor(L25, L29);
		s1 = v128.xor(L13, L27);
		s0 = v128.xor(L6, L23);

		const k = key + round * 128;
		if (round === 10) {
			s0 = v128.xor(shiftRows(s0), v128.load(k, 0));
			s1 = v128.xor(shiftRows(s1), v128.load(k, 16));
			s2 = v128.xor(shiftRows(s2), v128.load(k, 32));
			s3 = v128.xor(shiftRows(s3), v128.load(k, 48));
			s4 = v128.xor(shiftRows(s4), v128.load(k, 64));
			s5 = v128.xor(shiftRows(s5), v128.load(k, 80));
			s6 = v128.xor(shiftRows(s6), v128.load(k, 96));
			s7 = v128.xor(shiftRows(s7), v128.load(k, 112));
			break;
		}
		const x0 = shiftRows(s0), x1 = shiftRows(s1), x2 = shiftRows(s2), x3 = shiftRows(s3);
		const x4 = shiftRows(s4), x5 = shiftRows(s5), x6 = shiftRows(s6), x7 = shiftRows(s7);
		const r0 = rotate1(x0), r1 = rotate1(x1), r2 = rotate1(x2), r3 = rotate1(x3);
		const r4 = rotate1(x4), r5 = rotate1(x5), r6 = rotate1(x6), r7 = rotate1(x7);
		const y0 = v128.xor(x0, r0), y1 = v128.xor(x1, r1), y2 = v128.xor(x2, r2), y3 = v128.xor(x3, r3);
		const y4 = v128.xor(x4, r4), y5 = v128.xor(x5, r5), y6 = v128.xor(x6, r6), y7 = v128.xor(x7, r7);
		s0 = v128.xor(v128.xor(y7, r0), v128.xor(rotate2(y0), v128.load(k, 0)));
		s1 = v128.xor(v128.xor(v128.xor(y0, y7), r1), v128.xor(rotate2(y1), v128.load(k, 16)));
		s2 = v128.xor(v128.xor(y1, r2), v128.xor(rotate2(y2), v128.load(k, 32)));
		s3 = v128.xor(v128.xor(v128.xor(y2, y7), r3), v128.xor(rotate2(y3), v128.load(k, 48)));
		s4 = v128.xor(v128.xor(v128.xor(y3, y7), r4), v128.xor(rotate2(y4), v128.load(k, 64)));
		s5 = v128.xor(v128.xor(y4, r5), v128.xor(rotate2(y5), v128.load(k, 80)));
		s6 = v128.xor(v128.xor(y5, r6), v128.xor(rotate2(y6), v128.load(k, 96)));
		s7 = v128.xor(v128.xor(y6, r7), v128.xor(rotate2(y7), v128.load(k, 112)));
	}
	v128.store(state, s0, 0);
	v128.store(state, s1, 16);
	v128.store(state, s2, 32);
	v128.store(state, s3, 48);
	v128.store(state, s4, 64);
	v128.store(state, s5, 80);
	v128.store(state, s6, 96);
	v128.store(state, s7, 112);
}

/**
 * Bitslices an expanded key: `roundKeys` holds the 11 round keys (176 bytes, FIPS-197 order),
 * `out` receives BITSLICED_KEY_BYTES. Round keys 1 … 10 absorb the 0x63 that SubBytes leaves out.
 */
export function bitsliceKey(roundKeys: usize, out: usize): void {
	const affine = i8x16.splat(0x63);
	for (let round = 0; round < 11; round++) {
		const k = round === 0 ? v128.load(roundKeys) : v128.xor(v128.load(roundKeys + round * 16), affine);
		const o = out + round * 128;
		for (let plane = 0; plane < 8; plane++) v128.store(o + plane * 16, k);
		transposeBytes(o, o);
	}
}

/**
 * Encrypts ⌈count / 8⌉ groups of eight blocks from `input` to `output` (which may be the same):
 * the caller's buffers must hold whole groups; blocks past `count` are encrypted too, and
 * ignored by the caller.
 */
export function encrypt(key: usize, input: usize, output: usize, count: i32): void {
	for (let done = 0; done < count; done += 8) encryptGroup(key, input + done * 16, output + done * 16);
}

/** Encrypts the eight blocks at `from` to `to` (which may be `from`). */
// @ts-ignore: decorator
@inline
function encryptGroup(key: usize, from: usize, to: usize): void {
	transposeBytes(from, to);
	encryptPlanes(key, to);
	transposeBytes(to, to);
}

/** XORs the eight blocks at `other` into the eight at `to`. */
// @ts-ignore: decorator
@inline
function xorGroup(to: usize, other: usize): void {
	for (let b = 0; b < 128; b += 16) v128.store(to + b, v128.xor(v128.load(to + b), v128.load(other + b)));
}

/**
 * Writes the AES-CTR keystream blocks `first`, `first + 1`, … (⌈count / 8⌉ groups of eight) to
 * `output`: counter block c is eight zero bytes and c as a big-endian 64-bit integer, as the
 * BlockCipher keystreams define it.
 */
export function ctr(key: usize, output: usize, count: i32, firstHigh: u32, firstLow: u32): void {
	const first = (<u64>firstHigh << 32) | <u64>firstLow;
	for (let done = 0; done < count; done++) {
		store<u64>(output + done * 16, 0);
		store<u64>(output + done * 16, bswap<u64>(first + <u64>done), 8);
	}
	encrypt(key, output, output, count);
}

/**
 * The correlation-robust hash π(x) ⊕ x (Matyas–Meyer–Oseas) of ⌈count / 8⌉ groups of eight
 * blocks from `input` to `output`, which must not overlap: π is AES under the bitsliced `key`.
 */
export function hashMmo(key: usize, input: usize, output: usize, count: i32): void {
	for (let done = 0; done < count; done += 8) {
		const o = output + done * 16;
		encryptGroup(key, input + done * 16, o);
		xorGroup(o, input + done * 16);
	}
}

/**
 * The tweakable circular-correlation-robust hash H(x, T) = π(π(x) ⊕ T) ⊕ π(x) (Guo, Katz, Wang
 * and Yu, S&P 2020, §7) of ⌈count / 8⌉ groups of eight blocks from `input` to `output` (which
 * may be the same), block k with the tweak whose 32-bit words are (first + k, t1, t2, t3);
 * `scratch` holds eight blocks.
 */
export function hashTccr(key: usize, input: usize, output: usize, count: i32, first: u32, t1: u32, t2: u32, t3: u32, scratch: usize): void {
	for (let done = 0; done < count; done += 8) {
		const o = output + done * 16;
		encryptGroup(key, input + done * 16, scratch);
		for (let b = 0; b < 8; b++) {
			const tweak = i32x4(first + <u32>(done + b), t1, t2, t3);
			v128.store(o + b * 16, v128.xor(v128.load(scratch + b * 16), tweak));
		}
		encryptGroup(key, o, o);
		xorGroup(o, scratch);
	}
}
