import { describe, expect, it } from 'vitest';
import type { CircuitBuilder, Wire } from '../../../../src/lib/garble/circuit/builder';
import { add, negate, sub } from '../../../../src/lib/garble/circuit/arith';
import { equal, greaterOrEqual, greaterThan, lessOrEqual, lessThan, max, min, notEqual } from '../../../../src/lib/garble/circuit/compare';
import { divRem } from '../../../../src/lib/garble/circuit/divide';
import { mul } from '../../../../src/lib/garble/circuit/multiply';
import { constantWord } from '../../../../src/lib/garble/circuit/word';
import { WordCircuit, allValues, fromBits, randomValues, range, wrap } from './words';

const flag = (condition: boolean) => (condition ? 1n : 0n);

/** An operation on two n-bit words and its BigInt reference: the expected output words, in order. */
interface BinaryOp {
	name: string;
	build(b: CircuitBuilder, x: Wire[], y: Wire[], signed: boolean): Wire[][];
	reference(x: bigint, y: bigint, bits: number, signed: boolean): bigint[];
}

function outOfRange(value: bigint, bits: number, signed: boolean): boolean {
	const { min, max } = range(bits, signed);
	return value < min || value > max;
}

const arithmetic = (name: string, op: (x: bigint, y: bigint) => bigint, build: BinaryOp['build']): BinaryOp => ({
	name,
	build,
	reference: (x, y, bits, signed) => {
		const exact = op(x, y);
		return [wrap(exact, bits, signed), flag(outOfRange(exact, bits, signed))];
	}
});

const comparison = (name: string, op: (x: bigint, y: bigint) => boolean, build: (b: CircuitBuilder, x: Wire[], y: Wire[], s: boolean) => Wire): BinaryOp => ({
	name,
	build: (b, x, y, signed) => [[build(b, x, y, signed)]],
	reference: (x, y) => [flag(op(x, y))]
});

const OPS: BinaryOp[] = [
	arithmetic('add', (x, y) => x + y, (b, x, y, s) => {
		const { sum, overflow } = add(b, x, y, s);
		return [sum, [overflow]];
	}),
	arithmetic('sub', (x, y) => x - y, (b, x, y, s) => {
		const { diff, overflow } = sub(b, x, y, s);
		return [diff, [overflow]];
	}),
	arithmetic('mul', (x, y) => x * y, (b, x, y, s) => {
		const { product, overflow } = mul(b, x, y, s);
		return [product, [overflow]];
	}),
	{
		name: 'divRem',
		build: (b, x, y, s) => {
			const d = divRem(b, x, y, s);
			return [d.quotient, d.remainder, [d.divByZero], [d.overflow]];
		},
		reference: (x, y, bits, signed) => {
			if (y === 0n) return [signed ? (x < 0n ? 1n : -1n) : range(bits, false).max, x, 1n, 0n];
			if (signed && x === range(bits, true).min && y === -1n) return [x, 0n, 0n, 1n];
			return [x / y, x % y, 0n, 0n];
		}
	},
	comparison('==', (x, y) => x === y, equal),
	comparison('!=', (x, y) => x !== y, notEqual),
	comparison('<', (x, y) => x < y, lessThan),
	comparison('<=', (x, y) => x <= y, lessOrEqual),
	comparison('>', (x, y) => x > y, greaterThan),
	comparison('>=', (x, y) => x >= y, greaterOrEqual),
	{
		name: 'min/max',
		build: (b, x, y, s) => [min(b, x, y, s), max(b, x, y, s)],
		reference: (x, y) => [x < y ? x : y, x < y ? y : x]
	}
];

/** Checks op on every pair, comparing the raw output bits with the reference wrapped to their width. */
function check(op: BinaryOp, bits: number, signed: boolean, pairs: [bigint, bigint][], constantY = false): void {
	const circuit = constantY ? undefined : new WordCircuit([bits, bits], (b, [x, y]) => op.build(b, x, y, signed));
	for (const [x, y] of pairs) {
		const c = circuit ?? new WordCircuit([bits], (b, [xw]) => op.build(b, xw, constantWord(b, y, bits), signed));
		const out = c.run(constantY ? [x] : [x, y]);
		const expected = op.reference(x, y, bits, signed);
		const got = out.map((o) => fromBits(o, false));
		const want = expected.map((e, i) => BigInt.asUintN(out[i].length, e));
		if (got.some((g, i) => g !== want[i])) {
			expect.fail(`${op.name} ${signed ? 'signed' : 'unsigned'} ${bits}-bit ${x}, ${y}: got [${got}], expected [${want}]`);
		}
	}
}

