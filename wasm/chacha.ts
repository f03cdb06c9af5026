// ChaCha20 and Poly1305 (RFC 8439) for the sealed channels (src/lib/channel/sealed.ts), the
// AEAD's two halves as streaming kernels: src/lib/crypto/wasm-kernels.ts lays out the
// AEAD's chunks and its Poly1305 input. ChaCha20 runs four blocks at a time, one block per
// 32-bit lane; Poly1305 in five 26-bit limbs with 64-bit products (as poly1305-donna).

const SIGMA0: u32 = 0x61707865;
const SIGMA1: u32 = 0x3320646e;
const SIGMA2: u32 = 0x79622d32;
const SIGMA3: u32 = 0x6b206574;

// @ts-ignore: decorator
@inline
function rotl16(x: v128): v128 {
	return i8x16.shuffle(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}
// @ts-ignore: decorator
@inline
function rotl8(x: v128): v128 {
	return i8x16.shuffle(x, x, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
}
// @ts-ignore: decorator
@inline
function rotl12(x: v128): v128 {
	return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20));
}
// @ts-ignore: decorator
@inline
function rotl7(x: v128): v128 {
	return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25));
}

const STATE = memory.data(16 * 16, 16);

/** Stores (a, b, c, d), four vectors of one word of four blocks, as that word range of each block: a 4 × 4 transposition. */
// @ts-ignore: decorator
@inline
function storeWords(out: usize, a: v128, b: v128, c: v128, d: v128): void {
	const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
	const t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
	const t2 = i32x4.shuffle(c, d, 0, 4, 1, 5);
	const t3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
	v128.store(out, i64x2.shuffle(t0, t2, 0, 2));
	v128.store(out, i64x2.shuffle(t0, t2, 1, 3), 64);
	v128.store(out, i64x2.shuffle(t1, t3, 0, 2), 128);
	v128.store(out, i64x2.shuffle(t1, t3, 1, 3), 192);
}

/**
 * The keystream blocks counter … counter + 3 under the 32-byte key and 12-byte nonce at
 * `keyNonce` (key, then nonce), 256 bytes at `out`.
 */
