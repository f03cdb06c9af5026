import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { GATE_AND } from '../../../src/lib/garble/circuit';
import { mpc } from '../../../src/lib/mpc';
import { STATISTICAL_SECURITY, bucketFailureLog2, bucketSize, checkRepetitions } from '../../../src/lib/mpc/statistical';
import { triplePlan } from '../../../src/lib/mpc/ot-preprocessing';
import { expected, gateLayer, randomBits } from './helpers';

describe('bucket sizes (WRK17 §3.3)', () => {
	it('reproduce the published thresholds for 2^-40: B = 4 from about 3,100 triples, B = 3 from about 280,000', () => {
		expect(bucketSize(3_100)).toBe(4);
		expect(bucketSize(2_900)).toBe(5);
		expect(bucketSize(280_000)).toBe(3);
		expect(bucketSize(250_000)).toBe(4);
	});

	it('grow for small batches instead of stopping at 5: one triple needs 40 leaky ones', () => {
		expect(bucketSize(1)).toBe(STATISTICAL_SECURITY);
		expect(bucketFailureLog2(1, 5)).toBe(-5);
		for (const triples of [1, 2, 10, 65, 100, 1000, 20_000, 1e6]) {
			const bucket = bucketSize(triples);
			expect(bucketFailureLog2(triples, bucket)).toBeLessThanOrEqual(-STATISTICAL_SECURITY);
			expect(bucketFailureLog2(triples, bucket - 1)).toBeGreaterThan(-STATISTICAL_SECURITY);
		}
	});

	it('keep the whole run within 2^-40 when it takes several batches', () => {
		for (const parties of [2, 3, 5]) {
			for (const ands of [1, 65, 13_455, 284_135, 5_000_000]) {
				const plan = triplePlan(ands, parties);
				expect(plan.batches * plan.size).toBeGreaterThanOrEqual(ands);
				expect(plan.batches * plan.size - ands).toBeLessThan(plan.batches);
				expect(Math.log2(plan.batches) + bucketFailureLog2(plan.size, plan.bucket)).toBeLessThanOrEqual(-STATISTICAL_SECURITY);
			}
		}
	});
});

describe('check repetitions', () => {
	it('are 40 for one check and grow with log2 of the number of checks, so that all of them stay within 2^-40', () => {
		expect(checkRepetitions(1)).toBe(40);
		expect(checkRepetitions(2)).toBe(41);
		expect(checkRepetitions(100)).toBe(47);
		for (const checks of [1, 3, 17, 1000]) expect(Math.log2(checks) - checkRepetitions(checks)).toBeLessThanOrEqual(-STATISTICAL_SECURITY);
	});
});

describe('OT preprocessing', () => {
	it('makes the triples of a circuit in batches sized by the circuit, not by its segments', { timeout: 60_000 }, async () => {
		// 600 AND gates: the online phase runs them in segments of 512 and 88.
		const ands = 600;
		const circuit = gateLayer(GATE_AND, ands);
		const halfAnd: number[] = [];
		const network = new MemoryNetwork((from, to, bytes, index) => {
			if (from === 0 && to === 1) halfAnd[index] = bytes.length;
			return bytes;
		});
		const inputs = circuit.inputBits.map((bits) => randomBits(bits));
		const outputs = await Promise.all([0, 1].map((party) => mpc(network.channel(party), circuit, inputs[party], { party, preprocessing: 'ot' })));
		expect(outputs[0]).toEqual(expected(circuit, inputs));
		// The key sums and half-AND message is ρ·32 + 2·⌈leaky/8⌉ + 1 (frame) bytes: find it by
		// the leaky-triple count it must have.
		const plan = triplePlan(ands, 2);
		expect(plan).toEqual({ batches: 1, size: ands, bucket: bucketSize(ands), rho: 40 });
		const leaky = plan.size * plan.bucket;
		const sizes = halfAnd.filter((length) => length === plan.rho * 32 + 2 * Math.ceil(leaky / 8) + 1);
		expect(sizes).toHaveLength(1);
	});
});
