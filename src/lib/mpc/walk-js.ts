import { GATE_AND, GATE_XOR } from '../garble/circuit';
import { evaluateAnds, garbleAnds } from './garble';
import type { WalkKernel, WalkLayout, WalkMemory } from './walk-kernel';
import { KIND_SHIFT, SLOT_MASK, TAPE_WORDS } from './walk-tape';

/*
 * The walk kernel in JavaScript (walk-kernel.ts; the fallback where WebAssembly SIMD is
 * missing), over an ArrayBuffer of its own; it garbles and evaluates AND gates with garble.ts
 * where they are, leaving the chunk area unused. Shaped for V8 in a fresh process, which pays for
 * every compilation of its hot loops: each loop is a small function called for a short slice of
 * the tape (a function first records type feedback some way into its first call, so a loop
 * optimised in the middle of a long first call lacks feedback for the code around it and is
 * thrown away on the next call), and XOR and NOT share one path (NOT adds a constant), since
 * code first run after optimisation throws the optimised code away.
 */

/** Tape positions per call of a loop. */
const SLICE_GATES = 128;

export const jsWalkKernel: WalkKernel = {
	name: 'js',
	memory(bytes) {
		// The zero block that NOT gates add to a mask sits at address 0, before the run's memory.
		return new JsWalkMemory(new ArrayBuffer(ZERO_BYTES + bytes), ZERO_BYTES);
	}
};

/** Room for the zero MACs and keys of a slot with 255 peers (32 bytes each), block-aligned. */
const ZERO_BYTES = 32 * 256;

/** Word views of the layout: the same addresses ÷ 4, and strides in words. */
interface WordLayout {
	tape: number;
	stride: number;
	lambdaBits: number;
	lambdaWords: number;
	labels: number;
	delta: number;
	gammaBits: number;
	gammaWords: number;
	alphaBits: number;
	alphaWords: number;
	betaBits: number;
	betaWords: number;
	andGates: number;
	andInA: number;
	andInB: number;
	andOut: number;
	labelAlpha: number;
	labelBeta: number;
	labelGamma: number;
	z: number;
	evalLabels: number;
	evalStride: number;
}

class JsWalkMemory implements WalkMemory {
	private readonly bytes: Uint8Array;
	private readonly words: Uint32Array;
	private at: WordLayout | null = null;

	constructor(
		readonly buffer: ArrayBuffer,
		readonly base: number
	) {
		this.bytes = new Uint8Array(buffer);
		this.words = new Uint32Array(buffer);
	}

	setLayout(layout: WalkLayout): void {
		const w = (address: number) => address >>> 2;
		const q = layout.andCapacity;
		this.at = {
			tape: w(layout.tape),
			stride: w(layout.strideBytes),
			lambdaBits: layout.lambdaBits,
			lambdaWords: w(layout.lambdaWords),
			labels: w(layout.labels),
			delta: w(layout.delta),
			gammaBits: layout.gammaBits,
			gammaWords: w(layout.gammaWords),
			alphaBits: layout.alphaBits,
			alphaWords: w(layout.alphaWords),
			betaBits: layout.betaBits,
			betaWords: w(layout.betaWords),
			andGates: w(layout.andGates),
			andInA: w(layout.andGates) + q,
			andInB: w(layout.andGates) + 2 * q,
			andOut: w(layout.andGates) + 3 * q,
			labelAlpha: w(layout.labelAlpha),
			labelBeta: w(layout.labelAlpha) + 4 * q,
			labelGamma: w(layout.labelAlpha) + 8 * q,
			z: layout.z,
			evalLabels: w(layout.evalLabels),
			evalStride: w(layout.evalStrideBytes)
		};
	}

	walkGates(count: number): number {
		const at = this.layout();
		let q = 0;
		for (let from = 0; from < count; from += SLICE_GATES) q = walkSlice(this.bytes, this.words, at, from, Math.min(count, from + SLICE_GATES), q);
		return q;
	}

	evaluateFreeGates(start: number, end: number): number {
		const at = this.layout();
		for (let from = start; from < end; from += SLICE_GATES) {
			const to = Math.min(end, from + SLICE_GATES);
			const stop = evaluateSlice(this.bytes, this.words, at, from, to);
			if (stop < to) return stop;
		}
		return Math.max(start, end);
	}

