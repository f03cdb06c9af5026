// The dealer that knows the circuit: its walk of the masks, and a run whose parties hold another circuit.
import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { GATE_AND, GATE_XOR, totalInputBits, type Circuit } from '../../../src/lib/garble/circuit';
import { MpcAbortError, mpc, runDealer } from '../../../src/lib/mpc';
import { DealerMasks } from '../../../src/lib/mpc/dealer-masks';
import { prepareCircuit } from '../../../src/lib/mpc/prepare';
import { randomBits, randomCircuit, seeded, sumCircuit, toBits } from './helpers';

/**
 * λ_α·λ_β of every AND gate, by gate number, from masks kept per wire in the circuit's own
 * order (no slots, no schedule): the input wires take `inputMasks`, the AND gates' outputs
 * `gammaOf(g)`, XOR adds and NOT keeps.
 */
function productsByGate(circuit: Circuit, inputMasks: Uint8Array, gammaOf: (gate: number) => number): Map<number, number> {
	const inputs = totalInputBits(circuit);
	const lambda = new Uint8Array(inputs + circuit.gateKinds.length);
	lambda.set(inputMasks);
	const products = new Map<number, number>();
	circuit.gateKinds.forEach((kind, g) => {
		const a = lambda[circuit.gateIn0[g]];
		const b = lambda[circuit.gateIn1[g]];
		if (kind === GATE_AND) {
			products.set(g, a & b);
			lambda[inputs + g] = gammaOf(g);
		} else lambda[inputs + g] = kind === GATE_XOR ? a ^ b : a;
	});
	return products;
}

describe('DealerMasks', () => {
	for (const parties of [2, 3, 5]) {
		it(`walks the masks as the parties do, over reused wire slots and every segment (${parties} parties)`, () => {
			const random = seeded(40 + parties);
			// Deep and long enough for several segments, some perhaps without AND gates.
			const circuit = randomCircuit(Array(parties).fill(6), 30_000, 12, random);
			const { plan } = prepareCircuit(circuit);
			expect(plan.segmentEnds.length).toBeGreaterThan(2);
			expect(plan.slots).toBeLessThan(totalInputBits(circuit) + circuit.gateKinds.length);
			const inputMasks = randomBits(plan.inputs, random);
			// The AND gates in the walk's order, each with its fresh mask.
			const andOrder = Array.from(plan.order).filter((g) => circuit.gateKinds[g] === GATE_AND);
			const gammas = randomBits(andOrder.length, random);
			const gammaOf = new Map(andOrder.map((g, k) => [g, gammas[k]]));
			const want = productsByGate(circuit, inputMasks, (g) => gammaOf.get(g)!);

			const masks = new DealerMasks(circuit, plan);
			masks.setInputs(inputMasks);
			let k = 0;
			for (const ands of plan.segmentAnds) {
				if (ands === 0) continue;
				const products = masks.nextProducts(gammas.subarray(k, k + ands));
				expect(products).not.toBeNull();
				for (let i = 0; i < ands; i++) expect(products![i], `AND gate ${andOrder[k + i]}`).toBe(want.get(andOrder[k + i]));
				k += ands;
			}
			expect(k).toBe(andOrder.length);
		});
	}

	it('refuses a segment of another size than the schedule has next', () => {
		const circuit = randomCircuit([4, 4], 3000, 4, seeded(7));
		const { plan } = prepareCircuit(circuit);
		const first = plan.segmentAnds.find((ands) => ands > 0)!;
		const masks = new DealerMasks(circuit, plan);
		masks.setInputs(new Uint8Array(plan.inputs));
		expect(masks.nextProducts(new Uint8Array(first + 1))).toBeNull();
	});
});

describe('a dealer that knows the circuit', () => {
	it('refuses parties that run another circuit, naming nobody', async () => {
		const network = new MemoryNetwork();
		const circuit = sumCircuit(2, 8);
		const dealers = runDealer(network.channel(DEALER_PARTY), { parties: 2, circuit: sumCircuit(2, 9) });
		const runs = [0, 1].map((party) => mpc(network.channel(party), circuit, toBits(party + 1, 8), { party, preprocessing: 'dealer' }));
		const [dealer, ...parties] = await Promise.allSettled([dealers, ...runs]);
		expect(dealer.status).toBe('rejected');
		const error = (dealer as PromiseRejectedResult).reason as MpcAbortError;
		expect(error).toBeInstanceOf(MpcAbortError);
		expect(error.check).toBe('dealer request');
		expect(error.party).toBe(-1);
		expect(error.message).toMatch(/the parties run another circuit \(digest [0-9a-f]{64}\) than the program the dealer knows \([0-9a-f]{64}\)/);
		for (const party of parties) expect(party.status).toBe('rejected');
	});
});
