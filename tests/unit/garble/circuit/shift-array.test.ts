import { describe, expect, it } from 'vitest';
import { arrayGet, arraySet } from '../../../../src/lib/garble/circuit/array';
import { shiftLeft, shiftRight } from '../../../../src/lib/garble/circuit/shift';
import { constantWord, resize } from '../../../../src/lib/garble/circuit/word';
import { WordCircuit, allValues, fromBits, randomValues, wrap } from './words';

/** Bits of the barrel shifter: amounts are taken modulo 2^⌈log2 n⌉. */
const shiftModulus = (bits: number) => 1n << BigInt(Math.max(0, Math.ceil(Math.log2(bits))));

describe.each([false, true])('shifts (signed: %s)', (signed) => {
	const check = (bits: number, xs: bigint[], amounts: bigint[]) => {
		const c = new WordCircuit([bits, 8], (b, [x, amount]) => {
			const left = shiftLeft(b, x, amount);
			const right = shiftRight(b, x, amount, signed);
			return [left.result, [left.overflow], right.result, [right.overflow]];
		});
		for (const x of xs) {
			for (const amount of amounts) {
				const [left, leftOverflow, right, rightOverflow] = c.run([x, amount]);
				const by = amount % shiftModulus(bits);
				const overflow = amount >= BigInt(bits) ? 1n : 0n;
				const context = `${bits}-bit ${x} by ${amount}`;
				expect(fromBits(left, signed), `${context} <<`).toBe(wrap(x << by, bits, signed));
				expect(fromBits(right, signed), `${context} >>`).toBe(x >> by);
				expect(fromBits(leftOverflow, false), context).toBe(overflow);
				expect(fromBits(rightOverflow, false), context).toBe(overflow);
			}
		}
	};

	it('shifts every 4- and 5-bit value by every u8 amount', () => {
		for (const bits of [4, 5]) check(bits, allValues(bits, signed), allValues(8, false));
	});

	it('shifts random 8-, 16-, 32- and 64-bit values by every u8 amount', () => {
		for (const bits of [8, 16, 32, 64]) check(bits, randomValues(bits, signed, 6), allValues(8, false));
	});

	it('works with a narrow amount word and with a constant amount', () => {
		const narrow = new WordCircuit([8, 2], (b, [x, amount]) => [shiftLeft(b, x, amount).result, [shiftLeft(b, x, amount).overflow]]);
		const constant = new WordCircuit([8], (b, [x]) => [shiftRight(b, x, constantWord(b, 3, 8), signed).result]);
		for (const x of randomValues(8, signed, 20)) {
			for (const amount of [0n, 1n, 2n, 3n]) {
				const [result, overflow] = narrow.run([x, amount]);
				expect(fromBits(result, signed)).toBe(wrap(x << amount, 8, signed));
				expect(fromBits(overflow, false)).toBe(0n);
			}
			expect(fromBits(constant.run([x])[0], signed)).toBe(x >> 3n);
		}
		expect(new WordCircuit([8], (b, [x]) => [shiftRight(b, x, constantWord(b, 3, 8), signed).result]).circuit.gateKinds.length).toBeLessThanOrEqual(2);
	});
});

describe('array access', () => {
	const elementBits = 5;
	const randomArray = (length: number, seed: number) => randomValues(elementBits, false, length + 9, seed).slice(9);
	const build = (length: number, indexBits: number) =>
		new WordCircuit([length * elementBits, indexBits, elementBits], (b, [flat, index, value]) => {
			const elements = Array.from({ length }, (_, i) => flat.slice(i * elementBits, (i + 1) * elementBits));
			const get = arrayGet(b, elements, index, elementBits);
			const set = arraySet(b, elements, index, value);
			return [get.value, [get.outOfBounds], set.elements.flat(), [set.outOfBounds]];
		});
	const flatten = (array: bigint[]) => array.reduce((acc, v) => (acc << BigInt(elementBits)) | v, 0n);

	it.each([1, 2, 3, 5, 7, 8, 9, 16])('reads and writes every index of a length-%i array, and flags every index past the end', (length) => {
		for (const indexBits of [3, 4, 8]) {
			const c = build(length, indexBits);
			const array = randomArray(length, length * 31 + indexBits);
			for (const index of allValues(indexBits, false)) {
				const value = BigInt(index * 3n + 1n) & 31n;
				const [got, getOut, updated, setOut] = c.run([flatten(array), index, value]);
				const inBounds = index < BigInt(length);
				const expectedUpdate = array.map((e, i) => (BigInt(i) === index ? value : e));
				expect(fromBits(getOut, false)).toBe(inBounds ? 0n : 1n);
				expect(fromBits(setOut, false)).toBe(inBounds ? 0n : 1n);
				// Out of bounds the read value is one of the elements and the array is unchanged.
				if (inBounds) expect(fromBits(got, false)).toBe(array[Number(index)]);
				else expect(array).toContain(fromBits(got, false));
				expect(fromBits(updated, false)).toBe(flatten(expectedUpdate));
			}
		}
	});

	it('handles an index too narrow to reach every element, and empty arrays', () => {
		const c = build(9, 2);
		const array = randomArray(9, 5);
		for (const index of [0n, 1n, 2n, 3n]) {
			const [got, getOut, updated, setOut] = c.run([flatten(array), index, 7n]);
			expect([fromBits(got, false), fromBits(getOut, false), fromBits(setOut, false)]).toEqual([array[Number(index)], 0n, 0n]);
			expect(fromBits(updated, false)).toBe(flatten(array.map((e, i) => (BigInt(i) === index ? 7n : e))));
		}
		const empty = new WordCircuit([4], (b, [index]) => {
			const get = arrayGet(b, [], index, 3);
			const set = arraySet(b, [], index, resize(b, index, 3, false));
			return [get.value, [get.outOfBounds], [set.outOfBounds]];
		});
		expect(empty.run([2n]).map((o) => [...o])).toEqual([[0, 0, 0], [1], [1]]);
	});

	it('is free for a constant index', () => {
		const c = new WordCircuit([8 * elementBits], (b, [flat]) => {
			const elements = Array.from({ length: 8 }, (_, i) => flat.slice(i * elementBits, (i + 1) * elementBits));
			const index = constantWord(b, 5, 32);
			const get = arrayGet(b, elements, index);
			const set = arraySet(b, elements, index, elements[0]);
			return [get.value, [get.outOfBounds], set.elements.flat(), [set.outOfBounds]];
		});
		expect(c.circuit.gateKinds.filter((k) => k === 1).length).toBe(0);
		const array = randomArray(8, 3);
		const [got, getOut, updated] = c.run([flatten(array)]);
		expect([fromBits(got, false), fromBits(getOut, false)]).toEqual([array[5], 0n]);
		expect(fromBits(updated, false)).toBe(flatten(array.map((e, i) => (i === 5 ? array[0] : e))));
	});

	it('rejects elements of different widths', () => {
		expect(() => new WordCircuit([3, 2], (b, [x, i]) => [arrayGet(b, [x, x.slice(1)], i).value])).toThrow('element 1 has 2 bits, expected 3');
	});
});
