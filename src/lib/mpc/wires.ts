import { BLOCK_WORDS } from '../crypto/block';
import { GATE_AND, GATE_XOR, type Circuit } from '../garble/circuit';
import { AuthBits } from './auth';
import { evaluateAnds, type EvaluatorState, type GarbleContext, type GarbleScratch, type SegmentAnds, type SegmentTables } from './garble';
import type { Schedule } from './schedule';

/*
 * The walks over a segment's gates, order positions [start, end), that every party makes
 * (WRK17 Fig. 2, steps 3–4: XOR and NOT gates are free) and the evaluator's pass.
 *
 * Shaped for V8 in a fresh party process, which pays for every compilation of its hot loops:
 * - each loop is a small function of its own: V8 optimises a function after a number of ticks
 *   that grows with its bytecode;
 * - each call is short (a slice of the segment, one run of free gates): a function first
 *   records type feedback some way into its first call, so a loop optimised in the middle of
 *   a long first call lacks feedback for the code before and after it and is thrown away on
 *   the next call, and a long call is optimised twice (once entered mid-loop, once whole);
 * - XOR and NOT share one code path (NOT adds a constant): NOT gates may first come long after
 *   the loop is optimised, and code first run after optimisation throws the optimised code away.
 */

/** Gates a walk over a segment takes per call. */
const WALK_SLICE_GATES = 128;

/** Garblers' part of a segment's walk. */
export interface GarblerLabels {
	/** The 0-label of every wire slot (Δ-offset labels: L_1 = L_0 ⊕ Δ). */
	labels: Uint32Array;
	delta: Uint32Array;
	/** The segment's AND gates, in order: their inputs' 0-labels (filled) and their outputs' fresh ones. */
	labelAlpha: Uint32Array;
	labelBeta: Uint32Array;
	labelGamma: Uint32Array;
}

/**
 * Every party's walk over a segment's wires. Masks λ: XOR adds, NOT keeps, and an AND gate's
 * output takes the fresh γ of its preprocessed triple; every AND gate's input masks go into
 * `alpha` and `beta`, its number and slots into `ands`, in the order of the segment. With
 * `garbler`, the 0-labels too: XOR adds, NOT's 0-label is the old 1-label (the evaluator flips
 * z), and an AND gate's output takes the next fresh label.
 */
export function walkSegment(
	circuit: Circuit,
	plan: Schedule,
	start: number,
	end: number,
	lambda: AuthBits,
	gamma: AuthBits | null,
	alpha: AuthBits,
	beta: AuthBits,
	ands: SegmentAnds,
	garbler: GarblerLabels | null
): void {
	const zero = new AuthBits(lambda.parties, lambda.me, 1);
	for (let from = start, q = 0; from < end; from += WALK_SLICE_GATES) {
		q = walkSlice(circuit, plan, from, Math.min(end, from + WALK_SLICE_GATES), q, lambda, gamma, alpha, beta, ands, zero, garbler);
	}
}

/**
 * walkSegment over positions [start, end), whose first AND gate is the segment's q-th; returns
 * the next q. `zero` holds one authenticated 0, which NOT gates add to their input's mask.
 */
function walkSlice(
	circuit: Circuit,
	plan: Schedule,
	start: number,
	end: number,
	q: number,
	lambda: AuthBits,
	gamma: AuthBits | null,
	alpha: AuthBits,
	beta: AuthBits,
	ands: SegmentAnds,
	zero: AuthBits,
	garbler: GarblerLabels | null
): number {
	const { gateKinds, gateIn0, gateIn1 } = circuit;
	const { order, wireSlot: slot, inputs } = plan;
	const labels = garbler?.labels;
	const delta = garbler?.delta;
	const labelAlpha = garbler?.labelAlpha;
	const labelBeta = garbler?.labelBeta;
	const labelGamma = garbler?.labelGamma;
	for (let t = start; t < end; t++) {
		const g = order[t];
		const kind = gateKinds[g];
		const a = slot[gateIn0[g]];
		const out = slot[inputs + g];
		if (kind === GATE_AND) {
			const b = slot[gateIn1[g]];
			alpha.copyFrom(q, lambda, a);
			beta.copyFrom(q, lambda, b);
			ands.gateIds[q] = g;
			ands.inA[q] = a;
			ands.inB[q] = b;
			ands.out[q] = out;
			lambda.copyFrom(out, gamma!, q);
			if (labels) {
				for (let w = 0; w < BLOCK_WORDS; w++) {
					labelAlpha![BLOCK_WORDS * q + w] = labels[BLOCK_WORDS * a + w];
					labelBeta![BLOCK_WORDS * q + w] = labels[BLOCK_WORDS * b + w];
					labels[BLOCK_WORDS * out + w] = labelGamma![BLOCK_WORDS * q + w];
				}
			}
			q++;
		} else {
			// XOR adds its inputs' masks and 0-labels; NOT adds 0 to the mask and Δ to the 0-label.
			const xor = kind === GATE_XOR;
			const b = xor ? slot[gateIn1[g]] : 0;
			lambda.setXor(out, lambda, a, xor ? lambda : zero, b);
			if (labels) {
				const other = xor ? labels : delta!;
				for (let w = 0; w < BLOCK_WORDS; w++) labels[BLOCK_WORDS * out + w] = labels[BLOCK_WORDS * a + w] ^ other[BLOCK_WORDS * b + w];
			}
		}
	}
	return q;
}

/**
 * The evaluator's pass over a segment: runs of XOR and NOT gates on masked values and labels,
 * and the AND gates of each depth (one batch, consecutive in the order) with evaluateAnds
 * (`segment` null: the segment has no AND gates).
 */
export function evaluateSegment(
	circuit: Circuit,
	plan: Schedule,
	start: number,
	end: number,
	ctx: GarbleContext,
	state: EvaluatorState,
	segment: SegmentTables | null,
	scratch: GarbleScratch
): void {
	const batchEnds = plan.andBatchEnds;
	let batch = firstAbove(batchEnds, start);
	let q = 0;
	let t = evaluateFreeGates(circuit, plan, start, end, state);
	while (t < end) {
		while (batchEnds[batch] <= t) batch++;
		const last = Math.min(end, batchEnds[batch]);
		evaluateAnds(ctx, segment!, q, last - t, state, scratch);
		q += last - t;
		t = evaluateFreeGates(circuit, plan, last, end, state);
	}
}

/** XOR and NOT gates from position `start` up to the next AND gate (or `end`), whose position it returns. */
function evaluateFreeGates(circuit: Circuit, plan: Schedule, start: number, end: number, state: EvaluatorState): number {
	const { gateKinds, gateIn0, gateIn1 } = circuit;
	const { order, wireSlot: slot, inputs } = plan;
	const stride = state.garblers * BLOCK_WORDS;
	const { z, labels } = state;
	let t = start;
	for (; t < end; t++) {
		const g = order[t];
		const kind = gateKinds[g];
		if (kind === GATE_AND) break;
		const a = slot[gateIn0[g]];
		const out = slot[inputs + g];
		// XOR adds; NOT flips z and keeps the label (the garblers swapped the 0- and 1-labels).
		const xor = kind === GATE_XOR;
		const b = xor ? slot[gateIn1[g]] : 0;
		z[out] = z[a] ^ (xor ? z[b] : 1);
		for (let w = 0; w < stride; w++) labels[out * stride + w] = labels[a * stride + w] ^ (xor ? labels[b * stride + w] : 0);
	}
	return t;
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
