import { describe, expect, it } from 'vitest';
import { GATE_AND, GATE_NOT, GATE_XOR, countGates, evaluateCircuit, validateCircuit, type Circuit } from '../../../src/lib/garble/circuit';

/** A full adder: inputs a (party 0), b and carry-in (party 1); outputs sum, carry-out. */
const fullAdder: Circuit = {
	inputBits: [1, 2],
	// w3 = a^b, w4 = w3^c (sum), w5 = a&b, w6 = w3&c, w7 = w5^w6 (carry), w8 = !w7
	gateKinds: Uint8Array.of(GATE_XOR, GATE_XOR, GATE_AND, GATE_AND, GATE_XOR, GATE_NOT),
	gateIn0: Uint32Array.of(0, 3, 0, 3, 5, 7),
	gateIn1: Uint32Array.of(1, 2, 1, 2, 6, 0),
	outputs: Uint32Array.of(4, 7, 8)
};

describe('plaintext circuit evaluation', () => {
	it('computes a full adder for every input', () => {
		validateCircuit(fullAdder);
		for (let x = 0; x < 8; x++) {
			const [a, b, c] = [x & 1, (x >> 1) & 1, (x >> 2) & 1];
			const out = evaluateCircuit(fullAdder, [Uint8Array.of(a), Uint8Array.of(b, c)]);
			const sum = a + b + c;
			expect([...out]).toEqual([sum & 1, sum >> 1, (sum >> 1) ^ 1]);
		}
		expect(countGates(fullAdder)).toEqual({ and: 2, xor: 3, not: 1 });
	});

	it('rejects wrong input sizes and malformed circuits', () => {
		expect(() => evaluateCircuit(fullAdder, [Uint8Array.of(1)])).toThrow('2 parties');
		expect(() => evaluateCircuit(fullAdder, [Uint8Array.of(1), Uint8Array.of(1)])).toThrow('party 1 must supply 2');
		const cyclic = { ...fullAdder, gateIn0: Uint32Array.of(3, 3, 0, 3, 5, 7) };
		expect(() => validateCircuit(cyclic)).toThrow('gate 0');
	});
});
