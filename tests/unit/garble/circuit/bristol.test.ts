import { ecb } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { countGates, evaluateCircuit, validateCircuit, type Bits, type Circuit } from '../../../../src/lib/garble/circuit';
import { bristolChunks, parseBristol, parseBristolFashion, toBristol } from '../../../../src/lib/garble/circuit/bristol';
import { aes128Bristol } from '../../../fixtures/circuits/aes-128';

const aesText = aes128Bristol();

/**
 * Bit order of the Bristol AES-128 circuit, as this test established: party 0 is the key,
 * party 1 the plaintext, and each 128-bit block is read as one big-endian integer whose
 * least significant bit is wire 0 — i.e. the bits in reverse of their MSB-first byte order.
 * The ciphertext comes out in the same order.
 */
function blockToBits(block: Uint8Array): Bits {
	const bits = new Uint8Array(128);
	for (let i = 0; i < 128; i++) bits[127 - i] = (block[i >> 3] >> (7 - (i & 7))) & 1;
	return bits;
}

function bitsToBlock(bits: Bits): Uint8Array {
	const block = new Uint8Array(16);
	for (let i = 0; i < 128; i++) block[i >> 3] |= bits[127 - i] << (7 - (i & 7));
	return block;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string) => Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));

function randomInputs(circuit: Circuit): Bits[] {
	return circuit.inputBits.map((n) => Uint8Array.from({ length: n }, () => (Math.random() < 0.5 ? 1 : 0)));
}

