/**
 * OT-preprocessing attacks by a corrupted party that uses its own Δ and leaky-AND state
 * (own-secrets.ts's TripleRounds wrapper), 2, 3 and 5 parties, party 0 alone honest. The
 * invariant as in own-secrets-online.test.ts; the Π_LaAND selective failure may depend on the
 * honest party's random x of a leaky triple (WRK17 §3.3: bucketing covers it), never on an input.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AuthBits } from '../../../src/lib/mpc/auth';
import { attack } from './adversary';
import { judge, reset, attackCircuit, triples, type Hooks } from './own-secrets';

vi.mock('../../../src/lib/mpc/triples', async (importOriginal) => {
	const original = await importOriginal<typeof import('../../../src/lib/mpc/triples')>();
	const { wrapTripleRounds } = await import('./own-secrets');
	return { ...original, TripleRounds: wrapTripleRounds(original.TripleRounds) };
});

const CHEATER = 1;
const HONEST = 0;

interface Attack {
	name: string;
	hooks: (parties: number) => Partial<Hooks>;
	/** Predicted abort from the honest party's leaky-AND state (undefined: always abort). */
	rule?: (honest: Record<string, unknown>) => boolean;
	repeat?: number;
}

/** The cheater flips its z share of leaky triple 0 before Π_LaAND (its e and H follow it). */
const flipTripleZero: Hooks['beforeLeakyAnd'] = (party, rounds) => {
	if (party === CHEATER) (rounds.v as Uint8Array)[0] ^= 1;
};

/** The cheater adds its own Δ to its H share of triple 0 before committing to it. */
const ownDeltaIntoH: Hooks['beforeCommit'] = (party, rounds) => {
	if (party !== CHEATER) return;
	const h = rounds.h as Uint32Array;
	const delta = (rounds.context as { delta: Uint32Array }).delta;
	h[2] ^= delta[2];
	h[3] ^= delta[3];
};

const attacks: Attack[] = [
	{
		name: 'flips its z share of leaky triple 0 and keeps its own check share consistent (v ⊕= 1 before Π_LaAND: e, H follow)',
		hooks: () => ({ beforeLeakyAnd: flipTripleZero })
	},
	{
		name: 'flips z of triple 0, and adds its own Δ to its H share of it (best compensation it can compute)',
		hooks: () => ({ beforeLeakyAnd: flipTripleZero, beforeCommit: ownDeltaIntoH })
	},
	{
		name: 'selective failure: U to the honest party ⊕ own Δ on triple 0, own H ⊕ own Δ (passes iff honest x^0_0 = 1)',
		rule: (honest) => ((honest.x as AuthBits).bits[0] & 1) === 0,
		repeat: 4,
		hooks: () => ({
			afterLeakyAnd(party, rounds) {
				if (party !== CHEATER) return;
				const u = (rounds.u as Uint32Array[])[HONEST];
				const delta = (rounds.context as { delta: Uint32Array }).delta;
				u[0] ^= delta[2];
				u[1] ^= delta[3];
			},
			beforeCommit: ownDeltaIntoH
		})
	}
];

for (const a of attacks) {
	describe(a.name, { timeout: 600_000 }, () => {
		for (const parties of [2, 3, 5]) {
			it(`${parties} parties, OT, honest party 0 only`, async () => {
				const circuit = attackCircuit(parties, HONEST, CHEATER);
				const corrupted = Array.from({ length: parties }, (_, p) => p).filter((p) => p !== HONEST);
				const lines: string[] = [];
				const pattern: Record<number, string[]> = { 0: [], 1: [] };
				for (const bit of [0, 1]) {
					for (let rep = 0; rep < (a.repeat ?? 1); rep++) {
						reset({ corrupted: new Set(corrupted), ...a.hooks(parties) });
						const inputs = Array.from({ length: parties }, (_, p) => Uint8Array.of(p === HONEST ? bit : 1, p & 1));
						const result = await attack(circuit, inputs, { preprocessing: 'ot' }, corrupted, {});
						const outcome = judge(circuit, inputs, result);
						const honest = triples.get(HONEST)!;
						const x0 = (honest.x as AuthBits).bits[0];
						lines.push(`bit${bit}:${outcome.kind}${outcome.checks.length ? `(${outcome.checks.join('|')} named ${outcome.named.join(',')})` : ''} x^0_0=${x0}`);
						if (a.rule) expect(outcome.kind === 'abort', lines.at(-1)).toBe(a.rule(honest));
						else expect(outcome.kind, lines.at(-1)).toBe('abort');
						pattern[bit].push(`${outcome.kind}:${outcome.checks.join('|')}`);
					}
				}
				if (!a.rule) expect(pattern[1]).toEqual(pattern[0]);
			});
		}
	});
}
