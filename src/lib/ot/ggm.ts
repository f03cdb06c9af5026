import { BLOCK_WORDS } from '../crypto/block';
import { tweakedHash } from '../crypto/hash';

/**
 * (2^k − 1)-out-of-2^k random OT from k random 1-out-of-2 OTs: a GGM tree of depth k whose
 * leaves the extension receiver knows all of and the extension sender all but one (a
 * punctured PRF; SoftSpokenOT §3.1, Roy, CRYPTO 2022, after Boyle et al.'s silent OT).
 *
 * Every tree is one chunk of the 128 base OTs: base OT `first + j` serves level j. The
 * receiver (the base-OT sender) holds both keys key_{0,l}, key_{1,l} of base OT l, the sender
 * (the base-OT receiver, choosing by its global key Δ) holds key_{Δ_l,l}. Leaf x has bit j of
 * x as its branch at level j, and the sender misses exactly the leaf p = ¬Δ (bitwise, over the
 * chunk's bits of Δ):
 * - level 0: the nodes are the keys themselves, N(β) = key_{β,first}: the sender knows
 *   N(Δ_first), the sibling of the path to p;
 * - level j ≥ 1: every node has children N(y‖β) = H(N(y), T(β, j)); the receiver sends
 *   e_j^β = key_{β,l} ⊕ ⊕_y N(y‖β) for both β (two blocks), the sender opens e_j^{Δ_l} and,
 *   knowing every node of the level above but the one on the path, gets the child off the path.
 * The keys are the batch's keys of the base OTs (softspoken.ts), so every tree is the batch's
 * own; a tree costs 2(k − 1) blocks of the receiver's message.
 */

const GGM_DOMAIN = 0x6d676773; // 'sggm'

/** One tree: base OTs [first, first + bits), its leaves at block `leafOffset` of the batch's leaves. */
export interface Chunk {
	first: number;
	bits: number;
	leafOffset: number;
	/** Where its corrections start in the puncturing message, in blocks. */
	correctionOffset: number;
}

/** Chunks of `bits` base OTs (the last one smaller when `bits` does not divide `baseOts`). */
export function chunksOf(baseOts: number, bits: number): Chunk[] {
	if (!Number.isInteger(bits) || bits < 1 || bits > 10) throw new Error(`SoftSpokenOT: ${bits} bits per chunk (1 to 10)`);
	const chunks: Chunk[] = [];
	let leafOffset = 0;
	let correctionOffset = 0;
	for (let first = 0; first < baseOts; first += bits) {
		const size = Math.min(bits, baseOts - first);
		chunks.push({ first, bits: size, leafOffset, correctionOffset });
		leafOffset += 1 << size;
		correctionOffset += 2 * (size - 1);
	}
	return chunks;
}

/** Leaves of all chunks, in blocks. */
export const leafBlocks = (chunks: readonly Chunk[]): number => chunks.reduce((sum, c) => sum + (1 << c.bits), 0);
/** Blocks of the puncturing message for all chunks. */
export const correctionBlocks = (chunks: readonly Chunk[]): number => chunks.reduce((sum, c) => sum + 2 * (c.bits - 1), 0);

/**
 * The children of the first `width` nodes of level `level` (nodes[o + 4y…]), in place: child
 * y‖0 goes to y, child y‖1 to y + width. Tweaks name the branch, the node, the level's base
 * OT and the batch, so that no two expansions of a batch share one.
 */
function expandLevel(nodes: Uint32Array, o: number, width: number, column: number, batch: number): void {
	const words = width * BLOCK_WORDS;
	tweakedHash(nodes, o, nodes, o + words, width, 1 << 16, batch, GGM_DOMAIN, column);
	tweakedHash(nodes, o, nodes, o, width, 0, batch, GGM_DOMAIN, column);
}