describe('Bristol Fashion', () => {
	const aes = parseBristol(aesText);

	it('parses the AES-128 reference circuit with its 6,400 AND gates', () => {
		validateCircuit(aes);
		expect(aes.inputBits).toEqual([128, 128]);
		expect(aes.outputs.length).toBe(128);
		expect(countGates(aes)).toEqual({ and: 6400, xor: 28176, not: 2087 });
	});

	it('computes the FIPS-197 Appendix C.1 vector', () => {
		const key = fromHex('000102030405060708090a0b0c0d0e0f');
		const plaintext = fromHex('00112233445566778899aabbccddeeff');
		const out = evaluateCircuit(aes, [blockToBits(key), blockToBits(plaintext)]);
		expect(hex(bitsToBlock(out))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
	});

	it('agrees with @noble/ciphers AES-128 for random keys and blocks', () => {
		for (let trial = 0; trial < 10; trial++) {
			const key = crypto.getRandomValues(new Uint8Array(16));
			const plaintext = crypto.getRandomValues(new Uint8Array(16));
			const expected = ecb(key, { disablePadding: true }).encrypt(plaintext);
			const out = evaluateCircuit(aes, [blockToBits(key), blockToBits(plaintext)]);
			expect(hex(bitsToBlock(out))).toBe(hex(expected));
		}
	});

	it('round-trips through toBristol with the same function', () => {
		const again = parseBristolFashion(toBristol(aes));
		expect(again.outputBits).toEqual([128]);
		expect(countGates(again.circuit)).toEqual(countGates(aes));
		for (let trial = 0; trial < 3; trial++) {
			const inputs = randomInputs(aes);
			expect(evaluateCircuit(again.circuit, inputs)).toEqual(evaluateCircuit(aes, inputs));
		}
	});

	it('streams the text in chunks of about 64 KB, which join to toBristol', () => {
		const chunks = [...bristolChunks(aes)];
		expect(chunks.length).toBeGreaterThan(10);
		for (const chunk of chunks) expect(chunk.length).toBeLessThan(65536 + 100);
		expect(chunks.join('')).toBe(toBristol(aes));
		// Outputs already on the last wires need no EQW.
		const lastWires: Circuit = {
			inputBits: [1, 1],
			gateKinds: Uint8Array.of(1, 0),
			gateIn0: Uint32Array.of(0, 0),
			gateIn1: Uint32Array.of(1, 1),
			outputs: Uint32Array.of(2, 3)
		};
		expect(toBristol(lastWires)).toBe('2 4\n2 1 1\n1 2\n\n2 1 0 1 2 AND\n2 1 0 1 3 XOR\n');
	});

	it('copies outputs to the last wires with EQW when they are not already there', () => {
		// Outputs: an input wire, a gate read again later, and the same wire twice.
		const circuit: Circuit = {
			inputBits: [2, 1],
			gateKinds: Uint8Array.of(0, 1, 2),
			gateIn0: Uint32Array.of(0, 3, 4),
			gateIn1: Uint32Array.of(1, 2, 0),
			outputs: Uint32Array.of(1, 3, 5, 3)
		};
		const text = toBristol(circuit, [3, 1]);
		expect(text.split('\n').slice(0, 3)).toEqual(['7 10', '2 2 1', '2 3 1']);
		const parsed = parseBristolFashion(text);
		expect(parsed.outputBits).toEqual([3, 1]);
		for (let input = 0; input < 8; input++) {
			const inputs = [Uint8Array.of(input & 1, (input >> 1) & 1), Uint8Array.of(input >> 2)];
			expect(evaluateCircuit(parsed.circuit, inputs)).toEqual(evaluateCircuit(circuit, inputs));
		}
		expect(() => toBristol(circuit, [3])).toThrow('do not add up');
	});

	it('accepts arbitrary wire numbers, gate order, EQ, EQW, NOT and MAND', () => {
		// Inputs a=0, b=1 (party 0), c=2 (party 1); outputs wires 9…12 = [a&b, !c, 1, (a^b)&c].
		const source = [
			'8 13',
			'2 2 1',
			'1 4',
			'',
			'2 1 4 2 12 AND',
			'1 1 3 9 EQW',
			'2 1 0 1 3 AND',
			'1 1 2 10 NOT',
			'1 1 1 11 EQ',
			'2 1 0 1 4 XOR',
			'4 2 4 0 2 1 6 7 MAND',
			'1 1 6 8 INV'
		].join('\n');
		const circuit = parseBristol(source);
		validateCircuit(circuit);
		for (let input = 0; input < 8; input++) {
			const [a, b, c] = [input & 1, (input >> 1) & 1, input >> 2];
			const out = evaluateCircuit(circuit, [Uint8Array.of(a, b), Uint8Array.of(c)]);
			expect([...out]).toEqual([a & b, c ^ 1, 1, (a ^ b) & c]);
		}
	});

	it('names the line of malformed input', () => {
		const bad = (gates: string[], header = ['1 4', '2 1 1', '1 1', '']) => () => parseBristol([...header, ...gates].join('\n'));
		expect(bad(['2 1 0 1 3 NAND'])).toThrow("line 5: unknown gate kind 'NAND'");
		expect(bad(['2 1 0 1 3'])).toThrow('line 5');
		expect(bad(['2 1 0 x 3 AND'])).toThrow("line 5: wire must be a non-negative integer, got 'x'");
		expect(bad(['2 1 0 1 9 AND'])).toThrow('line 5: wire 9 is out of range');
		expect(bad(['1 1 0 3 AND'])).toThrow('line 5: AND takes 2 input(s)');
		expect(bad(['2 1 0 1 1 AND'])).toThrow('line 5: gate writes input wire 1');
		expect(bad(['1 1 2 3 EQ'])).toThrow("line 5: EQ assigns a constant 0 or 1, got '2'");
		expect(bad([])).toThrow('unexpected end of file, expected gate 1 of 1');
		expect(bad(['2 1 0 1 3 AND', '2 1 0 1 3 XOR'])).toThrow('line 6: unexpected text after the 1 announced gates');
		expect(bad(['2 1 0 1 2 AND'], ['1 4', '1 2', '1 1', ''])).toThrow('output wire 3 is never written');
		expect(bad(['2 1 0 3 2 AND'], ['1 4', '1 2', '1 1', ''])).toThrow('gate reads wire 3, which no gate writes');
		expect(bad(['2 1 0 3 2 AND', '2 1 0 2 3 XOR'], ['2 4', '1 2', '1 1', ''])).toThrow('line 5: the gates form a cycle');
		expect(bad(['2 1 0 1 3 AND', '2 1 0 1 3 XOR'], ['2 4', '1 2', '1 1', ''])).toThrow(
			'line 6: wire 3 is already written by the gate on line 5'
		);
		expect(() => parseBristol('1 4\n2 1\n1 1\n')).toThrow('line 2: the input line announces 2 sizes but lists 1');
		expect(() => parseBristol('1\n')).toThrow('line 1: the header must be');
	});
});
