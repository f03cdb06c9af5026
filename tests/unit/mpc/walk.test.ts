// The walks over a segment's gates (masks, garblers' labels, the evaluator's free gates) in both
// walk kernels, against a reference that follows every wire by its number, not by its slot.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATE_AND, GATE_NOT, GATE_XOR, totalInputBits, type Circuit } from '../../../src/lib/garble/circuit';
import { AuthBits } from '../../../src/lib/mpc/auth';
import { GarbleScratch } from '../../../src/lib/mpc/garble';
import { schedule } from '../../../src/lib/mpc/schedule';
import { jsWalkKernel } from '../../../src/lib/mpc/walk-js';
import { setWalkKernel, type WalkKernel } from '../../../src/lib/mpc/walk-kernel';
import { WireState } from '../../../src/lib/mpc/wires';
import { wasmKernels } from '../../helpers/kernels';
import { randomCircuit, seeded } from './helpers';

const kernels: Record<string, WalkKernel> = { js: jsWalkKernel };

beforeAll(async () => {
	kernels['wasm-simd'] = (await wasmKernels()).walk;
});
afterEach(() => setWalkKernel(jsWalkKernel));

const words = (count: number, random: () => number) => Uint32Array.from({ length: count }, () => (random() * 2 ** 32) >>> 0);
const bits = (count: number, random: () => number) => Uint8Array.from({ length: count }, () => (random() < 0.5 ? 1 : 0));

/** A wire's state in the reference: its mask bit with MACs and keys, and a block (a label, or the evaluator's labels). */
interface WireValue {
	bit: number;
	words: Uint32Array;
	label: Uint32Array;
}

const xorWords = (a: Uint32Array, b: Uint32Array) => a.map((v, i) => v ^ b[i]);

/** A circuit of XOR and NOT gates only (the evaluator's free gates need no garbled tables). */
function freeCircuit(random: () => number): Circuit {
	const circuit = randomCircuit([40, 30, 20], 3000, 40, random);
	const gateKinds = circuit.gateKinds.map((kind) => (kind === GATE_AND ? GATE_XOR : kind));
	return { ...circuit, gateKinds };
}

