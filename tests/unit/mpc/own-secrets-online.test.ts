/**
 * Online-phase attacks by corrupted parties that use their own secrets (Δ, labels, λ shares;
 * own-secrets.ts). For every attack, 2, 3 and 5 parties, dealer and OT preprocessing, an honest
 * input bit 0 and 1: every honest party outputs a correct value (up to the corrupted parties
 * choosing other inputs) or aborts naming a check and no honest party, and whether it aborts
 * does not depend on the honest bit (only, where a rule says so, on public masked values).
 */
import { describe, expect, it, vi } from 'vitest';
import { BLOCK_WORDS, asBytes, asWords } from '../../../src/lib/crypto/block';
import { attack, type Message, type Strategy } from './adversary';
import { judge, registry, reset, attackCircuit, stateOf, type Hooks, type Outcome } from './own-secrets';

vi.mock('../../../src/lib/mpc/garble', async (importOriginal) => {
	const original = await importOriginal<typeof import('../../../src/lib/mpc/garble')>();
	const { wrapGarbleAnds } = await import('./own-secrets');
	return { ...original, garbleAnds: wrapGarbleAnds(original.garbleAnds) };
});
vi.mock('../../../src/lib/mpc/input', async (importOriginal) => {
	const original = await importOriginal<typeof import('../../../src/lib/mpc/input')>();
	const { wrapProcessInputs } = await import('./own-secrets');
	return { ...original, processInputs: wrapProcessInputs(original.processInputs) };
});
vi.mock('../../../src/lib/mpc/output', async (importOriginal) => {
	const original = await importOriginal<typeof import('../../../src/lib/mpc/output')>();
	const { wrapOutputPhase } = await import('./own-secrets');
	return { ...original, OutputPhase: wrapOutputPhase(original.OutputPhase) };
});

type Mode = 'dealer' | 'ot';
/** A: honest evaluator alone. B: honest garbler 1 alone (corrupt evaluator). C: honest evaluator and garbler 1 (3+ parties). */
type Config = 'A' | 'B' | 'C';

interface Setup {
	honest: number[];
	/** Honest party whose input bit 0 varies. */
	h: number;
	/** A corrupted party whose inputs enter gates g0/g1. */
	c: number;
	/** The acting cheater. */
	cheater: number;
}

function setupOf(config: Config, parties: number): Setup {
	if (config === 'A') return { honest: [0], h: 0, c: 1, cheater: 1 };
	if (config === 'B') return { honest: [1], h: 1, c: 0, cheater: 0 };
	return { honest: [0, 1], h: 1, c: 2, cheater: parties - 1 };
}

const sentRowWords = (n: number) => n * BLOCK_WORDS - 2;
/** Word offset, in garbler j's sent row, of the MAC block for party k (the evaluator's block is 2 words). */
function blockOffset(j: number, k: number, evaluator: number): number {
	const slot = (p: number) => (p < j ? p : p - 1);
	const w = 4 * slot(k);
	const cut = 4 * slot(evaluator) + 2;
	return w < cut ? w : w - 2;
}

interface Attack {
	name: string;
	configs: Config[];
	minParties?: number;
	expect: 'abort' | 'ok' | 'either';
	/** For attacks whose abort must be a function of the public masked inputs: predicts abort from y (evaluator's). */
	rule?: (y: Uint8Array, s: Setup, parties: number) => boolean;
	repeat?: number;
	make: (s: Setup, parties: number) => { strategy?: Strategy; hooks?: Partial<Hooks> };
}

const inputLabelMessage = (m: Message, s: Setup) => m.phase === 'input labels' && m.from === s.cheater && m.to === 0;

/** The cheating garbler sends, for the honest party's input bit 0, the other value's label: L ⊕ Δ_j. */
function otherValueLabel(s: Setup): Strategy {
	return {
		send(m) {
			if (!inputLabelMessage(m, s)) return undefined;
			const delta = stateOf(s.cheater).delta!;
			const words = asWords(m.payload.slice());
			for (let i = 0; i < 4; i++) words[4 * (2 * s.h) + i] ^= delta[i];
			return [asBytes(words)];
		}
	};
}

/** `table` with party `of`'s block shifted by `delta` in every row of gate g0, in garbler `garbler`'s table. */
function shiftBlockOfG0(table: Uint32Array, gateIds: Uint32Array, garbler: number, of: number, delta: Uint32Array, parties: number): Uint32Array {
	const out = table.slice();
	const sent = sentRowWords(parties);
	gateIds.forEach((g, q) => {
		if (g !== 0) return;
		for (let r = 0; r < 4; r++) for (let i = 0; i < 4; i++) out[(q * 4 + r) * sent + blockOffset(garbler, of, 0) + i] ^= delta[i];
	});
	return out;
}

