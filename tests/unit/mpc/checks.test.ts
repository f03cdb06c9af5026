import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MpcAbortError } from '../../../src/lib/mpc';
import { CHUNK_BITS, Extension } from '../../../src/lib/ot/softspoken';
import { attack, honestOutcomes, type Message, type Strategy } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * Every check of docs/engine.md's table, reached by a coalition of corrupted participants:
 * each scenario cheats the way the check exists to catch, for 2, 3 and 5 parties and each
 * preprocessing mode it applies to, and asserts that an honest participant stops with
 * exactly that check — not an earlier one —, naming the cheater where the check can tell (never
 * an honest party), and that no honest party outputs anything.
 * Unless a scenario says otherwise, party 0 (the evaluator) is the only honest party and
 * party 1 cheats while the rest of the coalition follows the protocol.
 */
const WIDTH = 4;
/** OT preprocessing, or the dealer: knowing the circuit (it deals products) or not (triples, for Beaver multiplication). */
type Mode = 'ot' | 'dealer' | 'dealer, triples';

interface Scenario {
	name: string;
	check: string;
	modes: Mode[];
	/** Fewest parties for which the check exists. */
	minParties?: number;
	/** The honest parties (default: party 0 only); everyone else is corrupted. */
	honest?: (parties: number) => number[];
	/** Whether the dealer is corrupted (and does the cheating). */
	dealerCheats?: boolean;
	/**
	 * Whom the check may name (default: the cheater, party 1 — or, for `byCheater`, the party
	 * that cheats); −1 is nobody, where the check cannot tell which of several parties it was.
	 */
	blamed?: (parties: number) => readonly number[];
	/** The cheater, where it is not party 1. */
	byCheater?: number;
	/** What the cheater changes in one message; return the payload to send instead. */
	phase: string;
	to?: (parties: number) => number;
	nth?: number;
	cheat: (payload: Uint8Array, parties: number) => Uint8Array;
	/** Who must report the check: an honest party (default) or the honest dealer. */
	detector?: 'party' | 'dealer';
}

const CHEATER = 1;
const flip = (offset: number, mask = 1) => (payload: Uint8Array) => {
	const out = payload.slice();
	out[offset] ^= mask;
	return out;
};
const outputCount = (parties: number) => WIDTH + parties - 1;

const scenarios: Scenario[] = [
	{ name: 'a party flips a bit of its Beaver opening', check: 'MAC check', modes: ['dealer, triples', 'ot'], phase: 'Beaver openings of AND gates', cheat: flip(0) },
	{
		// With the dealer, the dealer tells each owner its masks: there are no shares to send.
		name: 'a party flips the MAC of an input-mask share it sends the input’s owner',
		check: 'MAC check',
		modes: ['ot'],
		phase: 'input mask shares',
		cheat: flip(Math.ceil(WIDTH / 8))
	},
	{
		name: 'a party flips the MAC of an output-mask share',
		check: 'MAC check',
		modes: ['dealer', 'ot'],
		phase: 'output shares',
		cheat: (payload, parties) => flip(Math.ceil(outputCount(parties) / 8) + 3)(payload)
	},
	{
		// The input masks' material, whose MACs the Beaver openings carry.
		name: 'the dealer flips a MAC bit in a party’s material',
		check: 'MAC check',
		modes: ['dealer, triples'],
		honest: (parties) => Array.from({ length: parties }, (_, p) => p),
		dealerCheats: true,
		blamed: () => [1],
		phase: 'dealer material',
		to: () => 1,
		cheat: flip(0)
	},
	{
		// The first AND gates' material: λ_γ, then λ_α·λ_β ⊕ λ_γ, whose MACs only that gate's rows carry.
		name: 'the dealer flips a MAC bit of a dealt λ_α·λ_β ⊕ λ_γ in a party’s material',
		check: 'garbled row check',
		modes: ['dealer'],
		honest: (parties) => Array.from({ length: parties }, (_, p) => p),
		dealerCheats: true,
		// With more than one garbler, the evaluator cannot tell whose rows led to the row that fails.
		blamed: (parties) => (parties === 2 ? [1] : [1, -1]),
		phase: 'dealer material',
		to: () => 1,
		nth: 1,
		cheat: (payload) => flip(payload.length / 2)(payload)
	},
	{
		name: 'a garbler flips bits of a garbled gate',
		check: 'garbled row check',
		modes: ['dealer', 'ot'],
		// With more than one garbler, another garbler's rows may have spoiled the labels that open it.
		blamed: (parties) => (parties === 2 ? [CHEATER] : [-1]),
		phase: 'garbled gates',
		// Row r of gate 0 starts at r·(16n − 8) bytes with the evaluator's truncated MAC.
		cheat: (payload, parties) => {
			const out = payload.slice();
			for (let row = 0; row < 4; row++) out[row * (16 * parties - 8)] ^= 1;
			return out;
		}
	},
	{
		name: 'the evaluator reports a wrong output value',
		check: 'output label check',
		modes: ['dealer', 'ot'],
		honest: () => [1],
		byCheater: 0,
		// With more than one garbler, another garbler's rows may have spoiled the label.
		blamed: (parties) => (parties === 2 ? [0] : [-1]),
		phase: 'output values',
		to: () => 1,
		cheat: flip(0)
	},
	{
		name: 'a party sends different masked inputs to two honest parties',
		check: 'broadcast consistency',
		modes: ['dealer', 'ot'],
		minParties: 3,
		honest: () => [0, 2],
		// Party 2 sees that the cheater's own echo differs; party 0 sees only that party 2's does.
		blamed: () => [CHEATER, -1],
		phase: 'masked inputs',
		to: () => 2,
		cheat: flip(0)
	},
	{
		name: 'a party flips bits of its OT-extension matrix',
		check: 'KOS consistency check',
		modes: ['ot'],
		phase: 'preprocessing 0 (OT extension)',
		// Row 3 in half of the ℓ correction columns (each column: rows bits), which come before the
		// trees' puncturing and the two coin commitments.
		cheat: (payload) => {
			const { chunks, puncturingBytes } = new Extension(CHUNK_BITS);
			const rows = ((payload.length - 64 - puncturingBytes) * 8) / chunks.length;
			const out = payload.slice();
			for (let column = 0; column < chunks.length / 2; column++) out[(column * rows) / 8] ^= 1 << 3;
			return out;
		}
	},
	{
		name: 'a party sends the identity as a base-OT point',
		check: 'base OT',
		modes: ['ot'],
		phase: 'base OT',
		cheat: (payload) => {
			const out = payload.slice();
			out.fill(0, 0, 32);
			return out;
		}
	},
	{
		name: 'a party opens a coin differently from its commitment',
		check: 'commitment check',
		modes: ['ot'],
		phase: 'preprocessing 0 (challenge)',
		cheat: flip(0)
	},
	{
		name: 'a party sends wrong leaky-AND values',
		check: 'leaky AND check',
		modes: ['ot'],
		blamed: () => [-1],
		phase: 'preprocessing 0 (leaky AND)',
		// e bits, then 8 bytes of U per leaky triple: U of the first 64 triples changes, which is
		// wrong wherever the receiver's x bit is 1.
		cheat: (payload) => {
			let leaky = Math.floor(payload.length / 8);
			while (Math.ceil(leaky / 8) + 8 * leaky > payload.length) leaky--;
			const packed = payload.length - 8 * leaky;
			const out = payload.slice();
			for (let k = 0; k < 64; k++) out[packed + 8 * k] ^= 1;
			return out;
		}
	},
	{ name: 'a party withholds its output confirmation', check: 'output confirmation', modes: ['dealer', 'ot'], phase: 'output confirmation', cheat: () => Uint8Array.of(0) },
	{ name: 'a party sends a Beaver opening one byte short', check: 'message format', modes: ['dealer, triples', 'ot'], phase: 'Beaver openings of AND gates', cheat: (payload) => payload.slice(0, -1) },
	{
		name: 'a party tells the dealer another circuit',
		check: 'dealer request',
		modes: ['dealer', 'dealer, triples'],
		honest: (parties) => Array.from({ length: parties }, (_, p) => p).filter((p) => p !== CHEATER),
		detector: 'dealer',
		// Up to n − 1 parties may lie together: the dealer cannot tell who.
		blamed: () => [-1],
		phase: 'dealer request',
		to: () => DEALER_PARTY,
		// The header: six words and each party's input count, then the circuit digest.
		cheat: (payload, parties) => flip(4 * (6 + parties))(payload)
	}
];