function fourBlocks(keyNonce: usize, counter: u32, out: usize): void {
	let x0 = i32x4.splat(SIGMA0), x1 = i32x4.splat(SIGMA1), x2 = i32x4.splat(SIGMA2), x3 = i32x4.splat(SIGMA3);
	let x4 = v128.load32_splat(keyNonce), x5 = v128.load32_splat(keyNonce + 4), x6 = v128.load32_splat(keyNonce + 8), x7 = v128.load32_splat(keyNonce + 12);
	let x8 = v128.load32_splat(keyNonce + 16), x9 = v128.load32_splat(keyNonce + 20), x10 = v128.load32_splat(keyNonce + 24), x11 = v128.load32_splat(keyNonce + 28);
	let x12 = i32x4.add(i32x4.splat(counter), i32x4(0, 1, 2, 3));
	let x13 = v128.load32_splat(keyNonce + 32), x14 = v128.load32_splat(keyNonce + 36), x15 = v128.load32_splat(keyNonce + 40);
	const y4 = x4, y5 = x5, y6 = x6, y7 = x7, y8 = x8, y9 = x9, y10 = x10, y11 = x11, y12 = x12, y13 = x13, y14 = x14, y15 = x15;
	for (let round = 0; round < 10; round++) {
		// Columns.
		x0 = i32x4.add(x0, x4); x12 = rotl16(v128.xor(x12, x0)); x8 = i32x4.add(x8, x12); x4 = rotl12(v128.xor(x4, x8));
		x0 = i32x4.add(x0, x4); x12 = rotl8(v128.xor(x12, x0)); x8 = i32x4.add(x8, x12); x4 = rotl7(v128.xor(x4, x8));
		x1 = i32x4.add(x1, x5); x13 = rotl16(v128.xor(x13, x1)); x9 = i32x4.add(x9, x13); x5 = rotl12(v128.xor(x5, x9));
		x1 = i32x4.add(x1, x5); x13 = rotl8(v128.xor(x13, x1)); x9 = i32x4.add(x9, x13); x5 = rotl7(v128.xor(x5, x9));
		x2 = i32x4.add(x2, x6); x14 = rotl16(v128.xor(x14, x2)); x10 = i32x4.add(x10, x14); x6 = rotl12(v128.xor(x6, x10));
		x2 = i32x4.add(x2, x6); x14 = rotl8(v128.xor(x14, x2)); x10 = i32x4.add(x10, x14); x6 = rotl7(v128.xor(x6, x10));
		x3 = i32x4.add(x3, x7); x15 = rotl16(v128.xor(x15, x3)); x11 = i32x4.add(x11, x15); x7 = rotl12(v128.xor(x7, x11));
		x3 = i32x4.add(x3, x7); x15 = rotl8(v128.xor(x15, x3)); x11 = i32x4.add(x11, x15); x7 = rotl7(v128.xor(x7, x11));
		// Diagonals.
		x0 = i32x4.add(x0, x5); x15 = rotl16(v128.xor(x15, x0)); x10 = i32x4.add(x10, x15); x5 = rotl12(v128.xor(x5, x10));
		x0 = i32x4.add(x0, x5); x15 = rotl8(v128.xor(x15, x0)); x10 = i32x4.add(x10, x15); x5 = rotl7(v128.xor(x5, x10));
		x1 = i32x4.add(x1, x6); x12 = rotl16(v128.xor(x12, x1)); x11 = i32x4.add(x11, x12); x6 = rotl12(v128.xor(x6, x11));
		x1 = i32x4.add(x1, x6); x12 = rotl8(v128.xor(x12, x1)); x11 = i32x4.add(x11, x12); x6 = rotl7(v128.xor(x6, x11));
		x2 = i32x4.add(x2, x7); x13 = rotl16(v128.xor(x13, x2)); x8 = i32x4.add(x8, x13); x7 = rotl12(v128.xor(x7, x8));
		x2 = i32x4.add(x2, x7); x13 = rotl8(v128.xor(x13, x2)); x8 = i32x4.add(x8, x13); x7 = rotl7(v128.xor(x7, x8));
		x3 = i32x4.add(x3, x4); x14 = rotl16(v128.xor(x14, x3)); x9 = i32x4.add(x9, x14); x4 = rotl12(v128.xor(x4, x9));
		x3 = i32x4.add(x3, x4); x14 = rotl8(v128.xor(x14, x3)); x9 = i32x4.add(x9, x14); x4 = rotl7(v128.xor(x4, x9));
	}
	storeWords(out, i32x4.add(x0, i32x4.splat(SIGMA0)), i32x4.add(x1, i32x4.splat(SIGMA1)), i32x4.add(x2, i32x4.splat(SIGMA2)), i32x4.add(x3, i32x4.splat(SIGMA3)));
	storeWords(out + 16, i32x4.add(x4, y4), i32x4.add(x5, y5), i32x4.add(x6, y6), i32x4.add(x7, y7));
	storeWords(out + 32, i32x4.add(x8, y8), i32x4.add(x9, y9), i32x4.add(x10, y10), i32x4.add(x11, y11));
	storeWords(out + 48, i32x4.add(x12, y12), i32x4.add(x13, y13), i32x4.add(x14, y14), i32x4.add(x15, y15));
}

/**
 * output = input ⊕ the ChaCha20 keystream from block `counter` on, for `length` bytes (input
 * and output may be the same); every call starts at a block boundary.
 */
export function chachaXor(keyNonce: usize, counter: u32, input: usize, output: usize, length: i32): void {
	let done = 0;
	for (; done + 256 <= length; done += 256, counter += 4) {
		fourBlocks(keyNonce, counter, STATE);
		for (let b = 0; b < 256; b += 16) v128.store(output + done + b, v128.xor(v128.load(input + done + b), v128.load(STATE + b)));
	}
	if (done < length) {
		fourBlocks(keyNonce, counter, STATE);
		for (let b = 0; done + b < length; b++) store<u8>(output + done + b, load<u8>(input + done + b) ^ load<u8>(STATE + b));
	}
}

const MASK26: u64 = 0x3ffffff;

/**
 * Poly1305 state: r0…r4 (clamped), h0…h4, then the key's second half (s, 16 bytes), as u64
 * at `state` (10 × 8 bytes + 16).
 */
export const POLY_STATE_BYTES: i32 = 96;

/** Starts a Poly1305 state at `state` under the 32-byte one-time key at `key`. */
export function polyInit(state: usize, key: usize): void {
	const t0 = <u64>load<u32>(key), t1 = <u64>load<u32>(key, 4), t2 = <u64>load<u32>(key, 8), t3 = <u64>load<u32>(key, 12);
	store<u64>(state, t0 & 0x3ffffff, 0);
	store<u64>(state, ((t0 >> 26) | (t1 << 6)) & 0x3ffff03, 8);
	store<u64>(state, ((t1 >> 20) | (t2 << 12)) & 0x3ffc0ff, 16);
	store<u64>(state, ((t2 >> 14) | (t3 << 18)) & 0x3f03fff, 24);
	store<u64>(state, (t3 >> 8) & 0x00fffff, 32);
	memory.fill(state + 40, 0, 40);
	memory.copy(state + 80, key + 16, 16);
}