const attacks: Attack[] = [
	{
		name: 'garbler sends L⊕Δ_j (the other value’s label) for the honest input wire',
		configs: ['A', 'C'],
		expect: 'abort',
		make: (s) => ({
			strategy: otherValueLabel(s)
		})
	},
	{
		name: 'garbler sends L⊕Δ_j for the honest input wire and re-garbles every gate reading it under the swapped labels',
		configs: ['A', 'C'],
		expect: 'ok',
		make: (s, parties) => {
			const circuit = attackCircuit(parties, s.h, s.c);
			return {
				strategy: otherValueLabel(s),
				hooks: {
					outputZeroLabels(party, zero, wireSlot) {
						if (party !== s.cheater) return zero;
						const delta = stateOf(party).delta!;
						for (const w of [2 * s.h, 2 * parties + 1]) for (let i = 0; i < 4; i++) zero[4 * wireSlot[w] + i] ^= delta[i];
						return zero;
					},
					beforeGarble(party, call) {
						if (party !== s.cheater) return;
						const delta = stateOf(party).delta!;
						call.gateIds.forEach((g, q) => {
							for (let i = 0; i < 4; i++) {
								// The honest input wire and g1 = XOR(x_h0, ·), whose label carries the flip.
								const swapped = (w: number) => w === 2 * s.h || w === 2 * parties + 1;
								if (swapped(circuit.gateIn0[g])) call.labelAlpha[4 * q + i] ^= delta[i];
								if (swapped(circuit.gateIn1[g])) call.labelBeta[4 * q + i] ^= delta[i];
							}
						});
					}
				}
			};
		}
	},
	{
		name: 'garbler sends the 0-label L_{w,0} whatever y_w (label chosen per the honest masked input)',
		configs: ['A', 'C'],
		expect: 'either',
		rule: (y, s) => y[2 * s.h] === 1,
		repeat: 3,
		make: (s) => ({
			strategy: {
				send(m) {
					if (!inputLabelMessage(m, s)) return undefined;
					const zero = stateOf(s.cheater).inputZeroLabels!;
					const words = asWords(m.payload.slice());
					for (let i = 0; i < 4; i++) words[4 * (2 * s.h) + i] = zero[4 * (2 * s.h) + i];
					return [asBytes(words)];
				}
			}
		})
	},
	{
		name: 'garbler spoils only row (1,1) of g0 = AND(x_h0, x_c0) (selective failure on masked inputs)',
		configs: ['A', 'C'],
		expect: 'either',
		rule: (y, s) => y[2 * s.h] === 1 && y[2 * s.c] === 1,
		repeat: 3,
		make: (s, parties) => ({
			hooks: {
				afterGarble(party, call, table) {
					const out = table.slice();
					const sent = sentRowWords(parties);
					call.gateIds.forEach((g, q) => {
						if (g === 0) out[(q * 4 + 3) * sent + blockOffset(party, 0, 0)] ^= 1;
					});
					return out;
				}
			}
		})
	},
	{
		name: 'garbler shifts the honest garbler’s label block M_k[r^j] by its own Δ_j in every row of g0 (own part consistent)',
		configs: ['C'],
		minParties: 3,
		expect: 'abort',
		make: (s, parties) => ({
			hooks: {
				afterGarble: (party, call, table) => shiftBlockOfG0(table, call.gateIds, party, 1, stateOf(party).delta!, parties)
			}
		})
	},
	{
		name: 'garbler shifts a coalition garbler’s block by that garbler’s Δ and its own label part to match (no-op re-randomisation)',
		configs: ['A'],
		minParties: 3,
		expect: 'ok',
		make: (s, parties) => ({
			hooks: {
				// Garbler 2 (corrupted too) re-garbles g2 = AND(g0, ·) under g0's swapped labels and keeps its own output check quiet.
				beforeGarble(party, call) {
					if (party !== 2) return;
					const d = stateOf(2).delta!;
					call.gateIds.forEach((g, q) => {
						if (g === 2) for (let i = 0; i < 4; i++) call.labelAlpha[4 * q + i] ^= d[i];
					});
				},
				outputZeroLabels(party, zero, wireSlot) {
					if (party !== 2) return zero;
					const d = stateOf(2).delta!;
					for (let i = 0; i < 4; i++) zero[4 * wireSlot[2 * parties] + i] ^= d[i];
					return zero;
				},
				// Garbler 1 shifts M_2[r^1] by Δ_2 in every row of g0: garbler 2's label of g0 flips, and garbler 2 re-garbled for it.
				afterGarble: (party, call, table) => (party === 1 ? shiftBlockOfG0(table, call.gateIds, party, 2, stateOf(2).delta!, parties) : table)
			}
		})
	},
	{
		name: 'evaluator flips output bit g4 to the honest garbler, label ⊕ (XOR of the coalition’s Δs)',
		configs: ['B'],
		expect: 'abort',
		make: (s, parties) => ({
			strategy: {
				send(m, coalition) {
					if (m.phase !== 'output values' || m.from !== 0 || m.to !== 1) return undefined;
					const out = m.payload.slice();
					const i = 3; // sorted: x_h0, g0, g1, g4
					out[0] ^= 1 << i;
					const words = asWords(out.slice(1));
					for (const p of coalition.corrupted) {
						const d = stateOf(p).delta!;
						for (let k = 0; k < 4; k++) words[4 * i + k] ^= d[k];
					}
					out.set(asBytes(words), 1);
					return [out];
				}
			}
		})
	},
	{
		name: 'evaluator flips its output z for g4 and its own λ share for that wire with MAC ⊕ its own Δ (keeps its own part consistent)',
		configs: ['B'],
		expect: 'abort',
		make: (s, parties) => ({
			strategy: {
				send(m) {
					const i = 3;
					if (m.from !== 0 || m.to !== 1) return undefined;
					if (m.phase === 'output values') {
						const out = m.payload.slice();
						out[0] ^= 1 << i;
						return [out];
					}
					if (m.phase === 'output shares') {
						const out = m.payload.slice();
						out[0] ^= 1 << i;
						const words = asWords(out.slice(1));
						const d = stateOf(0).delta!;
						for (let k = 0; k < 4; k++) words[4 * i + k] ^= d[k];
						out.set(asBytes(words), 1);
						return [out];
					}
					return undefined;
				}
			}
		})
	}
];