function allPairs(bits: number, signed: boolean): [bigint, bigint][] {
	const values = allValues(bits, signed);
	return values.flatMap((x) => values.map((y): [bigint, bigint] => [x, y]));
}

function randomPairs(bits: number, signed: boolean): [bigint, bigint][] {
	const edges = randomValues(bits, signed, 9);
	const xs = randomValues(bits, signed, 120, 7);
	const ys = randomValues(bits, signed, 120, 11);
	return [...edges.flatMap((x) => edges.map((y): [bigint, bigint] => [x, y])), ...xs.map((x, i): [bigint, bigint] => [x, ys[(i * 7) % ys.length]])];
}

describe.each([false, true])('word arithmetic (signed: %s)', (signed) => {
	for (const op of OPS) {
		it(`${op.name}: every pair of 4- and 5-bit values`, () => {
			for (const bits of [4, 5]) check(op, bits, signed, allPairs(bits, signed));
		});
		it(`${op.name}: random and edge values of 8, 16, 32 and 64 bits`, () => {
			for (const bits of [8, 16, 32, 64]) check(op, bits, signed, randomPairs(bits, signed));
		});
	}

	it('mul: random values of odd widths, where Karatsuba splits unevenly', () => {
		const mulOp = OPS.find((op) => op.name === 'mul')!;
		for (const bits of [17, 24, 33, 47]) check(mulOp, bits, signed, randomPairs(bits, signed));
	});

	it('folds constant right operands and still computes the same', () => {
		for (const op of OPS) {
			const pairs = allPairs(5, signed).filter((_, i) => i % 7 === 0);
			check(op, 5, signed, pairs, true);
		}
	});

	it('mul by a constant, on either side: exact checked_mul for every 6-bit constant and value, and random 64-bit ones', () => {
		const mulOp = OPS.find((op) => op.name === 'mul')!;
		const cases: [number, bigint[], bigint[]][] = [
			[6, allValues(6, signed), allValues(6, signed)],
			[64, randomValues(64, signed, 40, 3), randomValues(64, signed, 60, 5)]
		];
		for (const [bits, constants, xs] of cases) {
			for (const c of constants) {
				const left = new WordCircuit([bits], (b, [x]) => mulOp.build(b, constantWord(b, c, bits), x, signed));
				const right = new WordCircuit([bits], (b, [x]) => mulOp.build(b, x, constantWord(b, c, bits), signed));
				for (const x of xs) {
					const want = mulOp.reference(x, c, bits, signed).map((e, i) => BigInt.asUintN(i === 0 ? bits : 1, e));
					for (const circuit of [left, right]) {
						const got = circuit.run([x]).map((o) => fromBits(o, false));
						if (got.some((g, i) => g !== want[i])) expect.fail(`${x} * ${c} (${bits} bits): got [${got}], expected [${want}]`);
					}
				}
			}
		}
	});

	it('negate: -x with overflow exactly for the signed minimum, every 4- and 5-bit value and random 64-bit ones', () => {
		for (const bits of [4, 5, 64]) {
			const c = new WordCircuit([bits], (b, [x]) => {
				const { result, overflow } = negate(b, x);
				return [result, [overflow]];
			});
			const values = bits === 64 ? randomValues(bits, signed, 100) : allValues(bits, signed);
			for (const x of values) {
				const [result, overflow] = c.run([x]);
				expect(fromBits(result, signed)).toBe(wrap(-x, bits, signed));
				// Overflow flags the bit pattern of the signed minimum, whatever the type.
				expect(fromBits(overflow, false)).toBe(flag(wrap(x, bits, true) === range(bits, true).min));
			}
		}
	});
});
