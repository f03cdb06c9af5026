import { BLOCK_BYTES, BLOCK_WORDS } from '../crypto/block';
import type { Circuit } from '../garble/circuit';
import { AuthBits } from './auth';
import { EvaluatorState, type GarbleContext, type GarbleScratch, type SegmentAnds, type SegmentTables } from './garble';
import { chunkLayout } from './garble-chunk';
import type { Schedule } from './schedule';
import { walkKernel, type WalkLayout, type WalkMemory } from './walk-kernel';
import { MAX_TAPE_SLOTS, TAPE_WORDS, writeTape } from './walk-tape';

/*
 * A party's state by wire slot (WRK17 Fig. 2: the masks λ with their MACs and keys, the
 * garblers' 0-labels, the evaluator's masked values and labels) in a memory of the walk kernel
 * (walk-kernel.ts), which walks each segment's gates there: XOR and NOT gates are free (steps
 * 3–4), and the evaluator evaluates them between its batches of AND gates. The memory is laid
 * out once per run, for the largest segment of the schedule, and never moves, so the rest of
 * the protocol works on views of it.
 */

/** What a party is in the run: a garbler (with its Δ) or the evaluator. */
export type WireRole = { garbler: { delta: Uint32Array } } | { evaluator: true };

/** A segment's AND gates as the walk found them (copies: the staging area serves the next segment). */
export interface WalkedSegment {
	/** The AND gates' input masks, in the order of the segment. */
	alpha: AuthBits;
	beta: AuthBits;
	ands: SegmentAnds;
	/** Garblers: the AND gates' input 0-labels. */
	labelAlpha: Uint32Array | null;
	labelBeta: Uint32Array | null;
	/** The evaluator: the segment's tape, for its pass once the tables are in. */
	tape: Uint32Array | null;
}

export class WireState {
	readonly lambda: AuthBits;
	/** Garblers: the 0-label of every wire slot (Δ-offset labels: L_1 = L_0 ⊕ Δ). */
	readonly labels: Uint32Array | null;
	readonly evaluator: EvaluatorState | null;
	private readonly memory: WalkMemory;
	private readonly layout: WalkLayout;
	private readonly bytes: Uint8Array;
	private readonly words: Uint32Array;

	constructor(parties: number, me: number, plan: Schedule, role: WireRole) {
		const { slots } = plan;
		if (slots > MAX_TAPE_SLOTS) throw new Error(`the schedule needs ${slots} wire slots, more than the walk's ${MAX_TAPE_SLOTS}`);
		const strideBytes = 32 * (parties - 1);
		const garblers = parties - 1;
		const andCapacity = Math.max(1, ...plan.segmentAnds);
		let gates = 1;
		for (let s = 0, start = 0; s < plan.segmentEnds.length; start = plan.segmentEnds[s++]) gates = Math.max(gates, plan.segmentEnds[s] - start);
		const garbler = 'garbler' in role;
		// Blocks first, bytes last: every block-sized region stays 16-byte aligned.
		let size = 0;
		const take = (bytes: number) => {
			const at = size;
			size += Math.ceil(bytes / BLOCK_BYTES) * BLOCK_BYTES;
			return at;
		};
		const offsets = {
			tape: take(gates * TAPE_WORDS * 4),
			lambdaWords: take(slots * strideBytes),
			labels: garbler ? take(slots * BLOCK_BYTES) : -1,
			delta: garbler ? take(BLOCK_BYTES) : -1,
			evalLabels: garbler ? -1 : take(slots * garblers * BLOCK_BYTES),
			gammaWords: take(andCapacity * strideBytes),
			alphaWords: take(andCapacity * strideBytes),
			betaWords: take(andCapacity * strideBytes),
			andGates: take(4 * andCapacity * 4),
			labelAlpha: take(3 * andCapacity * BLOCK_BYTES),
			chunk: take(chunkLayout(0, parties).bytes),
			lambdaBits: take(slots),
			z: garbler ? -1 : take(slots),
			gammaBits: take(andCapacity),
			alphaBits: take(andCapacity),
			betaBits: take(andCapacity)
		};
		this.memory = walkKernel().memory(size);
		const { base, buffer } = this.memory;
		const at = (offset: number) => (offset < 0 ? 0 : base + offset);
		this.layout = {
			tape: at(offsets.tape),
			strideBytes,
			lambdaBits: at(offsets.lambdaBits),
			lambdaWords: at(offsets.lambdaWords),
			labels: at(offsets.labels),
			delta: at(offsets.delta),
			gammaBits: at(offsets.gammaBits),
			gammaWords: at(offsets.gammaWords),
			alphaBits: at(offsets.alphaBits),
			alphaWords: at(offsets.alphaWords),
			betaBits: at(offsets.betaBits),
			betaWords: at(offsets.betaWords),
			andGates: at(offsets.andGates),
			labelAlpha: at(offsets.labelAlpha),
			z: at(offsets.z),
			evalLabels: at(offsets.evalLabels),
			evalStrideBytes: garblers * BLOCK_BYTES,
			andCapacity,
			chunk: at(offsets.chunk)
		};
		this.memory.setLayout(this.layout);
		this.bytes = new Uint8Array(buffer);
		this.words = new Uint32Array(buffer);
		const layout = this.layout;
		this.lambda = new AuthBits(parties, me, slots, this.byteView(layout.lambdaBits, slots), this.wordView(layout.lambdaWords, slots * strideBytes));
		if ('garbler' in role) {
			this.labels = this.wordView(layout.labels, slots * BLOCK_BYTES);
			this.wordView(layout.delta, BLOCK_BYTES).set(role.garbler.delta);
			this.evaluator = null;
		} else {
			this.labels = null;
			this.evaluator = new EvaluatorState(parties, slots, this.byteView(layout.z, slots), this.wordView(layout.evalLabels, slots * garblers * BLOCK_BYTES));
		}
	}

