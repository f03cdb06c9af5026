import { describe, expect, it } from 'vitest';
import { CircuitBuilder } from '../../../../src/lib/garble/circuit/builder';
import { readUnsigned, writeTwosComplement } from '../../../../src/lib/garble/circuit/twos-complement';
import { constantWord, wordConstant } from '../../../../src/lib/garble/circuit/word';
// BigInt's bits are the reference for both paths of the number arithmetic.
import { toBits } from './words';

const WIDTHS = [1, 7, 8, 31, 32, 33, 52, 53, 54, 63, 64, 65, 100, 128, 130];
const EDGES = [0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n) - 1n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 127n + 12345n];

function randomValues(count: number): bigint[] {
	return Array.from({ length: count }, () => {
		const magnitude = BigInt(Math.floor(Math.random() * 2 ** 53)) << BigInt(Math.floor(Math.random() * 80));
		return Math.random() < 0.5 ? -magnitude : magnitude;
	});
}

describe('constant words', () => {
	it('constantWord wraps any value to the width in two’s complement, from a number or a bigint', () => {
		const b = new CircuitBuilder([0]);
		for (const value of [...EDGES, ...randomValues(200)]) {
			for (const bits of WIDTHS) {
				const want = Array.from(toBits(value, bits), (bit) => (bit === 1 ? b.TRUE : b.FALSE));
				expect(constantWord(b, value, bits), `${value} in ${bits} bits`).toEqual(want);
				if (Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value) {
					expect(constantWord(b, Number(value), bits), `the number ${value} in ${bits} bits`).toEqual(want);
				}
			}
		}
	});

	it('wordConstant reads a constant word back, signed and unsigned, and nothing from a word with a variable bit', () => {
		const b = new CircuitBuilder([1]);
		for (const value of [...EDGES, ...randomValues(200)]) {
			for (const bits of WIDTHS) {
				const word = constantWord(b, value, bits);
				expect(wordConstant(b, word, false), `${value} in ${bits} bits, unsigned`).toBe(BigInt.asUintN(bits, value));
				expect(wordConstant(b, word, true), `${value} in ${bits} bits, signed`).toBe(BigInt.asIntN(bits, value));
				const variable = [...word];
				variable[Math.floor(Math.random() * bits)] = b.input(0, 0);
				expect(wordConstant(b, variable, false)).toBeUndefined();
			}
		}
		expect(wordConstant(b, [], false)).toBe(0n);
	});
});

describe('two’s complement bits', () => {
	it('writeTwosComplement and readUnsigned agree with BigInt, at an offset, for numbers and bigints', () => {
		for (const value of [...EDGES, ...randomValues(200)]) {
			for (const bits of WIDTHS) {
				const want = [...toBits(value, bits)];
				const out = new Uint8Array(bits + 3).fill(7);
				writeTwosComplement(value, bits, out, 2);
				expect([...out.subarray(2, 2 + bits)], `${value} in ${bits} bits`).toEqual(want);
				expect([out[0], out[1], out[bits + 2]]).toEqual([7, 7, 7]);
				expect(readUnsigned(out, 2, bits), `${value} in ${bits} bits, read back`).toBe(BigInt.asUintN(bits, value));
			}
		}
	});
});