/** Absorbs `length` bytes (a multiple of 16: whole blocks) at `message`. */
export function polyBlocks(state: usize, message: usize, length: i32): void {
	const r0 = load<u64>(state, 0), r1 = load<u64>(state, 8), r2 = load<u64>(state, 16), r3 = load<u64>(state, 24), r4 = load<u64>(state, 32);
	const s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
	let h0 = load<u64>(state, 40), h1 = load<u64>(state, 48), h2 = load<u64>(state, 56), h3 = load<u64>(state, 64), h4 = load<u64>(state, 72);
	for (let at = message, end = message + <usize>length; at < end; at += 16) {
		const t0 = <u64>load<u32>(at), t1 = <u64>load<u32>(at, 4), t2 = <u64>load<u32>(at, 8), t3 = <u64>load<u32>(at, 12);
		h0 += t0 & MASK26;
		h1 += ((t0 >> 26) | (t1 << 6)) & MASK26;
		h2 += ((t1 >> 20) | (t2 << 12)) & MASK26;
		h3 += ((t2 >> 14) | (t3 << 18)) & MASK26;
		h4 += (t3 >> 8) | (1 << 24);
		const d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
		let d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
		let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
		let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
		let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
		let c = d0 >> 26;
		h0 = d0 & MASK26;
		d1 += c; c = d1 >> 26; h1 = d1 & MASK26;
		d2 += c; c = d2 >> 26; h2 = d2 & MASK26;
		d3 += c; c = d3 >> 26; h3 = d3 & MASK26;
		d4 += c; c = d4 >> 26; h4 = d4 & MASK26;
		h0 += c * 5; c = h0 >> 26; h0 &= MASK26;
		h1 += c;
	}
	store<u64>(state, h0, 40);
	store<u64>(state, h1, 48);
	store<u64>(state, h2, 56);
	store<u64>(state, h3, 64);
	store<u64>(state, h4, 72);
}

/** The tag (16 bytes at `out`): h fully reduced modulo 2^130 − 5, plus s modulo 2^128. */
export function polyFinish(state: usize, out: usize): void {
	let h0 = load<u64>(state, 40), h1 = load<u64>(state, 48), h2 = load<u64>(state, 56), h3 = load<u64>(state, 64), h4 = load<u64>(state, 72);
	let c: u64;
	c = h1 >> 26; h1 &= MASK26; h2 += c;
	c = h2 >> 26; h2 &= MASK26; h3 += c;
	c = h3 >> 26; h3 &= MASK26; h4 += c;
	c = h4 >> 26; h4 &= MASK26; h0 += c * 5;
	c = h0 >> 26; h0 &= MASK26; h1 += c;
	// g = h + 5 − 2^130: h ≥ p exactly when g does not go negative.
	let g0 = h0 + 5; c = g0 >> 26; g0 &= MASK26;
	let g1 = h1 + c; c = g1 >> 26; g1 &= MASK26;
	let g2 = h2 + c; c = g2 >> 26; g2 &= MASK26;
	let g3 = h3 + c; c = g3 >> 26; g3 &= MASK26;
	const g4 = h4 + c - (<u64>1 << 26);
	const useG = (g4 >> 63) - 1; // all ones where g ≥ 0
	h0 = (h0 & ~useG) | (g0 & useG);
	h1 = (h1 & ~useG) | (g1 & useG);
	h2 = (h2 & ~useG) | (g2 & useG);
	h3 = (h3 & ~useG) | (g3 & useG);
	h4 = (h4 & ~useG) | (g4 & useG & MASK26);
	const w0 = (h0 | (h1 << 26)) & 0xffffffff;
	const w1 = ((h1 >> 6) | (h2 << 20)) & 0xffffffff;
	const w2 = ((h2 >> 12) | (h3 << 14)) & 0xffffffff;
	const w3 = ((h3 >> 18) | (h4 << 8)) & 0xffffffff;
	let f = w0 + <u64>load<u32>(state, 80);
	store<u32>(out, <u32>f);
	f = w1 + <u64>load<u32>(state, 84) + (f >> 32);
	store<u32>(out, <u32>f, 4);
	f = w2 + <u64>load<u32>(state, 88) + (f >> 32);
	store<u32>(out, <u32>f, 8);
	f = w3 + <u64>load<u32>(state, 92) + (f >> 32);
	store<u32>(out, <u32>f, 12);
}