const PARTIES = [2, 3, 5];
const MODES: Mode[] = ['dealer', 'ot'];

interface Row {
	bit: number;
	outcome: Outcome;
	y?: number[];
}

for (const a of attacks) {
	describe(a.name, { timeout: 600_000 }, () => {
		for (const parties of PARTIES.filter((n) => n >= (a.minParties ?? 2))) {
			for (const config of a.configs.filter((c) => c !== 'C' || parties >= 3)) {
				for (const mode of MODES) {
					it(`${parties} parties, config ${config}, ${mode}`, async () => {
						const s = setupOf(config, parties);
						const circuit = attackCircuit(parties, s.h, s.c);
						const corrupted = Array.from({ length: parties }, (_, p) => p).filter((p) => !s.honest.includes(p));
						const rows: Row[] = [];
						for (const bit of [0, 1]) {
							for (let rep = 0; rep < (a.repeat ?? 1); rep++) {
								const { strategy, hooks } = a.make(s, parties);
								reset({ corrupted: new Set(corrupted), ...hooks });
								const inputs = Array.from({ length: parties }, (_, p) => Uint8Array.of(p === s.h ? bit : (p * 7 + 1) & 1, (p + 1) & 1));
								const result = await attack(circuit, inputs, { preprocessing: mode }, corrupted, strategy ?? {});
								const outcome = judge(circuit, inputs, result);
								const y = registry.parties.get(0)?.y;
								rows.push({ bit, outcome, y: y ? Array.from(y) : undefined });
								if (a.rule) {
									expect(y, 'the evaluator’s masked inputs, which the rule reads').toBeDefined();
									expect(outcome.kind === 'abort', `abort must be exactly rule(y): y=${Array.from(y!).join('')} ${JSON.stringify(outcome)}`).toBe(a.rule(y!, s, parties));
								}
							}
						}
						if (a.expect !== 'either') for (const r of rows) expect(r.outcome.kind, JSON.stringify(r.outcome)).toBe(a.expect);
						if (!a.rule) {
							// Abort pattern must not depend on the honest bit.
							const pattern = (bit: number) => rows.filter((r) => r.bit === bit).map((r) => `${r.outcome.kind}:${r.outcome.checks.join('|')}`);
							expect(pattern(1)).toEqual(pattern(0));
						}
					});
				}
			}
		}
	});
}
