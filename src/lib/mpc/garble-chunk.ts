import { BLOCK_BYTES } from '../crypto/block';
import { gateWords } from './garble';

/*
 * The chunk area of a run's memory, where the WebAssembly kernel (wasm/garble.ts) garbles or
 * evaluates a segment's AND gates a chunk at a time: the chunk's inputs are copied in, its hash
 * inputs, pads and rows stay in cache, and only the garbled rows are copied out. Byte
 * addresses, every block-sized region 16-byte aligned.
 */

/** Bytes the chunk area aims at: its hash inputs, pads and rows stay in the CPU's caches. */
const CHUNK_BUDGET_BYTES = 512 * 1024;
/** The largest chunk: beyond this, fewer calls gain nothing. */
const MAX_CHUNK_ANDS = 256;

export interface ChunkLayout {
	/** AND gates per chunk. */
	readonly ands: number;
	/** This party's Δ. */
	readonly delta: number;
	/** The AND gates' numbers, then their input slots a, then b, then output slots: `ands` words each. */
	readonly gateIds: number;
	readonly r0Bits: number;
	readonly r0Words: number;
	readonly alphaBits: number;
	readonly alphaWords: number;
	readonly betaBits: number;
	readonly betaWords: number;
	/** The garbler's input 0-labels α, then β, then the output 0-labels γ: `ands` blocks each. */
	readonly labelAlpha: number;
	/** Hash inputs K, and π(K) from the block cipher. */
	readonly keys: number;
	readonly pads: number;
	/** Garbled rows: the garbler's, or every garbler's (`ands` gates each) for the evaluator. */
	readonly tables: number;
	/** The evaluator's selected row of each gate. */
	readonly rows: number;
	/** Scratch for one gate: the garbler's P0, PA and PB, the evaluator's MACs and keys. */
	readonly parts: number;
	readonly bytes: number;
}

/** Blocks hashed per AND gate: a garbler's four rows of n blocks, or the evaluator's row of every garbler. */
function hashBlocksPerAnd(parties: number): number {
	return Math.max(4 * parties, (parties - 1) * parties);
}

/** The chunk area from byte address `base` on, for a run of `parties` parties. */
export function chunkLayout(base: number, parties: number): ChunkLayout {
	const garblers = parties - 1;
	const stride = 32 * garblers;
	const tableBytes = gateWords(parties) * 4;
	const perAnd = 16 + 3 * stride + 3 * BLOCK_BYTES + 2 * hashBlocksPerAnd(parties) * BLOCK_BYTES + garblers * tableBytes + 4;
	const ands = Math.max(1, Math.min(MAX_CHUNK_ANDS, Math.floor(CHUNK_BUDGET_BYTES / perAnd)));
	let size = 0;
	const take = (bytes: number) => {
		const at = base + size;
		size += Math.ceil(bytes / BLOCK_BYTES) * BLOCK_BYTES;
		return at;
	};
	const addresses = {
		ands,
		delta: take(BLOCK_BYTES),
		gateIds: take(16 * ands),
		r0Words: take(ands * stride),
		alphaWords: take(ands * stride),
		betaWords: take(ands * stride),
		labelAlpha: take(3 * ands * BLOCK_BYTES),
		keys: take(ands * hashBlocksPerAnd(parties) * BLOCK_BYTES),
		pads: take(ands * hashBlocksPerAnd(parties) * BLOCK_BYTES),
		tables: take(garblers * ands * tableBytes),
		parts: take(3 * parties * BLOCK_BYTES),
		r0Bits: take(ands),
		alphaBits: take(ands),
		betaBits: take(ands),
		rows: take(ands)
	};
	return { ...addresses, bytes: size };
}
