/**
 * Circuit sizes: garble-lang's circuit tests compile a naive and an optimised version of a
 * program and expect the same circuit; plus the AND-gate targets of issue 3.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/lib/garble';
import { countGates } from '../../../src/lib/garble/circuit';

function gates(source: string): { and: number; total: number } {
	const { and, xor, not } = countGates(compile(source).circuit);
	return { and, total: and + xor + not };
}

function expectSameCircuitSize(naive: string, optimized: string): void {
	expect(gates(naive)).toEqual(gates(optimized));
}

describe('optimisation: naive programs compile like their optimised forms', () => {
	it('folds constants', () => {
		expectSameCircuitSize('pub fn main(x: bool) -> bool {\n    x | true\n}', 'pub fn main(_x: bool) -> bool {\n    true\n}');
		expectSameCircuitSize('pub fn main(_x: i32) -> i32 {\n    1i32 + 2i32 + 3i32 + 4i32\n}', 'pub fn main(_x: i32) -> i32 {\n    10i32\n}');
		expectSameCircuitSize(
			'pub fn main(x: u32) -> [u32; 17] {\n    [\n        0 & x, x & 0,\n        0 | x, x | 0,\n        0 ^ x, x ^ 0,\n        1 & x, x & 1,\n        1 | x, x | 1,\n        x & x, x & !x,\n        x | x, x | !x,\n        x ^ x, x ^ !x,\n        !!x,\n    ]\n}',
			'pub fn main(x: u32) -> [u32; 17] {\n    [\n        0, 0,\n        x, x,\n        x, x,\n        x & 1, x & 1,\n        x | 1, x | 1,\n        x, 0,\n        x, !0,\n        0, !0,\n        x,\n    ]\n}'
		);
	});

	it('simplifies AND patterns', () => {
		const abc = (body: string) => `pub fn main(a: u32, b: u32, c: u32) -> u32 {\n    ${body}\n}`;
		expectSameCircuitSize(abc('(a & b) & a'), abc('a & b'));
		expectSameCircuitSize(abc('a & (b & a)'), abc('a & b'));
		expectSameCircuitSize(abc('(a & b) & (a & c)'), abc('a & b & c'));
		for (const zero of ['(a & b) & !a', 'a & (b & !a)', '(a & b) & (!a & b)']) expectSameCircuitSize(abc(zero), abc('0'));
	});

	it('simplifies XOR patterns', () => {
		const abc = (body: string) => `pub fn main(a: u32, b: u32, c: u32) -> u32 {\n    ${body}\n}`;
		expectSameCircuitSize(abc('(a ^ b) ^ a'), abc('b'));
		expectSameCircuitSize(abc('a ^ (b ^ a)'), abc('b'));
		expectSameCircuitSize(abc('(a ^ b) ^ (a ^ c)'), abc('b ^ c'));
		expectSameCircuitSize(abc('(a ^ b) ^ !a'), abc('b ^ !0'));
		expectSameCircuitSize(abc('a ^ (b ^ !a)'), abc('b ^ !0'));
		expectSameCircuitSize(abc('(a ^ b) ^ (!a ^ b)'), abc('!0'));
		expectSameCircuitSize(abc('!!a'), abc('a'));
	});

	it('computes an expression once however often it is written', () => {
		expectSameCircuitSize('pub fn main(b: bool, x: i32) -> bool {\n    if b { x < x } else { x < x }\n}', 'pub fn main(b: bool, x: i32) -> bool {\n    let y = x < x;\n    if b { y } else { y }\n}');
		expectSameCircuitSize('pub fn main(x: i32) -> i32 {\n    (x * x) + (x * x)\n}', 'pub fn main(x: i32) -> i32 {\n    let y = x * x;\n    y + y\n}');
		const helpers = '\nfn square(num: i8) -> i8 {\n\tnum * num\n}\n\nfn add(a: i8, b: i8) -> i8 {\n    a + b\n}\n';
		expectSameCircuitSize(
			`pub fn main(input1: i8, input2: i8) -> bool {\n\tlet _unused = add(input1, input2);\n\tsquare(input1) < input2 || square(input1) > input2\n}\n${helpers}`,
			`pub fn main(input1: i8, input2: i8) -> bool {\n\tlet _unused = add(input1, input2);\n\tlet squared = square(input1);\n\tsquared < input2 || squared > input2\n}\n${helpers}`
		);
	});

	it('turns constant shifts and casts into wiring', () => {
		const optimized = 'pub fn main(arr1: [u8; 8], arr2: [u8; 8], choice: bool) -> [u8; 8] {\n    let arr = if choice { arr1 } else { arr2 };\n    arr\n}';
		const shifts = (order: number[]) =>
			`pub fn main(arr1: [u32; 2], arr2: [u32; 2], choice: bool) -> [u8; 8] {\n    let arr = if choice { arr1 } else { arr2 };\n    [\n${[0, 1]
				.flatMap((i) => order.map((by) => (by === 0 ? `        arr[${i}] as u8,` : `        (arr[${i}] >> ${by}u8) as u8,`)))
				.join('\n')}\n    ]\n}`;
		expectSameCircuitSize(shifts([24, 16, 8, 0]), optimized);
		expectSameCircuitSize(shifts([0, 8, 16, 24]), optimized);
	});

	it('regrouping tuple fields costs no gates at all', () => {
		const source = 'pub fn main(arr1: [(u16, u16, u32); 8]) -> [((u16, u16), u32); 8] {\n    let mut arr2 = [((0u16, 0u16), 0u32); 8];\n    let mut i = 0usize;\n    for elem in arr1 {\n        let (a, b, c) = elem;\n        arr2[i] = ((a, b), c);\n        i = i + 1usize;\n    }\n    arr2\n}';
		expect(gates(source)).toEqual({ and: 0, total: 0 });
	});

	it('multiplies by a small constant no dearer than by adding', () => {
		expect(gates('pub fn main(x: i32) -> i32 {\n    2 * x\n}').and).toBeLessThanOrEqual(gates('pub fn main(x: i32) -> i32 {\n    x + x\n}').and);
		// One addition, and one more gate for the overflow test of the exact product.
		expect(gates('pub fn main(x: u32) -> u32 {\n    3 * x\n}').and).toBeLessThanOrEqual(gates('pub fn main(x: u32, y: u32) -> u32 {\n    x + y\n}').and + 1);
		expect(gates('pub fn main(x: i32) -> i32 {\n    x * 1000\n}').and).toBeLessThan(gates('pub fn main(x: i32, y: i32) -> i32 {\n    x * y\n}').and / 20);
	});
});

describe('AND gates against garble-lang (unsigned 32-bit, overflow checks included)', () => {
	const n = 32;
	const and = (body: string, params = 'x: u32, y: u32', ret = 'u32') => gates(`pub fn main(${params}) -> ${ret} { ${body} }`).and;

	it('add, sub and < cost about n (garble-lang: 3n−2, 4n, 6n−7)', () => {
		expect(and('x + y')).toBeLessThanOrEqual(n);
		expect(and('x - y')).toBeLessThanOrEqual(n);
		expect(and('x < y', undefined, 'bool')).toBeLessThanOrEqual(n);
		expect(and('x == y', undefined, 'bool')).toBeLessThanOrEqual(n - 1);
	});

	it('mul costs less than 2n², by Karatsuba (garble-lang: 4n²−4n−1)', () => {
		expect(and('x * y')).toBeLessThanOrEqual(8 * n ** Math.log2(3));
	});

	it('array access costs about (len − 1) · bits plus the bounds check (garble-lang: 1,186 and 8,226)', () => {
		const bounds = n;
		expect(and('a[i]', 'a: [u32; 8], i: usize')).toBeLessThanOrEqual(7 * n + bounds);
		expect(and('let mut c = b; c[i] = v; c', 'b: [u32; 8], i: usize, v: u32', '[u32; 8]')).toBeLessThanOrEqual(8 * n + 2 * 8 + bounds);
	});

	it('a panic site costs about one AND gate beyond its condition', () => {
		const one = and('x + y');
		const many = and('let a = x + y; let b = a + y; let c = b + y; c');
		expect(many).toBeLessThanOrEqual(3 * one + 3);
	});
});