function strategyOf(scenario: Scenario, parties: number): Strategy {
	const cheater = scenario.dealerCheats ? DEALER_PARTY : (scenario.byCheater ?? CHEATER);
	const to = scenario.to?.(parties) ?? 0;
	return {
		send(message: Message, coalition) {
			if (message.from !== cheater || message.to !== to || message.phase !== scenario.phase) return undefined;
			const nth = coalition.sent.filter((m) => m.from === cheater && m.to === to && m.phase === scenario.phase).length - 1;
			return nth === (scenario.nth ?? 0) ? [scenario.cheat(message.payload, parties)] : undefined;
		}
	};
}

for (const scenario of scenarios) {
	describe(`${scenario.check}: ${scenario.name}`, { timeout: 120_000 }, () => {
		for (const parties of [2, 3, 5].filter((n) => n >= (scenario.minParties ?? 2))) {
			for (const mode of scenario.modes) {
				const honest = scenario.honest?.(parties) ?? [0];
				const corrupted = Array.from({ length: parties }, (_, p) => p).filter((p) => !honest.includes(p));
				const coalition = scenario.dealerCheats ? [...corrupted, DEALER_PARTY] : corrupted;
				it(`${parties} parties, ${mode}, coalition of ${coalition.length}`, async () => {
					const circuit = sumCircuit(parties, WIDTH);
					const inputs = Array.from({ length: parties }, (_, p) => toBits((5 * p + 3) & 15, WIDTH));
					const options = mode === 'ot' ? { preprocessing: mode } : { preprocessing: 'dealer' as const, dealer: mode === 'dealer' ? ('products' as const) : ('triples' as const) };
					const result = await attack(circuit, inputs, options, coalition, strategyOf(scenario, parties));
					const { aborted, finished } = honestOutcomes(result);
					expect(finished, 'honest parties that finished').toEqual([]);
					const reports = scenario.detector === 'dealer' ? [result.dealerError as MpcAbortError] : aborted.filter((e) => e.check !== 'peer abort');
					expect(reports.length, aborted.map((e) => e.message).join('\n')).toBeGreaterThan(0);
					for (const error of reports) {
						expect(error).toBeInstanceOf(MpcAbortError);
						expect(error.check, error.message).toBe(scenario.check);
						expect(scenario.blamed?.(parties) ?? [CHEATER], error.message).toContain(error.party);
						// A cheating dealer can have a party named: what it dealt is what that party's MACs are checked against.
						if (!scenario.dealerCheats) expect(honest, `an honest party named: ${error.message}`).not.toContain(error.party);
					}
				});
			}
		}
	});
}