	garbleAnds: WalkMemory['garbleAnds'] = garbleAnds;

	evaluateAnds: WalkMemory['evaluateAnds'] = evaluateAnds;

	private layout(): WordLayout {
		if (!this.at) throw new Error('walk: no layout set');
		return this.at;
	}
}

/** walkGates over tape positions [from, to), whose first AND gate is the q-th; returns the next q. */
function walkSlice(bytes: Uint8Array, words: Uint32Array, at: WordLayout, from: number, to: number, q: number): number {
	const { stride, lambdaBits: lb, lambdaWords: lw } = at;
	const garbler = at.labels !== 0;
	for (let t = from; t < to; t++) {
		const entry = at.tape + TAPE_WORDS * t;
		const a = words[entry + 1];
		const tagged = words[entry + 3];
		const kind = tagged >>> KIND_SHIFT;
		const out = tagged & SLOT_MASK;
		if (kind === GATE_AND) {
			const b = words[entry + 2];
			bytes[at.alphaBits + q] = bytes[lb + a];
			bytes[at.betaBits + q] = bytes[lb + b];
			words.copyWithin(at.alphaWords + q * stride, lw + a * stride, lw + (a + 1) * stride);
			words.copyWithin(at.betaWords + q * stride, lw + b * stride, lw + (b + 1) * stride);
			words[at.andGates + q] = words[entry];
			words[at.andInA + q] = a;
			words[at.andInB + q] = b;
			words[at.andOut + q] = out;
			bytes[lb + out] = bytes[at.gammaBits + q];
			words.copyWithin(lw + out * stride, at.gammaWords + q * stride, at.gammaWords + (q + 1) * stride);
			if (garbler) {
				words.copyWithin(at.labelAlpha + 4 * q, at.labels + 4 * a, at.labels + 4 * a + 4);
				words.copyWithin(at.labelBeta + 4 * q, at.labels + 4 * b, at.labels + 4 * b + 4);
				words.copyWithin(at.labels + 4 * out, at.labelGamma + 4 * q, at.labelGamma + 4 * q + 4);
			}
			q++;
		} else {
			// XOR adds its inputs' masks and 0-labels; NOT adds the zero mask (at address 0) and Δ.
			const xor = kind === GATE_XOR;
			const b = words[entry + 2];
			const other = xor ? lw + b * stride : 0;
			bytes[lb + out] = bytes[lb + a] ^ (xor ? bytes[lb + b] : 0);
			for (let w = 0, o = lw + out * stride, p = lw + a * stride; w < stride; w++) words[o + w] = words[p + w] ^ words[other + w];
			if (garbler) {
				const add = xor ? at.labels + 4 * b : at.delta;
				for (let w = 0; w < 4; w++) words[at.labels + 4 * out + w] = words[at.labels + 4 * a + w] ^ words[add + w];
			}
		}
	}
	return q;
}

/** The evaluator's free gates over tape positions [from, to), up to the first AND gate; returns where it stopped. */
function evaluateSlice(bytes: Uint8Array, words: Uint32Array, at: WordLayout, from: number, to: number): number {
	const { z, evalLabels, evalStride: stride } = at;
	let t = from;
	for (; t < to; t++) {
		const entry = at.tape + TAPE_WORDS * t;
		const tagged = words[entry + 3];
		const kind = tagged >>> KIND_SHIFT;
		if (kind === GATE_AND) break;
		const a = words[entry + 1];
		const out = tagged & SLOT_MASK;
		// XOR adds; NOT flips z and keeps the labels (the zero block at address 0).
		const xor = kind === GATE_XOR;
		const b = words[entry + 2];
		const other = xor ? evalLabels + b * stride : 0;
		bytes[z + out] = bytes[z + a] ^ (xor ? bytes[z + b] : 1);
		for (let w = 0, o = evalLabels + out * stride, p = evalLabels + a * stride; w < stride; w++) words[o + w] = words[p + w] ^ words[other + w];
	}
	return t;
}
