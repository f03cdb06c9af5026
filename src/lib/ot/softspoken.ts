import { asBytes, asWords, BLOCK_WORDS } from '../crypto/block';
import { tweakedHash } from '../crypto/hash';
import { Prg } from '../crypto/prg';
import { chunksOf, correctionBlocks, expandTrees, puncturedTrees, type Chunk } from './ggm';
import { BASE_OTS, extendedRows, KosReceiverBatch, KosSenderBatch, packedRows, type RowLayout } from './kos';

/**
 * SoftSpokenOT extension (Lawrence Roy, "SoftSpokenOT: Quieter OT Extension from Small-Field
 * Silent VOLE in the Minicrypt Model", CRYPTO 2022) on top of our 128 base OTs, producing the
 * same correlated OTs as KOS15 did: the sender holds Δ (its base-OT choices) and gets q_k, the
 * receiver with choice bit x_k gets t_k with q_k = t_k ⊕ x_k·Δ. Used unhashed these are
 * authenticated bits (WRK17 F_aBit): key q_k, MAC t_k, global key Δ.
 *
 * The 128 base OTs form ℓ = ⌈128/k⌉ chunks of k; each chunk is a GGM tree (ggm.ts) whose 2^k
 * leaves the receiver knows and whose leaves but p = ¬Δ_chunk the sender knows. With r_y the
 * PRG expansion of leaf y to the batch's m′ rows (the small-field VOLE of §3.1):
 * - the receiver has u = ⊕_y r_y and, for each bit j of the chunk, t_j = ⊕_{y_j = 0} r_y;
 * - the sender has w_j = ⊕_{y_j = Δ_j} r_y (no y it lacks: p_j ≠ Δ_j), and w_j = t_j ⊕ Δ_j·u.
 * The receiver sends c = u ⊕ x for each chunk (m′ bits: 128/k bits per OT instead of KOS's
 * 128) and the sender sets q_j = w_j ⊕ Δ_j·c = t_j ⊕ Δ_j·x: the subspace VOLE of §3.2 for the
 * repetition code, which is exactly KOS's correlation, so the KOS consistency check and the
 * rest of Π_aBit apply unchanged (kos.ts; the check's soundness for SoftSpokenOT is its §4).
 * With k = 1 this is KOS itself. Cost per OT: 2^k/k PRG bits per base OT at the receiver,
 * (2^k − 1)/k at the sender (KOS: 2 and 1).
 *
 * Every batch has a number; its trees grow from keys derived from the base-OT seeds and that
 * number, so that batches may be extended in any order (in parallel) as long as both sides
 * number them alike. The receiver's message is the ℓ columns c, then the trees' puncturing
 * (2(k − 1) blocks per chunk).
 */

/**
 * Bits per chunk: 3 sends 43 bits per OT (KOS: 128) for 8/3 AES blocks per base OT at the
 * receiver (KOS: 2); 4 would save 11 bits more for about twice the time with the T-table AES
 * (docs/engine.md, "OT extension").
 */
export const CHUNK_BITS = 3;

const BATCH_SEED_DOMAIN = 0x6273736b; // 'ksbs'

/**
 * The batch's keys of the 128 base OTs: H(seed_l, (l, batch, 'ksbs', 0)) with the tweakable
 * hash, a pseudorandom function of each secret seed, so that the sender, who knows one seed
 * of each base OT, derives exactly the receiver's key of that seed.
 */
function batchSeeds(seeds: Uint32Array, batch: number): Uint32Array {
	const out = new Uint32Array(BASE_OTS * BLOCK_WORDS);
	tweakedHash(seeds, 0, out, 0, BASE_OTS, 0, batch, BATCH_SEED_DOMAIN, 0);
	return out;
}

const maxBits = (chunks: readonly Chunk[]): number => Math.max(...chunks.map((c) => c.bits));

/**
 * Sums over the halves of one chunk's 2^bits expanded leaves (columns[y·W…], W words each,
 * overwritten): out column (outFirst + j) gets the XOR of the columns y whose bit j is `side`,
 * and columns[0…W) ends as the XOR of all. Halving from the top bit down, 2^(bits+1) column
 * passes instead of bits·2^(bits−1).
 */
function subcubeSums(columns: Uint32Array, bits: number, W: number, side: number, out: Uint32Array, outFirst: number): void {
	for (let j = bits - 1; j >= 0; j--) {
		const half = 1 << j;
		const o = (outFirst + j) * W;
		for (let y = 0; y < half; y++) {
			const low = y * W;
			const high = (y + half) * W;
			const from = side ? high : low;
			for (let w = 0; w < W; w++) {
				out[o + w] ^= columns[from + w];
				columns[low + w] ^= columns[high + w];
			}
		}
	}
}

/**
 * The choices (0/1 bytes) as bits, choice k in bit k & 31 of word k >>> 5. A loop of its own:
 * compiled while it runs, it would otherwise take the code after it (never run yet) along and
 * be thrown away there (see mpc/triples.ts, blocksOf).
 */
function packedChoices(choices: Uint8Array): Uint32Array {
	const x = new Uint32Array(choices.length >>> 5);
	for (let k = 0; k < choices.length; k++) x[k >>> 5] |= choices[k] << (k & 31);
	return x;
}

