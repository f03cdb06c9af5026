import { describe, expect, it } from 'vitest';
import { GATE_AND, GATE_NOT, GATE_XOR, validateCircuit, type Circuit } from '../../../../src/lib/garble/circuit';
import { parseBristol } from '../../../../src/lib/garble/circuit/bristol';
import { deserializeCircuit, serializeCircuit } from '../../../../src/lib/garble/circuit/serialize';
import { mul } from '../../../../src/lib/garble/circuit/multiply';
import { aes128Bristol } from '../../../fixtures/circuits/aes-128';
import { WordCircuit } from './words';

const small: Circuit = {
	inputBits: [2, 1],
	gateKinds: Uint8Array.of(GATE_XOR, GATE_AND, GATE_NOT, GATE_XOR, GATE_AND),
	gateIn0: Uint32Array.of(0, 3, 4, 5, 1),
	gateIn1: Uint32Array.of(1, 2, 0, 0, 6),
	outputs: Uint32Array.of(7, 2, 7, 0)
};

function multiplier32(): Circuit {
	return new WordCircuit([32, 32], (b, [x, y]) => {
		const { product, overflow } = mul(b, x, y, true);
		return [product, [overflow]];
	}).circuit;
}

const expectSame = (a: Circuit, b: Circuit) => {
	expect(b.inputBits).toEqual(a.inputBits);
	expect(b.gateKinds).toEqual(a.gateKinds);
	expect(b.gateIn0).toEqual(a.gateIn0);
	expect(b.gateIn1).toEqual(a.gateIn1);
	expect(b.outputs).toEqual(a.outputs);
};

describe('circuit serialisation', () => {
	it('round-trips small, compiled and reference circuits, byte for byte', () => {
		const aes = parseBristol(aes128Bristol());
		const multiplier = multiplier32();
		const empty: Circuit = { inputBits: [], gateKinds: new Uint8Array(0), gateIn0: new Uint32Array(0), gateIn1: new Uint32Array(0), outputs: new Uint32Array(0) };
		for (const circuit of [small, aes, multiplier, empty]) {
			validateCircuit(circuit);
			const bytes = serializeCircuit(circuit);
			const back = deserializeCircuit(bytes);
			expectSame(circuit, back);
			expect(serializeCircuit(back)).toEqual(bytes);
		}
		// Compact: AES-128 (36,663 gates) in about 3 bytes per gate.
		const aesBytes = serializeCircuit(aes).length;
		expect(aesBytes).toBeLessThan(aes.gateKinds.length * 3.5);
		console.log(`AES-128: ${aes.gateKinds.length} gates in ${aesBytes} bytes`);
	});

	it('is deterministic: the same circuit gives the same bytes', () => {
		const build = () => multiplier32();
		expect(serializeCircuit(build())).toEqual(serializeCircuit(build()));
	});

	it('rejects corrupt bytes with a clear error', () => {
		const bytes = serializeCircuit(small);
		for (let length = 0; length < bytes.length; length++) {
			expect(() => deserializeCircuit(bytes.subarray(0, length)), `prefix of ${length} bytes`).toThrow(/circuit bytes: .*(truncated|needs more than)/);
		}
		const corrupt = (at: number, value: number) => {
			const copy = bytes.slice();
			copy[at] = value;
			return () => deserializeCircuit(copy);
		};
		expect(corrupt(0, 0x51)).toThrow('bad magic header');
		expect(corrupt(4, 2)).toThrow('unsupported version 2');
		// Header: magic(4) version(1) parties=2, 2, 1, gates=5, outputs=4, then the kinds.
		expect(bytes.subarray(5, 10)).toEqual(Uint8Array.of(2, 2, 1, 5, 4));
		expect(corrupt(10, 0b11)).toThrow('gate 0 has unknown kind 3');
		expect(corrupt(11, 0b100)).toThrow('padding bits');
		// Gate 0 writes wire 3 and reads wires 3 − 1 − distance: distance 3 is a forward reference.
		expect(corrupt(12, 3)).toThrow("gate 0's first input reads a wire at or after its own wire 3 (forward reference)");
		expect(corrupt(bytes.length - 1, 200)).toThrow(/output 3/);
		expect(() => deserializeCircuit(Uint8Array.of(...bytes, 0))).toThrow('1 unexpected trailing byte(s)');
		const overlong = Uint8Array.of(...bytes.subarray(0, 5), 0x82, 0x00, ...bytes.subarray(6));
		expect(() => deserializeCircuit(overlong)).toThrow('party count at byte 5 is not minimally encoded');
		const hugeGateCount = Uint8Array.of(...bytes.subarray(0, 8), 0xff, 0xff, 0xff, 0xff, 0x0f, ...bytes.subarray(9));
		expect(() => deserializeCircuit(hugeGateCount)).toThrow('the gate count 4294967295 needs more than');
		const tooLong = Uint8Array.of(...bytes.subarray(0, 5), 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
		expect(() => deserializeCircuit(tooLong)).toThrow('longer than 5 bytes');
	});
});