function xorLevelInto(out: Uint32Array, oo: number, nodes: Uint32Array, o: number, width: number): void {
	for (let y = 0; y < width; y++) for (let w = 0; w < BLOCK_WORDS; w++) out[oo + w] ^= nodes[o + y * BLOCK_WORDS + w];
}

/**
 * The receiver's side: every leaf of every chunk (leaves[(leafOffset + x)·4…]) from both keys
 * of every base OT, and the puncturing message (2(k − 1) blocks per chunk).
 */
export function expandTrees(keys0: Uint32Array, keys1: Uint32Array, chunks: readonly Chunk[], batch: number): { leaves: Uint32Array; corrections: Uint32Array } {
	const leaves = new Uint32Array(leafBlocks(chunks) * BLOCK_WORDS);
	const corrections = new Uint32Array(correctionBlocks(chunks) * BLOCK_WORDS);
	for (const { first, bits, leafOffset, correctionOffset } of chunks) {
		const o = leafOffset * BLOCK_WORDS;
		leaves.set(keys0.subarray(first * BLOCK_WORDS, (first + 1) * BLOCK_WORDS), o);
		leaves.set(keys1.subarray(first * BLOCK_WORDS, (first + 1) * BLOCK_WORDS), o + BLOCK_WORDS);
		for (let level = 1; level < bits; level++) {
			const width = 1 << level;
			const column = first + level;
			expandLevel(leaves, o, width, column, batch);
			for (let branch = 0; branch < 2; branch++) {
				const e = (correctionOffset + 2 * (level - 1) + branch) * BLOCK_WORDS;
				corrections.set((branch ? keys1 : keys0).subarray(column * BLOCK_WORDS, (column + 1) * BLOCK_WORDS), e);
				xorLevelInto(corrections, e, leaves, o + branch * width * BLOCK_WORDS, width);
			}
		}
	}
	return { leaves, corrections };
}

const bitOf = (words: Uint32Array, i: number): number => (words[i >>> 5] >>> (i & 31)) & 1;

/**
 * The sender's side: every leaf but the punctured one p = ¬Δ of each chunk (which is left
 * zero), from its keys key_{Δ_l,l} and the receiver's puncturing message.
 */
export function puncturedTrees(keys: Uint32Array, delta: Uint32Array, chunks: readonly Chunk[], batch: number, corrections: Uint32Array): Uint32Array {
	const leaves = new Uint32Array(leafBlocks(chunks) * BLOCK_WORDS);
	for (const { first, bits, leafOffset, correctionOffset } of chunks) {
		const o = leafOffset * BLOCK_WORDS;
		const known = bitOf(delta, first);
		leaves.set(keys.subarray(first * BLOCK_WORDS, (first + 1) * BLOCK_WORDS), o + known * BLOCK_WORDS);
		// The path to the punctured leaf so far: its node at this level is unknown (zero).
		let path = known ^ 1;
		for (let level = 1; level < bits; level++) {
			const width = 1 << level;
			const column = first + level;
			expandLevel(leaves, o, width, column, batch);
			const branch = bitOf(delta, column);
			// The sibling off the path: the sum of its side of the level, less every other node there.
			const sibling = o + (path + branch * width) * BLOCK_WORDS;
			const e = (correctionOffset + 2 * (level - 1) + branch) * BLOCK_WORDS;
			for (let w = 0; w < BLOCK_WORDS; w++) leaves[sibling + w] = corrections[e + w] ^ keys[column * BLOCK_WORDS + w];
			for (let y = 0; y < width; y++) {
				if (y === path) continue;
				for (let w = 0; w < BLOCK_WORDS; w++) leaves[sibling + w] ^= leaves[o + (y + branch * width) * BLOCK_WORDS + w];
			}
			const punctured = path + (branch ^ 1) * width;
			leaves.fill(0, o + punctured * BLOCK_WORDS, o + (punctured + 1) * BLOCK_WORDS);
			path = punctured;
		}
	}
	return leaves;
}