describe.each(['js', 'wasm-simd'])('the %s walk kernel', (name) => {
	for (const parties of [2, 3, 5]) {
		it(`walks masks and a garbler's labels segment by segment (${parties} parties)`, () => {
			setWalkKernel(kernels[name]);
			const random = seeded(100 + parties);
			const circuit = randomCircuit([40, 30, 20], 4000, 60, random);
			const plan = schedule(circuit, 256);
			expect(plan.segmentEnds.length).toBeGreaterThan(3);
			const me = 1;
			const stride = 8 * (parties - 1);
			const delta = words(4, random);
			const state = new WireState(parties, me, plan, { garbler: { delta } });
			const inputs = totalInputBits(circuit);
			const wire: WireValue[] = [];
			for (let w = 0; w < inputs; w++) {
				wire[w] = { bit: random() < 0.5 ? 1 : 0, words: words(stride, random), label: words(4, random) };
				// Input wire w lives in slot w.
				state.lambda.bits[w] = wire[w].bit;
				state.lambda.words.set(wire[w].words, w * stride);
				state.labels!.set(wire[w].label, 4 * w);
			}
			for (let s = 0, start = 0; s < plan.segmentEnds.length; start = plan.segmentEnds[s++]) {
				const end = plan.segmentEnds[s];
				const count = plan.segmentAnds[s];
				const gamma = new AuthBits(parties, me, count, bits(count, random), words(count * stride, random));
				const labelGamma = words(4 * count, random);
				const walked = state.walkSegment(circuit, plan, start, end, count > 0 ? gamma : null, labelGamma);
				let q = 0;
				for (let t = start; t < end; t++) {
					const g = plan.order[t];
					const [a, b, out] = [circuit.gateIn0[g], circuit.gateIn1[g], inputs + g];
					const kind = circuit.gateKinds[g];
					if (kind === GATE_AND) {
						expect([walked.alpha.bits[q], walked.beta.bits[q]]).toEqual([wire[a].bit, wire[b].bit]);
						expect(walked.alpha.words.subarray(q * stride, (q + 1) * stride)).toEqual(wire[a].words);
						expect(walked.beta.words.subarray(q * stride, (q + 1) * stride)).toEqual(wire[b].words);
						expect(walked.labelAlpha!.subarray(4 * q, 4 * q + 4)).toEqual(wire[a].label);
						expect(walked.labelBeta!.subarray(4 * q, 4 * q + 4)).toEqual(wire[b].label);
						const { ands } = walked;
						expect([ands.gateIds[q], ands.inA[q], ands.inB[q], ands.out[q]]).toEqual([g, plan.wireSlot[a], plan.wireSlot[b], plan.wireSlot[out]]);
						wire[out] = { bit: gamma.bits[q], words: gamma.words.slice(q * stride, (q + 1) * stride), label: labelGamma.slice(4 * q, 4 * q + 4) };
						q++;
					} else if (kind === GATE_XOR) {
						wire[out] = { bit: wire[a].bit ^ wire[b].bit, words: xorWords(wire[a].words, wire[b].words), label: xorWords(wire[a].label, wire[b].label) };
					} else {
						wire[out] = { bit: wire[a].bit, words: wire[a].words, label: xorWords(wire[a].label, delta) };
					}
				}
				expect(walked.alpha.count).toBe(count);
				expect(q).toBe(count);
			}
			for (const w of circuit.outputs) {
				const slot = plan.wireSlot[w];
				expect(state.lambda.bits[slot]).toBe(wire[w].bit);
				expect(state.lambda.words.subarray(slot * stride, (slot + 1) * stride)).toEqual(wire[w].words);
				expect(state.labels!.subarray(4 * slot, 4 * slot + 4)).toEqual(wire[w].label);
			}
		});

		it(`walks the evaluator's free gates (${parties} parties)`, () => {
			setWalkKernel(kernels[name]);
			const random = seeded(200 + parties);
			const circuit = freeCircuit(random);
			expect(circuit.gateKinds).toContain(GATE_NOT);
			const plan = schedule(circuit, 256);
			const me = 0;
			const garblers = parties - 1;
			const state = new WireState(parties, me, plan, { evaluator: true });
			const evaluator = state.evaluator!;
			const inputs = totalInputBits(circuit);
			const z: number[] = [];
			const labels: Uint32Array[] = [];
			for (let w = 0; w < inputs; w++) {
				z[w] = random() < 0.5 ? 1 : 0;
				labels[w] = words(4 * garblers, random);
				evaluator.z[w] = z[w];
				evaluator.labels.set(labels[w], 4 * garblers * w);
			}
			const ctx = { parties, me, evaluator: me, delta: words(4, random) };
			const scratch = new GarbleScratch(parties);
			for (let s = 0, start = 0; s < plan.segmentEnds.length; start = plan.segmentEnds[s++]) {
				const end = plan.segmentEnds[s];
				const walked = state.walkSegment(circuit, plan, start, end, null, null);
				state.evaluateSegment(plan, start, end, walked.tape!, ctx, null, scratch);
			}
			for (const g of plan.order) {
				const [a, b, out] = [circuit.gateIn0[g], circuit.gateIn1[g], inputs + g];
				const xor = circuit.gateKinds[g] === GATE_XOR;
				z[out] = z[a] ^ (xor ? z[b] : 1);
				labels[out] = xor ? xorWords(labels[a], labels[b]) : labels[a];
			}
			const stride = 4 * garblers;
			for (const w of circuit.outputs) {
				const slot = plan.wireSlot[w];
				expect(evaluator.z[slot]).toBe(z[w]);
				expect(evaluator.labels.subarray(slot * stride, (slot + 1) * stride)).toEqual(labels[w]);
			}
		});
	}
});

it('says how much memory a run would need where WebAssembly cannot give it', () => {
	expect(() => kernels['wasm-simd'].memory(5 * 2 ** 30)).toThrow(/^the run's wire state needs 5120 MiB, which this engine could not give a WebAssembly memory \(at most 4 GiB\): /);
});
