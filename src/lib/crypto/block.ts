/**
 * 128-bit blocks as four consecutive 32-bit words in a flat Uint32Array (never one object per
 * block). Words are little-endian views of the block's 16 bytes, so a Uint8Array over the same
 * memory sees the bytes in order; every supported platform (x86, ARM) is little-endian.
 */

export const BLOCK_WORDS = 4;
export const BLOCK_BYTES = 16;

if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) {
	throw new Error('crypto: big-endian platforms are not supported (blocks are little-endian word views)');
}

/** Fills `bytes` from the platform's cryptographic random source. */
export function randomFill<T extends Uint8Array<ArrayBuffer>>(bytes: T): T {
	// getRandomValues accepts at most 65536 bytes per call.
	for (let offset = 0; offset < bytes.length; offset += 65536) {
		crypto.getRandomValues(bytes.subarray(offset, Math.min(bytes.length, offset + 65536)));
	}
	return bytes;
}

/** `count` fresh random blocks. */
export function randomBlocks(count: number): Uint32Array {
	return new Uint32Array(randomFill(new Uint8Array(count * BLOCK_BYTES)).buffer);
}

/** The bytes of a word array (a view, no copy). */
export function asBytes(words: Uint32Array): Uint8Array {
	return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

/** Words over the given bytes: a view when aligned, a copy otherwise. Length must be a multiple of 4. */
export function asWords(bytes: Uint8Array): Uint32Array {
	if (bytes.length % 4 !== 0) throw new Error(`crypto: ${bytes.length} bytes are not a whole number of words`);
	if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
	return new Uint32Array(bytes.slice().buffer);
}

/** dst[d…] ^= src[s…] for one block. */
export function xorBlockInto(dst: Uint32Array, d: number, src: Uint32Array, s: number): void {
	dst[d] ^= src[s];
	dst[d + 1] ^= src[s + 1];
	dst[d + 2] ^= src[s + 2];
	dst[d + 3] ^= src[s + 3];
}

/** Whether the blocks at a[i…] and b[j…] are equal. */
export function blocksEqual(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
	return a[i] === b[j] && a[i + 1] === b[j + 1] && a[i + 2] === b[j + 2] && a[i + 3] === b[j + 3];
}

/**
 * Whether a[i…] = b[j…] ⊕ bit·Δ for one block (bit 0 or 1): a MAC against its key, M = K ⊕ x·Δ,
 * or a label against its 0-label.
 */
export function blockEqualsOffset(a: Uint32Array, i: number, b: Uint32Array, j: number, delta: Uint32Array, bit: number): boolean {
	const mask = -bit;
	return (
		((a[i] ^ b[j] ^ (delta[0] & mask)) | (a[i + 1] ^ b[j + 1] ^ (delta[1] & mask)) | (a[i + 2] ^ b[j + 2] ^ (delta[2] & mask)) | (a[i + 3] ^ b[j + 3] ^ (delta[3] & mask))) ===
		0
	);
}

/** Whether two word arrays hold the same values. */
export function wordsEqual(a: Uint32Array, b: Uint32Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
	return diff === 0;
}

/**
 * out = x · X in GF(2^128) modulo X^128 + X^7 + X^2 + X + 1, where bit i of the little-endian
 * 128-bit integer is the coefficient of X^i ("doubling"). out may alias x.
 */
export function doubleBlock(x: Uint32Array, i: number, out: Uint32Array, o: number): void {
	const w0 = x[i];
	const w1 = x[i + 1];
	const w2 = x[i + 2];
	const w3 = x[i + 3];
	out[o] = (w0 << 1) ^ (w3 >>> 31 ? 0x87 : 0);
	out[o + 1] = (w1 << 1) | (w0 >>> 31);
	out[o + 2] = (w2 << 1) | (w1 >>> 31);
	out[o + 3] = (w3 << 1) | (w2 >>> 31);
}

/** Packs 0/1 bytes into bits, bit i of the result in byte i >> 3 at position i & 7. */
export function packBits(bits: Uint8Array, offset = 0, count = bits.length - offset): Uint8Array {
	const out = new Uint8Array((count + 7) >> 3);
	for (let i = 0; i < count; i++) out[i >> 3] |= (bits[offset + i] & 1) << (i & 7);
	return out;
}

/** Unpacks `count` bits written by packBits into 0/1 bytes. */
export function unpackBits(packed: Uint8Array, count: number, out = new Uint8Array(count), offset = 0): Uint8Array {
	if (packed.length < (count + 7) >> 3) throw new Error(`crypto: ${packed.length} bytes cannot hold ${count} bits`);
	for (let i = 0; i < count; i++) out[offset + i] = (packed[i >> 3] >> (i & 7)) & 1;
	return out;
}

/** The concatenation of byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
	let offset = 0;
	for (const p of parts) {
		out.set(p, offset);
		offset += p.length;
	}
	return out;
}
