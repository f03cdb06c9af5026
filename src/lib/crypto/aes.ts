/**
 * AES-128 encryption (FIPS-197) with T-tables, for batches of 128-bit blocks held as four
 * little-endian 32-bit words each (word c holds column c: byte 4c in its low bits). Only
 * encryption is needed: garbling hashes, PRGs and commitments never decrypt.
 *
 * One Int32Array of 4 × 256 entries holds the four round tables (SubBytes, ShiftRows and
 * MixColumns fused per input byte position); a second one holds the S-box for the last round.
 */

const SBOX = new Uint8Array(256);
/** T0 | T1 | T2 | T3: the contribution of an S-boxed byte in row r to a whole column. */
const ROUND_TABLE = new Int32Array(1024);

function multiplyByTwo(x: number): number {
	return ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;
}

function buildTables(): void {
	// The S-box from the multiplicative inverse in GF(2^8) followed by the affine map.
	let p = 1;
	let q = 1;
	do {
		p ^= multiplyByTwo(p); // p · 3
		q ^= q << 1; // q / 3
		q ^= q << 2;
		q ^= q << 4;
		q &= 0xff;
		if (q & 0x80) q ^= 0x09;
		const affine = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
		SBOX[p] = (affine ^ 0x63) & 0xff;
	} while (p !== 1);
	SBOX[0] = 0x63;
	for (let x = 0; x < 256; x++) {
		const s = SBOX[x];
		const s2 = multiplyByTwo(s);
		const s3 = s2 ^ s;
		const t0 = s2 | (s << 8) | (s << 16) | (s3 << 24);
		ROUND_TABLE[x] = t0;
		ROUND_TABLE[256 + x] = (t0 << 8) | (t0 >>> 24);
		ROUND_TABLE[512 + x] = (t0 << 16) | (t0 >>> 16);
		ROUND_TABLE[768 + x] = (t0 << 24) | (t0 >>> 8);
	}
}

function rotl8(x: number, shift: number): number {
	return ((x << shift) | (x >>> (8 - shift))) & 0xff;
}

buildTables();

/** The S-box, exported for tests against FIPS-197 Figure 7. */
export function sbox(x: number): number {
	return SBOX[x];
}

/** Expands a 16-byte key (as 4 little-endian words) into the 44 round-key words. */
export function expandKey(key: Uint32Array | Int32Array, offset = 0): Int32Array {
	const rk = new Int32Array(44);
	for (let i = 0; i < 4; i++) rk[i] = key[offset + i] | 0;
	let rcon = 1;
	for (let i = 4; i < 44; i++) {
		let t = rk[i - 1];
		if ((i & 3) === 0) {
			// RotWord then SubWord: byte order in a little-endian word is row 0 in the low bits.
			t = (t >>> 8) | (t << 24);
			t = SBOX[t & 0xff] | (SBOX[(t >>> 8) & 0xff] << 8) | (SBOX[(t >>> 16) & 0xff] << 16) | (SBOX[t >>> 24] << 24);
			t ^= rcon;
			rcon = multiplyByTwo(rcon);
		}
		rk[i] = rk[i - 4] ^ t;
	}
	return rk;
}

/**
 * Encrypts `count` blocks: output[outOffset + 4i …] = AES_rk(input[inOffset + 4i …]).
 * Input and output may be the same array (in place).
 */
export function encryptBlocks(
	rk: Int32Array,
	input: Uint32Array,
	inOffset: number,
	output: Uint32Array,
	outOffset: number,
	count: number
): void {
	const T = ROUND_TABLE;
	const S = SBOX;
	for (let b = 0; b < count; b++) {
		const i = inOffset + 4 * b;
		let s0 = (input[i] ^ rk[0]) | 0;
		let s1 = (input[i + 1] ^ rk[1]) | 0;
		let s2 = (input[i + 2] ^ rk[2]) | 0;
		let s3 = (input[i + 3] ^ rk[3]) | 0;
		for (let r = 4; r < 40; r += 4) {
			const t0 = T[s0 & 255] ^ T[256 + ((s1 >>> 8) & 255)] ^ T[512 + ((s2 >>> 16) & 255)] ^ T[768 + (s3 >>> 24)] ^ rk[r];
			const t1 = T[s1 & 255] ^ T[256 + ((s2 >>> 8) & 255)] ^ T[512 + ((s3 >>> 16) & 255)] ^ T[768 + (s0 >>> 24)] ^ rk[r + 1];
			const t2 = T[s2 & 255] ^ T[256 + ((s3 >>> 8) & 255)] ^ T[512 + ((s0 >>> 16) & 255)] ^ T[768 + (s1 >>> 24)] ^ rk[r + 2];
			const t3 = T[s3 & 255] ^ T[256 + ((s0 >>> 8) & 255)] ^ T[512 + ((s1 >>> 16) & 255)] ^ T[768 + (s2 >>> 24)] ^ rk[r + 3];
			s0 = t0;
			s1 = t1;
			s2 = t2;
			s3 = t3;
		}
		const o = outOffset + 4 * b;
		output[o] = (S[s0 & 255] | (S[(s1 >>> 8) & 255] << 8) | (S[(s2 >>> 16) & 255] << 16) | (S[s3 >>> 24] << 24)) ^ rk[40];
		output[o + 1] = (S[s1 & 255] | (S[(s2 >>> 8) & 255] << 8) | (S[(s3 >>> 16) & 255] << 16) | (S[s0 >>> 24] << 24)) ^ rk[41];
		output[o + 2] = (S[s2 & 255] | (S[(s3 >>> 8) & 255] << 8) | (S[(s0 >>> 16) & 255] << 16) | (S[s1 >>> 24] << 24)) ^ rk[42];
		output[o + 3] = (S[s3 & 255] | (S[(s0 >>> 8) & 255] << 8) | (S[(s1 >>> 16) & 255] << 16) | (S[s2 >>> 24] << 24)) ^ rk[43];
	}
}