/** The shape of the extension: its chunks and the layout of the receiver's message. */
export class Extension {
	readonly chunks: readonly Chunk[];
	/** Bytes of the trees' puncturing, after the ℓ columns. */
	readonly puncturingBytes: number;

	constructor(readonly chunkBits: number) {
		this.chunks = chunksOf(BASE_OTS, chunkBits);
		this.puncturingBytes = correctionBlocks(this.chunks) * BLOCK_WORDS * 4;
	}

	/** Bytes of the receiver's message for a batch of `count` OTs: ℓ columns of m′ bits and the puncturing. */
	messageBytes(count: number): number {
		return (this.chunks.length * extendedRows(count)) / 8 + this.puncturingBytes;
	}
}

/** The extension receiver: holds both seeds of every base OT (it was the base-OT sender). */
export class SoftSpokenReceiver extends Extension {
	constructor(
		private readonly seeds0: Uint32Array,
		private readonly seeds1: Uint32Array,
		chunkBits = CHUNK_BITS
	) {
		super(chunkBits);
	}

	/**
	 * Starts batch number `batch` of `count` OTs (each number once). `choices` (0/1 bytes) has
	 * extendedRows(count) entries: the first `count` are the real choices, the rest must be
	 * random (they hide the real ones in the check). Parties that use the same extended choices
	 * with several senders and the same challenge give every sender the same x̃, so equal x̃
	 * prove equal choices. The MACs t_k go to `layout` (default: a fresh packed array).
	 */
	extend(choices: Uint8Array, count: number, batch: number, layout: RowLayout = packedRows(extendedRows(count))): KosReceiverBatch {
		const rows = extendedRows(count);
		if (choices.length !== rows) throw new Error(`SoftSpokenOT: ${count} OTs need ${rows} extended choices, got ${choices.length}`);
		const W = rows >>> 5;
		const x = packedChoices(choices);
		const { leaves, corrections } = expandTrees(batchSeeds(this.seeds0, batch), batchSeeds(this.seeds1, batch), this.chunks, batch);
		const t = new Uint32Array(BASE_OTS * W);
		const c = new Uint32Array(this.chunks.length * W + corrections.length);
		const expanded = new Uint32Array((1 << maxBits(this.chunks)) * W);
		this.chunks.forEach(({ first, bits, leafOffset }, i) => {
			for (let y = 0; y < 1 << bits; y++) new Prg(leaves, (leafOffset + y) * BLOCK_WORDS).fillBlocks(expanded, y * W, W >>> 2);
			subcubeSums(expanded, bits, W, 0, t, first);
			// What is left is u, the sum of all: c = u ⊕ x.
			for (let w = 0; w < W; w++) c[i * W + w] = expanded[w] ^ x[w];
		});
		c.set(corrections, this.chunks.length * W);
		return new KosReceiverBatch(count, rows, x, t, asBytes(c), layout);
	}
}

/** The extension sender: holds Δ (its base-OT choices) and the chosen seeds. */
export class SoftSpokenSender extends Extension {
	constructor(
		readonly delta: Uint32Array,
		private readonly seeds: Uint32Array,
		chunkBits = CHUNK_BITS
	) {
		super(chunkBits);
	}

	/** Processes the receiver's message for batch number `batch` of `count` OTs; the keys q_k go to `layout`. */
	extend(message: Uint8Array, count: number, batch: number, layout: RowLayout = packedRows(extendedRows(count))): KosSenderBatch {
		const rows = extendedRows(count);
		if (message.length !== this.messageBytes(count)) throw new Error(`SoftSpokenOT: a batch of ${count} OTs takes ${this.messageBytes(count)} bytes, got ${message.length}`);
		const W = rows >>> 5;
		const c = asWords(message);
		const leaves = puncturedTrees(batchSeeds(this.seeds, batch), this.delta, this.chunks, batch, c.subarray(this.chunks.length * W));
		const q = new Uint32Array(BASE_OTS * W);
		const expanded = new Uint32Array((1 << maxBits(this.chunks)) * W);
		const delta = this.delta;
		const bit = (l: number) => (delta[l >>> 5] >>> (l & 31)) & 1;
		this.chunks.forEach(({ first, bits, leafOffset }, i) => {
			let punctured = 0;
			for (let j = 0; j < bits; j++) punctured |= (bit(first + j) ^ 1) << j;
			// Leaf y goes to slot y ⊕ p, so that w_j, the sum of the leaves whose bit j differs
			// from p's, is the sum of the slots with bit j set; slot 0 (the punctured leaf) is zero.
			expanded.fill(0, 0, W);
			for (let y = 0; y < 1 << bits; y++) {
				if (y !== punctured) new Prg(leaves, (leafOffset + y) * BLOCK_WORDS).fillBlocks(expanded, (y ^ punctured) * W, W >>> 2);
			}
			subcubeSums(expanded, bits, W, 1, q, first);
			for (let j = 0; j < bits; j++) {
				if (!bit(first + j)) continue;
				const o = (first + j) * W;
				for (let w = 0; w < W; w++) q[o + w] ^= c[i * W + w];
			}
		});
		return new KosSenderBatch(count, rows, q, delta, layout);
	}
}
