import { sha256 } from '@noble/hashes/sha2.js';
import { blockCipher } from './backend';
import { asBytes } from './block';

/**
 * Correlation-robust hash from the fixed-key permutation π (Matyas–Meyer–Oseas):
 * H(x) = π(x) ⊕ x, batched: output[outOffset…] = H(input[inOffset…]) for `count` blocks.
 * Only for garbling, whose caller folds the labels and a unique tweak into x as
 * K = 2A ⊕ 4B ⊕ T: the "A4" dual-key cipher of Bellare–Hoang–Keelveedhi–Rogaway ("Efficient
 * garbling from a fixed-key blockcipher", S&P 2013), proven for free-XOR garbling with π a
 * random permutation; the doublings keep the Δ-offsets of the other rows (2Δ, 4Δ, 6Δ) from
 * cancelling the Δ a row may carry (docs/security.md). The input and output ranges must not
 * overlap.
 */
export function hashBlocks(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number): void {
	const cipher = blockCipher();
	if (cipher.fused) {
		cipher.fused.hashBlocks(input, inOffset, output, outOffset, count);
		return;
	}
	cipher.encryptFixed(input, inOffset, output, outOffset, count);
	const words = count * 4;
	for (let w = 0; w < words; w++) output[outOffset + w] ^= input[inOffset + w];
}

/** π(x) of the batch being hashed by tweakedHash, reused from call to call. */
let inner = new Uint32Array(0);

/**
 * The tweakable circular-correlation-robust hash of Guo, Katz, Wang and Yu ("Efficient and
 * secure multiparty computation from fixed-key block ciphers", S&P 2020, §7):
 * H(x, T) = π(π(x) ⊕ T) ⊕ π(x). Where a party knows x and needs H at x ⊕ Δ to stay random
 * even when outputs are combined with Δ (leaky AND, MAC digests, random OT), the usual
 * π(x) ⊕ x is not enough: its feed-forward term x ⊕ Δ cancels a Δ that the protocol adds,
 * and hands out π at a point offset by Δ. Batched: output[outOffset + 4k…] =
 * H(input[inOffset + 4k…], T_k) with T_k = (first + k, t1, t2, t3); tweaks must never repeat
 * for a key (Δ) within a run. Input and output may be the same range.
 */
export function tweakedHash(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number, first: number, t1: number, t2: number, t3: number): void {
	const cipher = blockCipher();
	if (cipher.fused) {
		cipher.fused.tweakedHash(input, inOffset, output, outOffset, count, first, t1, t2, t3);
		return;
	}
	const words = count * 4;
	if (inner.length < words) inner = new Uint32Array(words);
	cipher.encryptFixed(input, inOffset, inner, 0, count);
	for (let k = 0, w = 0, o = outOffset; k < count; k++, w += 4, o += 4) {
		output[o] = inner[w] ^ ((first + k) | 0);
		output[o + 1] = inner[w + 1] ^ t1;
		output[o + 2] = inner[w + 2] ^ t2;
		output[o + 3] = inner[w + 3] ^ t3;
	}
	cipher.encryptFixed(output, outOffset, output, outOffset, count);
	for (let w = 0; w < words; w++) output[outOffset + w] ^= inner[w];
}

/** A SHA-256 digest built incrementally, for checking many MACs with one message. */
export class Digest {
	private readonly state = sha256.create();

	update(bytes: Uint8Array): this {
		this.state.update(bytes);
		return this;
	}

	updateWords(words: Uint32Array): this {
		this.state.update(asBytes(words));
		return this;
	}

	digest(): Uint8Array {
		return this.state.digest();
	}
}

/** SHA-256 of the concatenation of the given byte strings. */
export function digestOf(...parts: Uint8Array[]): Uint8Array {
	const state = sha256.create();
	for (const part of parts) state.update(part);
	return state.digest();
}

/** Constant-time-ish equality of two byte strings. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
	return diff === 0;
}