	/**
	 * Walks order positions [start, end): masks λ (XOR adds, NOT keeps, an AND gate's output
	 * takes the fresh γ of its preprocessed triple, `gamma`), and for garblers the 0-labels (XOR
	 * adds, NOT adds Δ, an AND gate's output takes the next of `labelGamma`).
	 */
	walkSegment(circuit: Circuit, plan: Schedule, start: number, end: number, gamma: AuthBits | null, labelGamma: Uint32Array | null): WalkedSegment {
		const layout = this.layout;
		const gates = end - start;
		writeTape(circuit, plan, start, end, this.wordView(layout.tape, gates * TAPE_WORDS * 4));
		if (gamma) {
			this.bytes.set(gamma.bits, layout.gammaBits);
			this.words.set(gamma.words, layout.gammaWords >>> 2);
		}
		if (labelGamma) this.words.set(labelGamma, (layout.labelAlpha >>> 2) + 2 * layout.andCapacity * BLOCK_WORDS);
		const count = this.memory.walkGates(gates);
		if (count !== (gamma?.count ?? 0)) throw new Error(`walk: the segment has ${count} AND gates, its material ${gamma?.count ?? 0}`);
		const { parties, me } = this.lambda;
		const strideBytes = layout.strideBytes;
		const copy = (bits: number, words: number) => new AuthBits(parties, me, count, this.byteView(bits, count).slice(), this.wordView(words, count * strideBytes).slice());
		const andWords = (i: number) => this.wordView(layout.andGates + 4 * i * layout.andCapacity, 4 * count).slice();
		const labelsAt = (i: number) => this.wordView(layout.labelAlpha + i * layout.andCapacity * BLOCK_BYTES, count * BLOCK_BYTES).slice();
		return {
			alpha: copy(layout.alphaBits, layout.alphaWords),
			beta: copy(layout.betaBits, layout.betaWords),
			ands: { gateIds: andWords(0), inA: andWords(1), inB: andWords(2), out: andWords(3) },
			labelAlpha: this.labels ? labelsAt(0) : null,
			labelBeta: this.labels ? labelsAt(1) : null,
			tape: this.evaluator ? this.wordView(layout.tape, gates * TAPE_WORDS * 4).slice() : null
		};
	}

	/** A garbler's tables of a walked segment's AND gates (garble.ts garbleAnds), by the memory's kernel. */
	garbleAnds(ctx: GarbleContext, segment: WalkedSegment, r0: AuthBits, labelGamma: Uint32Array, scratch: GarbleScratch): Uint32Array {
		const { ands, alpha, beta } = segment;
		return this.memory.garbleAnds(ctx, r0.count, ands.gateIds, r0, alpha, beta, segment.labelAlpha!, segment.labelBeta!, labelGamma, scratch);
	}

	/**
	 * The evaluator's pass over a walked segment (order positions [start, end), its `tape`): runs
	 * of XOR and NOT gates on masked values and labels, and the AND gates of each depth (one
	 * batch, consecutive in the order) with evaluateAnds (`segment` null: it has no AND gates).
	 */
	evaluateSegment(plan: Schedule, start: number, end: number, tape: Uint32Array, ctx: GarbleContext, segment: SegmentTables | null, scratch: GarbleScratch): void {
		this.words.set(tape, this.layout.tape >>> 2);
		const batchEnds = plan.andBatchEnds;
		let batch = firstAbove(batchEnds, start);
		let q = 0;
		let t = start + this.memory.evaluateFreeGates(0, end - start);
		while (t < end) {
			while (batchEnds[batch] <= t) batch++;
			const last = Math.min(end, batchEnds[batch]);
			this.memory.evaluateAnds(ctx, segment!, q, last - t, this.evaluator!, scratch);
			q += last - t;
			t = start + this.memory.evaluateFreeGates(last - start, end - start);
		}
	}

	private byteView(at: number, bytes: number): Uint8Array {
		return this.bytes.subarray(at, at + bytes);
	}

	private wordView(at: number, bytes: number): Uint32Array {
		return this.words.subarray(at >>> 2, (at + bytes) >>> 2);
	}
}

/** The index of the first entry of the ascending `values` above `bound` (values.length if none). */
function firstAbove(values: Uint32Array, bound: number): number {
	let low = 0;
	let high = values.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (values[middle] > bound) high = middle;
		else low = middle + 1;
	}
	return low;
}
