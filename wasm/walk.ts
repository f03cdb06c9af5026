// The walks over a segment's gates that every party makes (WRK17 Fig. 2, steps 3–4: XOR and
// NOT gates are free) and the evaluator's free gates, as src/lib/mpc/walk-kernel.ts defines
// them: on a tape of the segment's gates and on a run's state, at the addresses that
// walkLayout sets. Each run instantiates this module anew, so the layout lives in globals of
// its own instance. Strides are multiples of 32 bytes, labels 16 bytes.

/** The tape: per position, the gate's number, its input slots a and b, and its output slot with the kind in the top two bits. */
let tape: usize = 0;
/** Bytes of a slot's MACs and keys (λ's words). */
let stride: usize = 0;
let lambdaBits: usize = 0;
let lambdaWords: usize = 0;
/** Garblers: each slot's 0-label and Δ (labels 0: not a garbler). */
let labels: usize = 0;
let delta: usize = 0;
/** The segment's AND gates, by their index q in it. */
let gammaBits: usize = 0;
let gammaWords: usize = 0;
let alphaBits: usize = 0;
let alphaWords: usize = 0;
let betaBits: usize = 0;
let betaWords: usize = 0;
let andGates: usize = 0;
let andInA: usize = 0;
let andInB: usize = 0;
let andOut: usize = 0;
let labelAlpha: usize = 0;
let labelBeta: usize = 0;
let labelGamma: usize = 0;
/** The evaluator: each slot's masked value z and its labels (one per garbler, `evalStride` bytes). */
export let z: usize = 0;
export let evalLabels: usize = 0;
export let evalStride: usize = 0;

const KIND_SHIFT: u32 = 30;
const SLOT_MASK: u32 = (1 << KIND_SHIFT) - 1;
const GATE_XOR: u32 = 0;
const GATE_AND: u32 = 1;

/** Sets the addresses of a run's state and of the segment's staging area (byte addresses; 0 where the party has none). */
export function walkLayout(
	tapeAt: usize,
	strideBytes: usize,
	lambdaBitsAt: usize,
	lambdaWordsAt: usize,
	labelsAt: usize,
	deltaAt: usize,
	gammaBitsAt: usize,
	gammaWordsAt: usize,
	alphaBitsAt: usize,
	alphaWordsAt: usize,
	betaBitsAt: usize,
	betaWordsAt: usize,
	andGatesAt: usize,
	labelAlphaAt: usize,
	zAt: usize,
	evalLabelsAt: usize,
	evalStrideBytes: usize,
	andCapacity: usize
): void {
	tape = tapeAt;
	stride = strideBytes;
	lambdaBits = lambdaBitsAt;
	lambdaWords = lambdaWordsAt;
	labels = labelsAt;
	delta = deltaAt;
	gammaBits = gammaBitsAt;
	gammaWords = gammaWordsAt;
	alphaBits = alphaBitsAt;
	alphaWords = alphaWordsAt;
	betaBits = betaBitsAt;
	betaWords = betaWordsAt;
	andGates = andGatesAt;
	andInA = andGatesAt + 4 * andCapacity;
	andInB = andGatesAt + 8 * andCapacity;
	andOut = andGatesAt + 12 * andCapacity;
	labelAlpha = labelAlphaAt;
	labelBeta = labelAlphaAt + 16 * andCapacity;
	labelGamma = labelAlphaAt + 32 * andCapacity;
	z = zAt;
	evalLabels = evalLabelsAt;
	evalStride = evalStrideBytes;
}

@inline
function copyBlocks(to: usize, from: usize, bytes: usize): void {
	for (let i: usize = 0; i < bytes; i += 16) v128.store(to + i, v128.load(from + i));
}

@inline
function xorBlocks(to: usize, a: usize, b: usize, bytes: usize): void {
	for (let i: usize = 0; i < bytes; i += 16) v128.store(to + i, v128.xor(v128.load(a + i), v128.load(b + i)));
}

