import { sha256 } from '@noble/hashes/sha2.js';
import { blockCipher } from './backend';
import { asBytes } from './block';

/**
 * Correlation-robust hash from the fixed-key permutation π (Matyas–Meyer–Oseas):
 * H(x) = π(x) ⊕ x, batched: output[outOffset…] = H(input[inOffset…]) for `count` blocks.
 * Callers fold tweaks and label combinations into x (e.g. 2A ⊕ 4B ⊕ T for garbling, as in
 * Bellare–Hoang–Keelveedhi–Rogaway, "Efficient garbling from a fixed-key blockcipher", 2013).
 * The input and output ranges must not overlap.
 */
export function hashBlocks(input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number): void {
	blockCipher().encryptFixed(input, inOffset, output, outOffset, count);
	const words = count * 4;
	for (let w = 0; w < words; w++) output[outOffset + w] ^= input[inOffset + w];
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
