import type { AuthBits } from './auth';
import type { EvaluatorState, GarbleContext, GarbleScratch, SegmentTables } from './garble';
import { jsWalkKernel } from './walk-js';

/*
 * The walks over a segment's gates (WRK17 Fig. 2, steps 3–4: XOR and NOT gates are free) and
 * the evaluator's free gates, as a kernel that works in a run's own memory: the WebAssembly
 * one (wasm/walk.ts), which a fresh party process runs at full speed from its first gate, or
 * the JavaScript one (walk-js.ts) where WebAssembly SIMD is missing. Both read a tape of the
 * segment's gates (walk-tape.ts).
 */

/**
 * Byte addresses in a run's memory (0 where the party has none): its state, by wire slot, and
 * the staging area of the segment being walked, by the AND gate's index q in it.
 */
export interface WalkLayout {
	readonly tape: number;
	/** Bytes of a slot's MACs and keys: 32 per peer. */
	readonly strideBytes: number;
	readonly lambdaBits: number;
	readonly lambdaWords: number;
	/** Garblers: every slot's 0-label, and Δ. */
	readonly labels: number;
	readonly delta: number;
	readonly gammaBits: number;
	readonly gammaWords: number;
	readonly alphaBits: number;
	readonly alphaWords: number;
	readonly betaBits: number;
	readonly betaWords: number;
	/** The AND gates' numbers, then input slots a, then b, then output slots: `andCapacity` words each. */
	readonly andGates: number;
	/** The AND gates' input labels α, then β, then their fresh output labels γ: `andCapacity` blocks each. */
	readonly labelAlpha: number;
	/** The evaluator: every slot's masked value and its labels (one block per garbler). */
	readonly z: number;
	readonly evalLabels: number;
	readonly evalStrideBytes: number;
	/** AND gates the staging area holds. */
	readonly andCapacity: number;
	/** The chunk area (garble-chunk.ts), where a kernel in WebAssembly garbles and evaluates. */
	readonly chunk: number;
}

/** A run's memory: `buffer`'s bytes from `base` on are the run's, and `buffer` never changes. */
export interface WalkMemory {
	readonly buffer: ArrayBuffer;
	readonly base: number;
	/** Sets where everything is; the addresses are absolute (from `base` on). */
	setLayout(layout: WalkLayout): void;
	/** Walks the tape's first `count` gates; returns how many were AND gates. */
	walkGates(count: number): number;
	/** The evaluator's XOR and NOT gates from tape position `start` to the next AND gate or `end`; returns where it stopped. */
	evaluateFreeGates(start: number, end: number): number;
	/** garble.ts garbleAnds, for the segment just walked or an earlier one. */
	garbleAnds(ctx: GarbleContext, count: number, gateIds: Uint32Array, r0: AuthBits, alpha: AuthBits, beta: AuthBits, labelAlpha: Uint32Array, labelBeta: Uint32Array, labelGamma: Uint32Array, scratch: GarbleScratch): Uint32Array;
	/** garble.ts evaluateAnds on the evaluator's state in this memory. */
	evaluateAnds(ctx: GarbleContext, segment: SegmentTables, first: number, count: number, state: EvaluatorState, scratch: GarbleScratch): void;
}

export interface WalkKernel {
	readonly name: string;
	/** A fresh, zeroed memory of at least `bytes` bytes from its base on. */
	memory(bytes: number): WalkMemory;
}

let kernel: WalkKernel = jsWalkKernel;

export function walkKernel(): WalkKernel {
	return kernel;
}

/** Selects the walk kernel for runs started from now on (the kernel sets install one). */
export function setWalkKernel(next: WalkKernel): void {
	kernel = next;
}
