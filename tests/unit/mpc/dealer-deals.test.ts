// The dealer's deals: made before the parties call where it knows the circuit, given when they ask.
import { afterEach, describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { GATE_AND, type Circuit } from '../../../src/lib/garble/circuit';
import { mpc, runDealer } from '../../../src/lib/mpc';
import { dealingFor, KIND_ANDS, KIND_INPUTS, type Dealing } from '../../../src/lib/mpc/dealer-deals';
import { dealerKernel, setDealerKernel, type DealerKernel } from '../../../src/lib/mpc/dealer-kernel';
import { prepareCircuit } from '../../../src/lib/mpc/prepare';
import { expected, gateLayer, randomBits, randomCircuit, seeded } from './helpers';

const installed = dealerKernel();
afterEach(() => setDealerKernel(installed));

/** Installs a dealer kernel that counts its draws (one per deal) on top of the installed one. */
function countingDeals(): { made: number } {
	const count = { made: 0 };
	const counting: DealerKernel = {
		name: `counting ${installed.name}`,
		create() {
			const macs = installed.create();
			return {
				shares(parties, items) {
					count.made++;
					return macs.shares(parties, items);
				},
				macs: (i, out, deltas) => macs.macs(i, out, deltas)
			};
		}
	};
	setDealerKernel(counting);
	return count;
}

/** Runs the parties of `circuit` on random inputs with a dealer that knows it; the outputs must be the plaintext's. */
async function runWith(circuit: Circuit, dealing: Dealing | undefined, seed: number): Promise<void> {
	const network = new MemoryNetwork();
	const random = seeded(seed);
	const inputs = circuit.inputBits.map((bits) => randomBits(bits, random));
	const dealer = runDealer(network.channel(DEALER_PARTY), { parties: circuit.inputBits.length, circuit, ...(dealing ? { dealing } : {}) });
	const outputs = await Promise.all(inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { party, preprocessing: 'dealer' })));
	await dealer;
	for (const output of outputs) expect(output && Array.from(output)).toEqual(Array.from(expected(circuit, inputs)));
}

/** The AND gates of the schedule's segments that have any, in order. */
function segmentsWithAnds(circuit: Circuit): number[] {
	return Array.from(prepareCircuit(circuit).plan.segmentAnds).filter((ands) => ands > 0);
}

describe('a dealer that knows the circuit', () => {
	// 3,000 AND gates at one depth: segments of 512, 1,024 and 1,464.
	const wide = gateLayer(GATE_AND, 3000);

	it('deals the input masks and the first segments before the parties call, and each deal once', async () => {
		const count = countingDeals();
		const segments = segmentsWithAnds(wide);
		expect(segments.length).toBe(3);
		const dealing = await dealingFor(wide, 2);
		expect(count.made, 'deals made before anyone called').toBe(1 + segments.length);
		await runWith(wide, dealing, 1);
		expect(count.made, 'deals made in all').toBe(1 + segments.length);
	});

	for (const [name, segmentsAhead] of [
		['the input masks', 0],
		['the first segment', 1]
	] as const) {
		it(`deals no more ahead than its bytes allow (${name}), and the rest when asked`, async () => {
			const count = countingDeals();
			const segments = segmentsWithAnds(wide);
			// λ_γ and the product per AND gate, a 16-byte MAC for the one peer, for both parties.
			const aheadBytes = segments.slice(0, segmentsAhead).reduce((sum, ands) => sum + 2 * ands * 2 * 16, 0);
			const dealing = await dealingFor(wide, 2, aheadBytes);
			expect(count.made).toBe(1 + segmentsAhead);
			await runWith(wide, dealing, 2);
			expect(count.made).toBe(1 + segments.length);
		});
	}

	it('deals on request without material made ahead', async () => {
		const circuit = randomCircuit([5, 5, 5], 4000, 10, seeded(3));
		await runWith(circuit, undefined, 4);
	});

	for (const parties of [3, 5]) {
		it(`gives what it dealt ahead to parties of a deep circuit (${parties} parties)`, async () => {
			const circuit = randomCircuit(Array(parties).fill(4), 6000, 14, seeded(parties));
			expect(segmentsWithAnds(circuit).length).toBeGreaterThan(1);
			await runWith(circuit, await dealingFor(circuit, parties), 10 + parties);
		});
	}

	it('cannot give a request other than the one it dealt ahead for', async () => {
		const [first] = segmentsWithAnds(wide);
		const other = await dealingFor(wide, 2);
		expect(other.next(KIND_INPUTS, 6000, [2000, 4000]), 'other input bits of the same number').toBeNull();
		const dealing = await dealingFor(wide, 2);
		expect(dealing.next(KIND_INPUTS, 6000, wide.inputBits)).not.toBeNull();
		expect(dealing.next(KIND_ANDS, first + 1, wide.inputBits), 'another segment size').toBeNull();
	});

	it('serves one run with its material, for the parties it was dealt for', async () => {
		const dealing = await dealingFor(wide, 2);
		await runWith(wide, dealing, 7);
		// A second run on the same seeds would reuse every party's Δ.
		await expect(runDealer(new MemoryNetwork().channel(DEALER_PARTY), { parties: 2, circuit: wide, dealing })).rejects.toThrow(/has served a run already/);
		await expect(runDealer(new MemoryNetwork().channel(DEALER_PARTY), { parties: 3, circuit: wide, dealing: await dealingFor(wide, 2) })).rejects.toThrow(/dealt for 2 parties cannot serve 3/);
	});
});
