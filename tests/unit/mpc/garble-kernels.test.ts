// Garbling and evaluating AND gates in the WebAssembly kernel (wasm/garble.ts, chunk by chunk)
// against garble.ts, on honestly authenticated shares: the same rows, the same output labels,
// and labels that are the right ones (L_γ,0 ⊕ z_γ·Δ_j), and the same abort on a forged row.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthBits } from '../../../src/lib/mpc/auth';
import { evaluateAnds, EvaluatorState, garbleAnds, GarbleScratch, gateWords, type GarbleContext, type SegmentTables } from '../../../src/lib/mpc/garble';
import { chunkLayout } from '../../../src/lib/mpc/garble-chunk';
import type { WalkKernel, WalkMemory } from '../../../src/lib/mpc/walk-kernel';
import { wasmKernels } from '../../helpers/kernels';
import { authenticatedBits, randomWords, seeded } from './helpers';

let wasm: WalkKernel;
beforeAll(async () => {
	wasm = (await wasmKernels()).walk;
});

const words = randomWords;
const bit = (random: () => number) => (random() < 0.5 ? 1 : 0);

/** A walk memory of the WebAssembly kernel with the evaluator's state for `slots` slots and the chunk area. */
function wasmMemory(parties: number, slots: number): { memory: WalkMemory; z: Uint8Array; labels: Uint32Array } {
	const garblers = parties - 1;
	const evalLabelsBytes = slots * garblers * 16;
	const chunkBytes = chunkLayout(0, parties).bytes;
	const memory = wasm.memory(evalLabelsBytes + chunkBytes + slots);
	const { base, buffer } = memory;
	const [evalLabels, chunk, z] = [base, base + evalLabelsBytes, base + evalLabelsBytes + chunkBytes];
	// Only the evaluator's state and the chunk area: the walks are not used here.
	const unused = { tape: 0, lambdaBits: 0, lambdaWords: 0, labels: 0, delta: 0, gammaBits: 0, gammaWords: 0, andGates: 0, labelAlpha: 0, andCapacity: 0 };
	const noShares = { alphaBits: 0, alphaWords: 0, betaBits: 0, betaWords: 0 };
	memory.setLayout({ ...unused, ...noShares, strideBytes: 32 * garblers, z, evalLabels, evalStrideBytes: garblers * 16, chunk });
	return { memory, z: new Uint8Array(buffer, z, slots), labels: new Uint32Array(buffer, evalLabels, evalLabelsBytes / 4) };
}