/**
 * Masks λ of the tape's first `count` gates: XOR adds, NOT keeps, and the q-th AND gate's output
 * takes γ[q]; its input masks go to α[q] and β[q], its number and slots to the AND gate list.
 * Garblers' 0-labels too: XOR adds, NOT adds Δ, and an AND gate's output takes the fresh label
 * γ[q], its inputs' labels going to the label lists. Returns the number of AND gates.
 */
export function walkGates(count: u32): u32 {
	let q: usize = 0;
	const garbler = labels != 0;
	for (let t: usize = 0; t < <usize>count; t++) {
		const entry = tape + 16 * t;
		const g = load<u32>(entry);
		const a = <usize>load<u32>(entry, 4);
		const b = <usize>load<u32>(entry, 8);
		const tagged = load<u32>(entry, 12);
		const kind = tagged >> KIND_SHIFT;
		const out = <usize>(tagged & SLOT_MASK);
		if (kind == GATE_AND) {
			store<u8>(alphaBits + q, load<u8>(lambdaBits + a));
			store<u8>(betaBits + q, load<u8>(lambdaBits + b));
			copyBlocks(alphaWords + q * stride, lambdaWords + a * stride, stride);
			copyBlocks(betaWords + q * stride, lambdaWords + b * stride, stride);
			store<u32>(andGates + 4 * q, g);
			store<u32>(andInA + 4 * q, <u32>a);
			store<u32>(andInB + 4 * q, <u32>b);
			store<u32>(andOut + 4 * q, <u32>out);
			store<u8>(lambdaBits + out, load<u8>(gammaBits + q));
			copyBlocks(lambdaWords + out * stride, gammaWords + q * stride, stride);
			if (garbler) {
				v128.store(labelAlpha + 16 * q, v128.load(labels + 16 * a));
				v128.store(labelBeta + 16 * q, v128.load(labels + 16 * b));
				v128.store(labels + 16 * out, v128.load(labelGamma + 16 * q));
			}
			q++;
		} else if (kind == GATE_XOR) {
			store<u8>(lambdaBits + out, load<u8>(lambdaBits + a) ^ load<u8>(lambdaBits + b));
			xorBlocks(lambdaWords + out * stride, lambdaWords + a * stride, lambdaWords + b * stride, stride);
			if (garbler) v128.store(labels + 16 * out, v128.xor(v128.load(labels + 16 * a), v128.load(labels + 16 * b)));
		} else {
			store<u8>(lambdaBits + out, load<u8>(lambdaBits + a));
			copyBlocks(lambdaWords + out * stride, lambdaWords + a * stride, stride);
			if (garbler) v128.store(labels + 16 * out, v128.xor(v128.load(labels + 16 * a), v128.load(delta)));
		}
	}
	return <u32>q;
}

/**
 * The evaluator's XOR and NOT gates from tape position `start` up to the next AND gate (or
 * `end`), whose position it returns: XOR adds masked values and labels, NOT flips z and keeps
 * the labels (the garblers swapped the 0- and 1-labels).
 */
export function evaluateFreeGates(start: u32, end: u32): u32 {
	let t = start;
	for (; t < end; t++) {
		const entry = tape + 16 * <usize>t;
		const a = <usize>load<u32>(entry, 4);
		const b = <usize>load<u32>(entry, 8);
		const tagged = load<u32>(entry, 12);
		const kind = tagged >> KIND_SHIFT;
		if (kind == GATE_AND) break;
		const out = <usize>(tagged & SLOT_MASK);
		if (kind == GATE_XOR) {
			store<u8>(z + out, load<u8>(z + a) ^ load<u8>(z + b));
			xorBlocks(evalLabels + out * evalStride, evalLabels + a * evalStride, evalLabels + b * evalStride, evalStride);
		} else {
			store<u8>(z + out, load<u8>(z + a) ^ 1);
			copyBlocks(evalLabels + out * evalStride, evalLabels + a * evalStride, evalStride);
		}
	}
	return t;
}
