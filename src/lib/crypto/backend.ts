import { encryptBlocks, expandKey } from './aes';
import { sha256 } from '@noble/hashes/sha2.js';
import { asWords } from './block';

/**
 * Where AES runs. Everything above this interface is backend-agnostic and every backend gives
 * bit-identical results, so parties with different backends interoperate. The default is the
 * T-table AES of aes.ts (everywhere); a Node process can install the AES-NI backend from
 * src/node/aesni.ts at start-up.
 */
export interface BlockCipher {
	readonly name: string;
	/** output[outOffset…] = π(input[inOffset…]) for `count` blocks, π = AES-128 under FIXED_KEY; the ranges may be the same (in place). */
	encryptFixed(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number): void;
	/** AES-128-CTR keystream under `key` (4 words), counter block 0, 1, 2, … big-endian as in NIST SP 800-38A. */
	keystream(key: Uint32Array): Keystream;
	/**
	 * The hashes of crypto/hash.ts in one pass, where a backend computes them faster than from
	 * encryptFixed and XOR passes (the WebAssembly one: one copy into its memory and out);
	 * same arguments and results as hashBlocks and tweakedHash.
	 */
	readonly fused?: FusedHashes;
}

/** π(x) ⊕ x and π(π(x) ⊕ T) ⊕ π(x), as crypto/hash.ts defines them. */
export interface FusedHashes {
	hashBlocks(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number): void;
	tweakedHash(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number, first: number, t1: number, t2: number, t3: number): void;
}

/** Successive keystream blocks of one key. */
export interface Keystream {
	/** Writes the next `count` keystream blocks to out[offset…]. */
	fill(out: Uint32Array, offset: number, count: number): void;
}

/** The public key of the fixed-key permutation π (first 16 bytes of SHA-256 of a label). */
export const FIXED_KEY: Uint32Array = asWords(sha256(new TextEncoder().encode('polytune-web fixed-key AES-128')).slice(0, 16));

const fixedRoundKeys = expandKey(FIXED_KEY);

/** Keystream of the T-table AES; the counter lives in the last 8 bytes, big-endian. */
class TableKeystream implements Keystream {
	private readonly rk: Int32Array;
	private counter = 0;

	constructor(key: Uint32Array) {
		this.rk = expandKey(key);
	}

	fill(out: Uint32Array, offset: number, count: number): void {
		// Counter blocks are written in place and then encrypted in one batch.
		for (let b = 0, o = offset; b < count; b++, o += 4) {
			const c = this.counter++;
			out[o] = 0;
			out[o + 1] = 0;
			out[o + 2] = byteSwap(Math.floor(c / 0x100000000));
			out[o + 3] = byteSwap(c >>> 0);
		}
		encryptBlocks(this.rk, out, offset, out, offset, count);
	}
}

function byteSwap(x: number): number {
	return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** The portable backend: T-table AES in JavaScript. */
export const tableCipher: BlockCipher = {
	name: 't-table',
	encryptFixed(input, inOffset, output, outOffset, count) {
		encryptBlocks(fixedRoundKeys, input, inOffset, output, outOffset, count);
	},
	keystream(key) {
		return new TableKeystream(key);
	}
};

let current: BlockCipher = tableCipher;

/** The backend in use. */
export function blockCipher(): BlockCipher {
	return current;
}

/** Installs a backend for the whole process (call once at start-up, before any protocol runs). */
export function setBlockCipher(cipher: BlockCipher): void {
	current = cipher;
}
