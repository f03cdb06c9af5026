import { describe, expect, it } from 'vitest';
import { countGates } from '../../../../src/lib/garble/circuit';
import { CircuitBuilder, type Wire } from '../../../../src/lib/garble/circuit/builder';
import {
	add,
	arrayGet,
	arraySet,
	constantWord,
	divRem,
	equal,
	lessThan,
	mul,
	negate,
	shiftLeft,
	shiftRight,
	sub
} from '../../../../src/lib/garble/circuit/index';

/**
 * AND gates — what every MPC run pays for — of each construction after dead-gate removal,
 * with every output the language needs (result and panic flags), against a bound written as
 * a formula of n and against garble-lang's measured counts where known.
 */
function ands(inputBits: number[], build: (b: CircuitBuilder, inputs: Wire[][]) => Wire[]): number {
	const b = new CircuitBuilder(inputBits);
	return countGates(b.build(build(b, inputBits.map((_, p) => b.inputs(p))))).and;
}

interface Row {
	name: string;
	count(n: number): number;
	bound(n: number): number;
	garble?: (n: number) => number;
}

const log2 = Math.log2;
const rows: Row[] = [];
for (const signed of [false, true]) {
	const t = signed ? 'i' : 'u';
	rows.push(
		{
			name: `${t}n + ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => Object.values(add(b, x, y, signed)).flat()),
			bound: (n) => n,
			garble: signed ? undefined : (n) => 3 * n - 2
		},
		{
			name: `${t}n - ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => Object.values(sub(b, x, y, signed)).flat()),
			bound: (n) => n,
			garble: signed ? undefined : (n) => 4 * n
		},
		{
			name: `${t}n < ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => [lessThan(b, x, y, signed)]),
			bound: (n) => n,
			garble: signed ? undefined : (n) => 6 * n - 7
		},
		{
			name: `${t}n * ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => Object.values(mul(b, x, y, signed)).flat()),
			// Schoolbook below 32 bits (signed) or 16 bits (unsigned), then Karatsuba.
			bound: (n) => Math.min(2 * n * n, 8 * n ** log2(3)),
			garble: signed ? undefined : (n) => 4 * n * n - 4 * n - 1
		},
		{
			name: `${t}n / ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => divisionOutputs(divRem(b, x, y, signed), 'quotient')),
			bound: (n) => 0.75 * n * n + (signed ? 5 : 2) * n
		},
		{
			name: `${t}n % ${t}n`,
			count: (n) => ands([n, n], (b, [x, y]) => divisionOutputs(divRem(b, x, y, signed), 'remainder')),
			bound: (n) => 0.75 * n * n + (signed ? 7 : 4) * n
		},
		{
			name: `${t}n << u8`,
			count: (n) => ands([n, 8], (b, [x, y]) => Object.values(shiftLeft(b, x, y)).flat()),
			bound: (n) => n * log2(n) + 8,
			garble: (n) => 8 * n + 8 - log2(n) - 1
		},
		{
			name: `${t}n >> u8`,
			count: (n) => ands([n, 8], (b, [x, y]) => Object.values(shiftRight(b, x, y, signed)).flat()),
			bound: (n) => n * log2(n) + 8,
			garble: (n) => 8 * n + 8 - log2(n) - 1
		},
		{
			name: `${t}n * 3`,
			count: (n) => ands([n], (b, [x]) => Object.values(mul(b, x, constantWord(b, 3, n), signed)).flat()),
			bound: (n) => n + 1
		},
		{
			name: `${t}n * 1000`,
			count: (n) => ands([n], (b, [x]) => Object.values(mul(b, x, constantWord(b, 1000, n), signed)).flat()),
			bound: (n) => 2 * n + 8
		},
		{
			// n − 1 one bits, but only two signed digits: x·2^(n−1) − x.
			name: `${t}n * (2^(n−1) − 1)`,
			count: (n) => ands([n], (b, [x]) => Object.values(mul(b, x, constantWord(b, (1n << BigInt(n - 1)) - 1n, n), signed)).flat()),
			bound: (n) => 3 * n - 5
		},
		{
			name: `${t}n < 5`,
			count: (n) => ands([n], (b, [x]) => [lessThan(b, x, constantWord(b, 5, n), signed)]),
			bound: (n) => n
		},
		{
			name: `${t}n / 4`,
			count: (n) => ands([n], (b, [x]) => divisionOutputs(divRem(b, x, constantWord(b, 4, n), signed), 'quotient')),
			bound: (n) => (signed ? 2 * n : 0)
		},
		{
			name: `${t}n / 10`,
			count: (n) => ands([n], (b, [x]) => divisionOutputs(divRem(b, x, constantWord(b, 10, n), signed), 'quotient')),
			bound: (n) => (signed ? 7 : 5) * n
		}
	);
}
rows.push(
	{ name: 'n == n', count: (n) => ands([n, n], (b, [x, y]) => [equal(b, x, y)]), bound: (n) => n - 1 },
	{ name: 'in * -1', count: (n) => ands([n], (b, [x]) => Object.values(mul(b, x, constantWord(b, -1, n), true)).flat()), bound: (n) => n - 1 },
	{ name: 'in * -1000', count: (n) => ands([n], (b, [x]) => Object.values(mul(b, x, constantWord(b, -1000, n), true)).flat()), bound: (n) => 2 * n + 8 },
	{ name: '-in', count: (n) => ands([n], (b, [x]) => Object.values(negate(b, x)).flat()), bound: (n) => n - 1 }
);

function divisionOutputs(d: ReturnType<typeof divRem>, which: 'quotient' | 'remainder'): Wire[] {
	return [...d[which], d.divByZero, d.overflow];
}

/** a[i] and a[i] = v on [u32; length] with a usize (u32) index. */
const arrayRows = [
	{
		name: 'a[i], [u32; L]',
		count: (length: number) =>
			ands([32 * length, 32], (b, [flat, i]) => Object.values(arrayGet(b, split(flat, length), i)).flat()),
		bound: (length: number) => (length - 1) * 32 + 32,
		garble: { 8: 1186 } as Record<number, number>
	},
	{
		name: 'a[i] = v, [u32; L]',
		count: (length: number) =>
			ands([32 * length, 32, 32], (b, [flat, i, v]) => {
				const { elements, outOfBounds } = arraySet(b, split(flat, length), i, v);
				return [...elements.flat(), outOfBounds];
			}),
		bound: (length: number) => length * 32 + length + 32,
		garble: { 8: 8226 } as Record<number, number>
	}
];

function split(flat: Wire[], length: number): Wire[][] {
	const bits = flat.length / length;
	return Array.from({ length }, (_, i) => flat.slice(i * bits, (i + 1) * bits));
}

const WIDTHS = [8, 16, 32, 64];
const LENGTHS = [4, 8, 16, 32];

describe('AND-gate counts', () => {
	it.each(rows)('$name stays within its bound for n = 8, 16, 32, 64', (row) => {
		for (const n of WIDTHS) expect(row.count(n), `n = ${n}`).toBeLessThanOrEqual(row.bound(n));
	});

	it.each(arrayRows)('$name stays within its bound', (row) => {
		for (const length of LENGTHS) expect(row.count(length), `length ${length}`).toBeLessThanOrEqual(row.bound(length));
	});

	// garble-lang's counts: measured for unsigned + - < * and the arrays, counted from its
	// compile.rs for shifts (8 mux layers and an OR of the high amount bits).
	it('needs no more AND gates than garble-lang wherever its count is known, and prints both', () => {
		const table = [`${'construction'.padEnd(20)}${WIDTHS.map((n) => `n=${n}`.padStart(16)).join('')}`];
		const compared: string[] = [];
		for (const row of rows) {
			const cells = WIDTHS.map((n) => {
				const count = row.count(n);
				const garble = row.garble?.(n);
				if (garble !== undefined) {
					expect(count, `${row.name}, n = ${n}`).toBeLessThanOrEqual(garble);
					compared.push(`${row.name}, n = ${n}`);
				}
				return `${count}${garble !== undefined ? ` (${garble})` : ''}`.padStart(16);
			});
			table.push(row.name.padEnd(20) + cells.join(''));
		}
		for (const row of arrayRows) {
			const cells = LENGTHS.map((length) => {
				const count = row.count(length);
				const garble = row.garble[length];
				if (garble !== undefined) {
					expect(count, `${row.name}, length ${length}`).toBeLessThanOrEqual(garble);
					compared.push(`${row.name}, length ${length}`);
				}
				return `L=${length}: ${count}${garble !== undefined ? ` (${garble})` : ''}`.padStart(16);
			});
			table.push(row.name.padEnd(20) + cells.join(''));
		}
		console.log(table.join('\n'));
		// Unsigned + - < * at four widths, four shifts at four widths, the two array rows at L = 8.
		expect(compared.length).toBe(4 * 4 + 4 * 4 + 2);
	});
});
