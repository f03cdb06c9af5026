import { asBytes, BLOCK_WORDS } from '../crypto/block';
import { tweakedHash } from '../crypto/hash';
import type { AuthBits } from './auth';
import type { DigestKernel, DigestTarget } from './digest-kernel';
import { OPENING_TWEAK_DOMAIN } from './openings';

/** The MAC digests in JavaScript (digest-kernel.ts): the fallback where WebAssembly SIMD is missing. */
export const jsDigestKernel: DigestKernel = {
	name: 'js',
	macDigests(values, targets, delta, call) {
		return targets.map((target) => macDigest(values, target, delta, call));
	}
};

function macDigest(values: readonly AuthBits[], { slot, theirBits, pair }: DigestTarget, delta: Uint32Array, call: number): Uint8Array {
	const count = values[0].count;
	const digest = new Uint32Array(BLOCK_WORDS);
	let tweak = 0;
	let filled = 0;
	for (let i = 0; i < values.length; i++) {
		const { words, stride } = values[i];
		const bits = theirBits?.[i];
		let src = 8 * slot + (bits ? BLOCK_WORDS : 0);
		for (let k = 0; k < count; ) {
			const n = Math.min(count - k, DIGEST_CHUNK_BLOCKS - filled);
			if (bits) gatherKeys(words, src, stride, bits, k, n, filled, delta);
			else gatherMacs(words, src, stride, n, filled);
			k += n;
			src += n * stride;
			filled += n;
			if (filled === DIGEST_CHUNK_BLOCKS) {
				foldHashes(filled, digest, tweak, call, pair);
				tweak += filled;
				filled = 0;
			}
		}
	}
	foldHashes(filled, digest, tweak, call, pair);
	return asBytes(digest);
}

/**
 * n MACs (blocks `stride` words apart from `src`) into digestInput from block `at` on. The
 * loops are functions of their own (and one per case): the JIT then compiles each once, not
 * macDigest again for every loop and case it meets (see triples.ts, blocksOf).
 */
function gatherMacs(words: Uint32Array, src: number, stride: number, n: number, at: number): void {
	for (let k = 0, dst = at * BLOCK_WORDS; k < n; k++, src += stride, dst += BLOCK_WORDS) {
		digestInput[dst] = words[src];
		digestInput[dst + 1] = words[src + 1];
		digestInput[dst + 2] = words[src + 2];
		digestInput[dst + 3] = words[src + 3];
	}
}

/** n keys ⊕ bits[first + k]·Δ, as gatherMacs. */
function gatherKeys(words: Uint32Array, src: number, stride: number, bits: Uint8Array, first: number, n: number, at: number, delta: Uint32Array): void {
	const [d0, d1, d2, d3] = delta;
	for (let k = 0, dst = at * BLOCK_WORDS; k < n; k++, src += stride, dst += BLOCK_WORDS) {
		const mask = -bits[first + k];
		digestInput[dst] = words[src] ^ (d0 & mask);
		digestInput[dst + 1] = words[src + 1] ^ (d1 & mask);
		digestInput[dst + 2] = words[src + 2] ^ (d2 & mask);
		digestInput[dst + 3] = words[src + 3] ^ (d3 & mask);
	}
}

/** Blocks hashed per call in macDigest: scratch that stays in cache, reused by every call. */
const DIGEST_CHUNK_BLOCKS = 1024;
const digestInput = new Uint32Array(DIGEST_CHUNK_BLOCKS * BLOCK_WORDS);
const digestHashed = new Uint32Array(DIGEST_CHUNK_BLOCKS * BLOCK_WORDS);

/** digest ^= ⊕ of H(block k, (first + k, call, 'open', pair)) over the first `blocks` blocks of digestInput. */
function foldHashes(blocks: number, digest: Uint32Array, first: number, call: number, pair: number): void {
	if (blocks === 0) return;
	tweakedHash(digestInput, 0, digestHashed, 0, blocks, first, call, OPENING_TWEAK_DOMAIN, pair);
	let h0 = digest[0];
	let h1 = digest[1];
	let h2 = digest[2];
	let h3 = digest[3];
	for (let b = 0; b < blocks * BLOCK_WORDS; b += BLOCK_WORDS) {
		h0 ^= digestHashed[b];
		h1 ^= digestHashed[b + 1];
		h2 ^= digestHashed[b + 2];
		h3 ^= digestHashed[b + 3];
	}
	digest[0] = h0;
	digest[1] = h1;
	digest[2] = h2;
	digest[3] = h3;
}
