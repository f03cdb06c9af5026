import { describe, expect, it } from 'vitest';
import { evaluateCircuit, GATE_AND } from '../../../../src/lib/garble/circuit';
import { CircuitGates } from '../../../../src/lib/garble/circuit/gates';
import { fromBits, randomValues, toBits, wrap } from './words';

describe('CircuitGates (the code generator-shaped facade)', () => {
	it('computes each operation on 8-bit words of two parties', () => {
		const g = new CircuitGates([8, 8 * 4 + 8]);
		const x = Array.from({ length: 8 }, (_, i) => g.input(i));
		const rest = Array.from({ length: 40 }, (_, i) => g.input(8 + i));
		const array = rest.slice(0, 32);
		const y = rest.slice(32);
		const index = [g.zero, ...y.slice(5)]; // y mod 8, so sometimes out of bounds for 4 elements
		const outputs = [
			g.add(x, y, true),
			g.sub(x, y, false),
			g.mul(x, y, true),
			{ result: g.divRem(x, y, false).quotient, overflow: g.divRem(x, y, false).divByZero },
			{ result: g.negate(x), overflow: g.lessThan(x, y, true) },
			{ result: g.shift(x, y, false, true).result, overflow: g.equal(x, y) },
			{ result: g.arrayGet(array, 8, index).result, overflow: g.arrayGet(array, 8, index).outOfBounds },
			{ result: g.arraySet(array, 8, index, x).result, overflow: g.constant(g.one) === 1 ? g.one : g.zero }
		];
		const circuit = g.build(outputs.flatMap((o) => [...o.result, o.overflow]));
		const xs = randomValues(8, true, 24, 3);
		const ys = randomValues(8, true, 24, 5);
		xs.forEach((xv, k) => {
			const yv = ys[k];
			const elements = randomValues(8, false, 13, k).slice(9);
			const packed = elements.reduce((acc, e) => (acc << 8n) | e, 0n);
			const out = evaluateCircuit(circuit, [toBits(xv, 8), toBits((packed << 8n) | BigInt.asUintN(8, yv), 40)]);
			let offset = 0;
			const next = (bits: number, signed = false) => fromBits(out.subarray(offset, (offset += bits)), signed);
			const [ux, uy] = [BigInt.asUintN(8, xv), BigInt.asUintN(8, yv)];
			const i = Number(uy & 7n);
			expect([next(8, true), next(1)]).toEqual([wrap(xv + yv, 8, true), xv + yv > 127n || xv + yv < -128n ? 1n : 0n]);
			expect([next(8), next(1)]).toEqual([wrap(ux - uy, 8, false), ux < uy ? 1n : 0n]);
			expect([next(8, true), next(1)]).toEqual([wrap(xv * yv, 8, true), xv * yv > 127n || xv * yv < -128n ? 1n : 0n]);
			expect([next(8), next(1)]).toEqual(uy === 0n ? [255n, 1n] : [ux / uy, 0n]);
			expect([next(8, true), next(1)]).toEqual([wrap(-xv, 8, true), xv < yv ? 1n : 0n]);
			expect([next(8, true), next(1)]).toEqual([xv >> (uy & 7n), xv === yv ? 1n : 0n]);
			const got = next(8);
			expect(next(1)).toBe(i >= 4 ? 1n : 0n);
			if (i < 4) expect(got).toBe(elements[i]);
			const updated = elements.map((e, j) => (j === i ? ux : e));
			expect([next(32), next(1)]).toEqual([updated.reduce((acc, e) => (acc << 8n) | e, 0n), 1n]);
		});
	});

	it('takes an element at a constant index, and flags a constant index out of bounds', () => {
		const g = new CircuitGates([32, 8]);
		const array = Array.from({ length: 32 }, (_, i) => g.input(i));
		const x = Array.from({ length: 8 }, (_, i) => g.input(32 + i));
		const indices = [0, 1, 2, 3, 4, 7];
		const constantIndex = (i: number) => [4, 2, 1].map((bit) => (i & bit ? g.one : g.zero));
		const outputs = indices.flatMap((i) => {
			const got = g.arrayGet(array, 8, constantIndex(i));
			const set = g.arraySet(array, 8, constantIndex(i), x);
			return [...got.result, got.outOfBounds, ...set.result, set.outOfBounds];
		});
		const circuit = g.build(outputs);
		expect(circuit.gateKinds.filter((kind) => kind === GATE_AND)).toHaveLength(0);
		randomValues(8, false, 10, 7).forEach((xv, k) => {
			const elements = randomValues(8, false, 4, 11 + k);
			const packed = elements.reduce((acc, e) => (acc << 8n) | e, 0n);
			const out = evaluateCircuit(circuit, [toBits(packed, 32), toBits(xv, 8)]);
			let offset = 0;
			const next = (bits: number) => fromBits(out.subarray(offset, (offset += bits)), false);
			for (const i of indices) {
				const got = next(8);
				expect(next(1)).toBe(i >= 4 ? 1n : 0n);
				if (i < 4) expect(got).toBe(elements[i]);
				const updated = elements.map((e, j) => (j === i ? xv : e));
				expect([next(32), next(1)]).toEqual([updated.reduce((acc, e) => (acc << 8n) | e, 0n), i >= 4 ? 1n : 0n]);
			}
		});
	});

	it('rejects arrays that do not split into elements', () => {
		const g = new CircuitGates([9]);
		const bits = Array.from({ length: 9 }, (_, i) => g.input(i));
		expect(() => g.arrayGet(bits, 2, [g.zero])).toThrow('9 bits do not split into 2-bit elements');
		expect(() => g.input(9)).toThrow('there are 9 input bits, no bit 9');
	});
});