describe('garbling and evaluation in the WebAssembly kernel', () => {
	for (const [parties, evaluator] of [[2, 0], [3, 0], [3, 2], [5, 1]]) {
		it(`gives garble.ts's rows and outputs, chunk by chunk (${parties} parties, evaluator ${evaluator})`, () => {
			const random = seeded(300 + 10 * parties + evaluator);
			const count = 700;
			const garblers = Array.from({ length: parties }, (_, p) => p).filter((p) => p !== evaluator);
			expect(chunkLayout(0, parties).ands).toBeLessThan(count / 2);
			const deltas = Array.from({ length: parties }, () => words(4, random));
			const [r0, alpha, beta] = [0, 1, 2].map(() => authenticatedBits(deltas, count, random));
			const gateIds = words(count, random).map((w) => w >>> 2);
			// Slots: gate q reads q and count + q and writes 2·count + q.
			const slots = 3 * count;
			const slotsFrom = (first: number) => Uint32Array.from({ length: count }, (_, q) => first + q);
			const ands = { gateIds, inA: slotsFrom(0), inB: slotsFrom(count), out: slotsFrom(2 * count) };
			const labels = garblers.map(() => ({ alpha: words(4 * count, random), beta: words(4 * count, random), gamma: words(4 * count, random) }));
			const ctxOf = (me: number): GarbleContext => ({ parties, me, evaluator, delta: deltas[me] });

			const tables = garblers.map((j, g) => {
				const { alpha: la, beta: lb, gamma: lg } = labels[g];
				const reference = garbleAnds(ctxOf(j), count, gateIds, r0[j], alpha[j], beta[j], la, lb, lg, new GarbleScratch(parties));
				const { memory } = wasmMemory(parties, 1);
				const rows = memory.garbleAnds(ctxOf(j), count, gateIds, r0[j], alpha[j], beta[j], la, lb, lg, new GarbleScratch(parties));
				expect(rows.length).toBe(count * gateWords(parties));
				expect(rows).toEqual(reference);
				return rows;
			});

			// The evaluator holds L_w,z_w of every garbler for the input wires of each gate.
			const reference = new EvaluatorState(parties, slots, new Uint8Array(slots), new Uint32Array(slots * (parties - 1) * 4));
			const { memory, z, labels: wasmLabels } = wasmMemory(parties, slots);
			for (let q = 0; q < count; q++) {
				for (const [slot, key] of [[ands.inA[q], 'alpha'], [ands.inB[q], 'beta']] as const) {
					reference.z[slot] = bit(random);
					garblers.forEach((j, g) => {
						const label = labels[g][key].slice(4 * q, 4 * q + 4).map((w, i) => w ^ (reference.z[slot] ? deltas[j][i] : 0));
						reference.labels.set(label, (slot * (parties - 1) + g) * 4);
					});
				}
			}
			z.set(reference.z);
			wasmLabels.set(reference.labels);
			const segment: SegmentTables = { ands, tables, r0: r0[evaluator], alpha: alpha[evaluator], beta: beta[evaluator] };
			const evaluatorCtx = ctxOf(evaluator);
			evaluateAnds(evaluatorCtx, segment, 0, count, reference, new GarbleScratch(parties));
			memory.evaluateAnds(evaluatorCtx, segment, 0, 300, reference, new GarbleScratch(parties));
			memory.evaluateAnds(evaluatorCtx, segment, 300, count - 300, reference, new GarbleScratch(parties));
			expect(z).toEqual(reference.z);
			expect(wasmLabels).toEqual(reference.labels);

			// And they are right: z_γ = r0 ⊕ z_β·α ⊕ z_α·β ⊕ z_α·z_β over all shares, L^j = L^j_γ,0 ⊕ z_γ·Δ_j.
			const open = (shares: AuthBits[], q: number) => shares.reduce((x, s) => x ^ s.bits[q], 0);
			for (let q = 0; q < count; q++) {
				const [za, zb] = [z[ands.inA[q]], z[ands.inB[q]]];
				const zg = open(r0, q) ^ (zb & open(alpha, q)) ^ (za & open(beta, q)) ^ (za & zb);
				expect(z[ands.out[q]]).toBe(zg);
				garblers.forEach((j, g) => {
					const expected = labels[g].gamma.slice(4 * q, 4 * q + 4).map((w, i) => (w ^ (zg ? deltas[j][i] : 0)) >>> 0);
					const at = (ands.out[q] * (parties - 1) + g) * 4;
					expect(wasmLabels.slice(at, at + 4)).toEqual(expected);
				});
			}

			// A garbler that flips a bit of its share's MAC to the evaluator in gate 450's rows is caught, by both.
			const cheat = garblers.length - 1;
			const forged = tables.map((t) => t.slice());
			const q = 450;
			const macAt = 4 * (evaluator < garblers[cheat] ? evaluator : evaluator - 1);
			for (let row = 0; row < 4; row++) forged[cheat][q * gateWords(parties) + (row * gateWords(parties)) / 4 + macAt] ^= 1;
			const message = new RegExp(`garbled row check failed on party ${garblers[cheat]}'s garbled AND gate ${gateIds[q]} `);
			const forgedSegment = { ...segment, tables: forged };
			expect(() => evaluateAnds(evaluatorCtx, forgedSegment, 0, count, reference, new GarbleScratch(parties))).toThrow(message);
			expect(() => memory.evaluateAnds(evaluatorCtx, forgedSegment, 0, count, reference, new GarbleScratch(parties))).toThrow(message);
		});
	}
});
