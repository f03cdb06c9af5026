import { describe, expect, it } from 'vitest';
import { GATE_XOR, type Circuit } from '../../../src/lib/garble/circuit';
import { parseBristol } from '../../../src/lib/garble/circuit/bristol';
import { aes128Bristol } from '../../fixtures/circuits/aes-128';
import { expected, fromBits, randomBits, randomCircuit, runAll, seeded, sumCircuit, toBits } from './helpers';

/** OT preprocessing, or the dealer: knowing the circuit (it deals products) or not (triples). */
const modes = {
	dealer: { preprocessing: 'dealer', dealer: 'products' },
	'dealer, triples': { preprocessing: 'dealer', dealer: 'triples' },
	ot: { preprocessing: 'ot' }
} as const;

// Base OTs make every OT-mode run cost a few hundred milliseconds per pair of parties.
const trials = { dealer: 4, 'dealer, triples': 4, ot: 1 };

describe.each(Object.keys(modes) as (keyof typeof modes)[])('mpc with %s preprocessing', { timeout: 60_000 }, (mode) => {
	const run = modes[mode];
	it('adds two 16-bit numbers', async () => {
		const circuit = sumCircuit(2, 16);
		const { outputs, errors } = await runAll(circuit, [toBits(51234, 16), toBits(40000, 16)], run);
		expect(errors).toEqual([undefined, undefined]);
		for (const out of outputs) expect(fromBits(out!)).toBe(51234 + 40000);
	});

	it.each([2, 3, 4, 5])('matches plaintext evaluation on random circuits with %i parties', async (parties) => {
		const random = seeded(1000 + parties);
		for (let trial = 0; trial < trials[mode]; trial++) {
			const sizes = Array.from({ length: parties }, () => Math.floor(random() * 6));
			const circuit = randomCircuit(sizes, 50 + Math.floor(random() * 250), 1 + Math.floor(random() * 12), random);
			const inputs = circuit.inputBits.map((bits) => randomBits(bits, random));
			const { outputs, errors } = await runAll(circuit, inputs, run);
			expect(errors.every((e) => e === undefined)).toBe(true);
			const want = expected(circuit, inputs);
			for (const out of outputs) expect(out).toEqual(want);
		}
	});

	it('uses a non-default evaluator and gives the output only to the chosen parties', async () => {
		const random = seeded(77);
		const circuit = randomCircuit([3, 4, 5, 2], 200, 9, random);
		const inputs = circuit.inputBits.map((bits) => randomBits(bits, random));
		const { outputs, errors } = await runAll(circuit, inputs, { ...run, evaluator: 2, outputParties: [3, 0] });
		expect(errors.every((e) => e === undefined)).toBe(true);
		const want = expected(circuit, inputs);
		expect(outputs[0]).toEqual(want);
		expect(outputs[3]).toEqual(want);
		expect(outputs[1]).toBeUndefined();
		expect(outputs[2]).toBeUndefined();
	});

	it('handles outputs that are input wires, repeated outputs and circuits without AND gates', async () => {
		const circuit: Circuit = {
			inputBits: [2, 1],
			gateKinds: Uint8Array.of(GATE_XOR, 2),
			gateIn0: Uint32Array.of(0, 3),
			gateIn1: Uint32Array.of(2, 0),
			outputs: Uint32Array.of(4, 1, 4, 3, 2)
		};
		for (const inputs of [[Uint8Array.of(1, 0), Uint8Array.of(1)], [Uint8Array.of(0, 1), Uint8Array.of(1)]]) {
			const { outputs, errors } = await runAll(circuit, inputs, run);
			expect(errors).toEqual([undefined, undefined]);
			expect(outputs[0]).toEqual(expected(circuit, inputs));
			expect(outputs[1]).toEqual(expected(circuit, inputs));
		}
	});

	it('evaluates AES-128 (Bristol Fashion) with a non-default evaluator', async () => {
		const aes = parseBristol(aes128Bristol());
		const random = seeded(128);
		const inputs = aes.inputBits.map((bits) => randomBits(bits, random));
		const { outputs, errors } = await runAll(aes, inputs, { ...run, evaluator: 1 });
		expect(errors).toEqual([undefined, undefined]);
		for (const out of outputs) expect(out).toEqual(expected(aes, inputs));
	});

	it('streams a circuit larger than one segment', async () => {
		const random = seeded(5);
		const circuit = randomCircuit([40, 40, 40], 60000, 16, random);
		const inputs = circuit.inputBits.map((bits) => randomBits(bits, random));
		const { outputs, errors } = await runAll(circuit, inputs, run);
		expect(errors.every((e) => e === undefined)).toBe(true);
		for (const out of outputs) expect(out).toEqual(expected(circuit, inputs));
	});
});
