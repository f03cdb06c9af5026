/** The behaviours of garble-lang's compile tests, on our compiler. */
import { describe, expect, it } from 'vitest';
import { compile, GarbleCompileError } from '../../../src/lib/garble';
import { countGates } from '../../../src/lib/garble/circuit';
import { panicReason, range, run, runProgram } from './run';

const OVERFLOW = 'Overflow';

/** Rust's wrapping of an integer into `bits` bits, signed or not. */
function wrap(n: number, bits: number, signed: boolean): number {
	const big = BigInt(n);
	return Number(signed ? BigInt.asIntN(bits, big) : BigInt.asUintN(bits, big));
}

describe('compiling expressions', () => {
	it('xor with a constant', () => {
		for (const y of [true, false]) {
			const program = compile(`pub fn main(x: bool) -> bool {\n    x ^ ${y}\n}`);
			for (const x of [true, false]) expect(runProgram(program, [String(x)])).toBe(String(x !== y));
		}
	});

	it('add with narrowed literals, in u8 and u16', () => {
		for (const y of range(0, 127, 7)) {
			const program = compile(`pub fn main(x: u8) -> u8 {\n    x + ${y}\n}`);
			for (const x of range(0, 127, 3)) expect(runProgram(program, [String(x)])).toBe(String(x + y));
		}
		for (const y of range(240, 280, 7)) {
			const program = compile(`pub fn main(x: u16) -> u16 {\n    x + ${y}\n}`);
			for (const x of range(240, 280, 3)) expect(runProgram(program, [String(x)])).toBe(String(x + y));
		}
	});

	it('let bindings and calls of static functions', () => {
		expect(run('pub fn main(x: u16) -> u16 {\n    let y = x + 1;\n    y + 1\n}', ['255'])).toBe('257');
		const calls = 'pub fn main(x: u16) -> u16 {\n    inc(x)\n}\n\nfn inc(x: u16) -> u16 {\n    add(x, 1)\n}\n\nfn add(x: u16, y: u16) -> u16 {\n    x + y\n}';
		expect(run(calls, ['255'])).toBe('256');
	});

	it('if with a constant-folded condition', () => {
		const program = compile('pub fn main(x: bool) -> u8 {\n    if (true & false) ^ x {\n        100\n    } else {\n        50\n    }\n}');
		expect(runProgram(program, ['true'])).toBe('100');
		expect(runProgram(program, ['false'])).toBe('50');
	});

	it('bit operations, comparisons and equality', () => {
		const bits = compile('pub fn main(x: u16, y: u16, z: u16) -> u16 {\n    x | (y & (z ^ 2))\n}');
		const signedBits = compile('pub fn main(x: i16, y: i16, z: i16) -> i16 {\n    x | (y & (z ^ 2))\n}');
		for (const x of range(10, 20, 3)) {
			for (const y of range(10, 20, 2)) {
				for (const z of range(10, 20, 3)) {
					expect(runProgram(bits, [`${x}`, `${y}`, `${z}`])).toBe(String(x | (y & (z ^ 2))));
					expect(runProgram(signedBits, [`${-x}`, `${y - 15}`, `${z}`])).toBe(String(-x | ((y - 15) & (z ^ 2))));
				}
			}
		}
		const cmp = compile('pub fn main(x: u16, y: u16) -> bool {\n    (x > y) & (x < 10)\n}');
		const signedCmp = compile('pub fn main(x: i16, y: i16) -> bool {\n    (x > y) & (y < x)\n}');
		const eq = compile('pub fn main(x: u16, y: u16) -> bool {\n    (x == y) & (x != 0)\n}');
		for (const x of range(5, 15)) {
			for (const y of range(5, 15)) {
				expect(runProgram(cmp, [`${x}`, `${y}`])).toBe(String(x > y && x < 10));
				expect(runProgram(signedCmp, [`${x - 10}`, `${y - 10}`])).toBe(String(x > y));
				expect(runProgram(eq, [`${x % 2}`, `${y % 2}`])).toBe(String(x % 2 === y % 2 && x % 2 !== 0));
			}
		}
	});

	it('casts between numbers and booleans', () => {
		const unsigned = compile('pub fn main(x: u16, y: u8) -> u16 {\n    (x as u8) as u16 + y as u16\n}');
		for (const x of range(200, 300, 7)) for (const y of range(0, 10, 3)) expect(runProgram(unsigned, [`${x}`, `${y}`])).toBe(String((x & 255) + y));
		const bools = compile('pub fn main(x: bool, y: u8) -> u16 {\n    x as u16 + y as u16\n}');
		for (const x of [true, false]) for (const y of range(0, 10)) expect(runProgram(bools, [`${x}`, `${y}`])).toBe(String(Number(x) + y));
		const cases: [string, string, string, number, number][] = [
			['i16', 'u8', '-200..200', 16, 8],
			['i8', 'u16', '-128..127', 8, 16],
			['u16', 'i8', '200..300', 16, 8],
			['u8', 'i16', '200..255', 8, 16],
			['i16', 'i8', '-200..200', 16, 8],
			['i8', 'i16', '-128..127', 8, 16],
			['i8', 'i64', '-128..127', 8, 64],
			['i16', 'u64', '-300..300', 16, 64]
		];
		for (const [from, to, span] of cases) {
			const [lo, hi] = span.split('..').map(Number);
			const program = compile(`pub fn main(x: ${from}) -> ${to} { x as ${to} }`);
			for (const x of range(lo, hi, 13)) {
				const toBits = Number(to.slice(1));
				expect(runProgram(program, [`${x}`]), `${x} as ${to}`).toBe(String(BigInt.asIntN(64, BigInt(x)) === BigInt(x) ? wrapBig(BigInt(x), toBits, to[0] === 'i') : ''));
			}
		}
	});

	it('shifts, with a panic when shifting by the width or more', () => {
		const unsigned = compile('pub fn main(mode: bool, x: u16, y: u8) -> u16 {\n    if mode { x << y } else { x >> y }\n}');
		const signed = compile('pub fn main(mode: bool, x: i16, y: u8) -> i16 {\n    if mode {\n        x << y\n    } else {\n        x >> y\n    }\n}');
		for (const mode of [true, false]) {
			for (const y of range(0, 20)) {
				for (const x of [240, 255, 269, 65535, 32767, 1, 0]) {
					const expected = y >= 16 ? undefined : String(mode ? (x << y) & 0xffff : x >> y);
					const out = panicReason(unsigned, [`${mode}`, `${x}`, `${y}`]) ?? runProgram(unsigned, [`${mode}`, `${x}`, `${y}`]);
					expect(out, `${x} ${mode ? '<<' : '>>'} ${y}`).toBe(expected ?? OVERFLOW);
				}
				for (const x of [-20, -1, 0, 7, 32767, -32768]) {
					const expected = y >= 16 ? OVERFLOW : String(mode ? wrap(x << y, 16, true) : x >> y);
					const out = panicReason(signed, [`${mode}`, `${x}`, `${y}`]) ?? runProgram(signed, [`${mode}`, `${x}`, `${y}`]);
					expect(out, `${x} ${mode ? '<<' : '>>'} ${y}`).toBe(expected);
				}
			}
		}
	});

	it('signed numbers: identity, add with coercion, negation and not', () => {
		const identity = compile('pub fn main(x: i8) -> i8 {\n    x\n}');
		const add = compile('pub fn main(x: i8, y: i8) -> i8 {\n    x + y\n}');
		const coerced = compile('pub fn main(x: i16) -> i16 {\n    x + -10\n}');
		const neg = compile('pub fn main(x: i16) -> i16 {\n    -x\n}');
		const not = compile('pub fn main(x: i16) -> i16 {\n    !x\n}');
		for (const x of range(-128, 127, 5)) {
			expect(runProgram(identity, [`${x}`])).toBe(`${x}`);
			expect(runProgram(add, [`${x >> 1}`, `${(x * 7) >> 4}`])).toBe(`${(x >> 1) + ((x * 7) >> 4)}`);
			expect(runProgram(coerced, [`${x}`])).toBe(`${x - 10}`);
			expect(runProgram(neg, [`${x}`])).toBe(`${-x}`);
			expect(runProgram(not, [`${x}`])).toBe(`${~x}`);
		}
		expect(run('pub fn main(x: bool) -> bool {\n    !x\n}', ['true'])).toBe('false');
	});

	it('sub and mul panic exactly when the result does not fit', () => {
		const ops: [string, (x: number, y: number) => number][] = [
			['-', (x, y) => x - y],
			['*', (x, y) => x * y]
		];
		for (const [op, f] of ops) {
			for (const [ty, lo, hi] of [['u8', 0, 256], ['i8', -128, 128]] as const) {
				const program = compile(`pub fn main(x: ${ty}, y: ${ty}) -> ${ty} {\n    x ${op} y\n}`);
				for (const x of range(lo, hi, 11)) {
					for (const y of range(lo, hi, 7)) {
						const exact = f(x, y);
						const expected = exact < lo || exact >= hi ? OVERFLOW : `${exact}`;
						const out = panicReason(program, [`${x}`, `${y}`]) ?? runProgram(program, [`${x}`, `${y}`]);
						expect(out, `${x} ${op} ${y}`).toBe(expected);
					}
				}
			}
		}
	});

	it('div and rem, unsigned and signed', () => {
		for (const [ty, lo, hi] of [['u8', 0, 255], ['i8', -128, 127]] as const) {
			const div = compile(`pub fn main(x: ${ty}, y: ${ty}) -> ${ty} {\n    x / y\n}`);
			const rem = compile(`pub fn main(x: ${ty}, y: ${ty}) -> ${ty} {\n    x % y\n}`);
			const divisors = ty === 'u8' ? [...range(1, 10), ...range(250, 255)] : [-4, -3, -2, 1, 2, 3, 4, ...range(120, 127)];
			for (const x of range(lo, hi, 3)) {
				for (const y of divisors) {
					expect(runProgram(div, [`${x}`, `${y}`]), `${x} / ${y}`).toBe(`${Math.trunc(x / y)}`);
					expect(runProgram(rem, [`${x}`, `${y}`]), `${x} % ${y}`).toBe(`${x % y}`);
				}
			}
		}
	});

	it('arrays: repeat literals, assignment, folds and maps', () => {
		const repeat = compile('pub fn main(x: i8, i: usize) -> i8 {\n    [x; 256][i]\n}');
		for (const x of [-10, 0, 9]) for (const i of range(0, 256, 17)) expect(runProgram(repeat, [`${x}`, `${i}`])).toBe(`${x}`);
		const assign = compile('pub fn main(x: i8, i: usize, j: usize) -> i8 {\n    let mut arr = [x; 8];\n    arr[i] = x * 2;\n    arr[j]\n}');
		for (const i of range(0, 8)) for (const j of range(0, 8)) expect(runProgram(assign, ['-5', `${i}`, `${j}`])).toBe(i === j ? '-10' : '-5');
		const fold = compile('pub fn main(x: i32) -> i32 {\n    let mut arr = [x; 8];\n    let mut acc = 0;\n    for elem in arr {\n        acc = acc + elem;\n    }\n    acc\n}');
		for (const x of range(-10, 10)) expect(runProgram(fold, [`${x}`])).toBe(`${8 * x}`);
		const map = compile('pub fn main(x: i8, i: usize) -> i8 {\n    let mut arr = [x; 8];\n    for j in 0..8 {\n        arr[j] = arr[j] * 2;\n    }\n    arr[i]\n}');
		for (const x of range(-10, 10, 3)) for (const i of range(0, 8)) expect(runProgram(map, [`${x}`, `${i}`])).toBe(`${2 * x}`);
		expect(run('pub fn main(i: usize) -> i32 {\n    [-2, -1, 0, 1, 2][i]\n}', ['3'])).toBe('1');
		expect(run('pub fn main(_x: u8) -> i32 {\n    let arr = 1..101;\n    let mut acc = 0;\n    for i in arr {\n        acc = acc + i as i32;\n    }\n    acc\n}', ['0'])).toBe('5050');
		expect(run('pub fn main(_x: i32) -> [i32; 5] {\n    let mut array = [0; 5];\n    for i in 0..5 {\n        array[i as usize] = i as i32 * 2;\n    }\n    array\n}', ['0'])).toBe('[0, 2, 4, 6, 8]');
	});

	it('arrays are copied by value', () => {
		const source = 'pub fn main(replacement: i32) -> [i32; 4] {\n    let mut array1 = [10, 20, 30, 40];\n    let second_val = array1[1];\n    let mut array2 = array1;\n    array2[1] = replacement;\n    let second_val1 = array1[1];\n    let second_val2 = array2[1];\n    array2\n}';
		expect(run(source, ['77'])).toBe('[10, 77, 30, 40]');
	});

	it('arrays with a const expression size', () => {
		const access = compile('pub fn main(i: usize, arr: [i32; const { 2 + 3 } ]) -> i32 {\n    arr[i]\n}');
		const assign = compile('pub fn main(i: usize, mut arr: [i32; const { 2 + 3 } ]) -> i32 {\n    arr[i] = 0;\n    arr[i]\n}');
		for (const i of range(0, 5)) {
			expect(runProgram(access, [`${i}`, '[0, 1, 2, 3, 4]'])).toBe(`${i}`);
			expect(runProgram(assign, [`${i}`, '[0, 1, 2, 3, 4]'])).toBe('0');
		}
	});

	it('tuples, structs and destructuring', () => {
		const types = ['i32', 'i16', 'i8', 'bool', 'bool'];
		const expected = ['-3', '-2', '-1', 'true', 'false'];
		types.forEach((t, i) => {
			expect(run(`pub fn main(x: bool) -> ${t} {\n    let t = (-3, -2i16, -1i8, true, false);\n    t.${i}\n}`, ['false'])).toBe(expected[i]);
		});
		expect(run('pub fn main(values: (u8, u8)) -> (u8, u8) {\n    (values.0 + 1, values.1 + 1)\n}', ['(2, 3)'])).toBe('(3, 4)');
		const fooBar = 'struct FooBar {\n    foo: i32,\n    bar: i32,\n}\n';
		expect(run(`${fooBar}pub fn main(x: i32) -> i32 {\n    let foobar = FooBar { foo: x, bar: 2 };\n    foobar.bar\n}`, ['5'])).toBe('2');
		expect(run(`${fooBar}pub fn main(x: (i32, i32)) -> i32 {\n    let (foo, bar) = x;\n    let foobar = FooBar { foo, bar };\n    match foobar {\n        FooBar { foo: 0, .. } => 1,\n        FooBar { foo, .. } => foo,\n    }\n}`, ['(2, 3)'])).toBe('2');
		const destructure = 'struct FooBar {\n    foo: i32,\n    bar: (i32, i32),\n}\n\npub fn main(x: (i32, i32)) -> i32 {\n    let (a, b) = x;\n    let bar = (0, 0);\n    let foobar = FooBar { foo: 0, bar };\n    let FooBar { bar, .. } = foobar;\n    let (y, z) = bar;\n    a + y\n}';
		expect(run(destructure, ['(1, 2)'])).toBe('1');
	});

	it('struct shorthand inside match arms', () => {
		const source = 'struct FooBar {\n    foo: i32,\n    bar: (i32, i32),\n    baz: (i32, i32, i32),\n}\n\npub fn main(x: i32) -> i32 {\n    let foobar = FooBar {\n        foo: 1,\n        bar: (2, 3),\n        baz: (4, 5, 6),\n    };\n    match x {\n        0 => {\n            let FooBar { foo, .. } = foobar;\n            foo\n        },\n        1 => {\n            let FooBar { bar, .. } = foobar;\n            let (x, y) = bar;\n            y\n        },\n        _ => {\n            let FooBar { baz, .. } = foobar;\n            let (x, y, z) = baz;\n            z\n        }\n    }\n}';
		const program = compile(source);
		expect([0, 1, 2].map((x) => runProgram(program, [`${x}`]))).toEqual(['1', '3', '6']);
	});

	it('if / else if / else, also assigning', () => {
		const program = compile('pub fn main(x: i8) -> i8 {\n    if x < 0 {\n        -1\n    } else if x == 0 {\n        0\n    } else {\n        1\n    }\n    }');
		expect([-2, -1, 0, 1, 2].map((x) => runProgram(program, [`${x}`]))).toEqual(['-1', '-1', '0', '1', '1']);
		const assign = compile('    pub fn main(income: u32) -> bool {\n      let mut points = 0;\n      if income >= 10000 {\n        points = points + 200\n      } else if income >= 2000 {\n        points = points + 50\n      } else {\n        points = points + 0\n      }\n      if points > 150 {\n        true\n      } else {\n        false\n      }\n    }');
		expect(runProgram(assign, ['0'])).toBe('false');
		expect(runProgram(assign, ['10000'])).toBe('true');
	});

	it('lexically scoped blocks and mutable bindings', () => {
		expect(run('pub fn main(x: i32) -> i32 {\n    let y = x + 1;\n    let z = {\n        let y = x + 10;\n        y\n    };\n    y\n}', ['4'])).toBe('5');
		expect(run('pub fn main(x: i32) -> i32 {\n    let mut y = 0;\n    y = x;\n    y\n}', ['-7'])).toBe('-7');
		const inIf = compile('pub fn main(x: i32, b: bool) -> i32 {\n    let mut y = 0;\n    if b {\n        y = x;\n    }\n    y\n}');
		for (const x of range(-20, 20, 7)) {
			expect(runProgram(inIf, [`${x}`, 'true'])).toBe(`${x}`);
			expect(runProgram(inIf, [`${x}`, 'false'])).toBe('0');
		}
		const inMatch = compile('pub fn main(x: i32) -> i32 {\n    let mut y = 0;\n    match x {\n        0 => {},\n        1..10 => {\n            y = 1;\n        },\n        10..100 => {\n            y = 2;\n        },\n        _ => {\n            y = 3;\n        }\n    }\n    y\n}');
		for (const x of range(0, 110, 3)) expect(runProgram(inMatch, [`${x}`])).toBe(`${x === 0 ? 0 : x < 10 ? 1 : x < 100 ? 2 : 3}`);
	});

	it('exhaustive patterns over bools, enums, ranges, tuples and nesting', () => {
		const boolPattern = compile('enum Foobar {\n    Foo,\n    Bar(bool, bool),\n}\n\npub fn main(b: bool) -> i32 {\n    let choice = if b {\n        Foobar::Bar(true, false)\n    } else {\n        Foobar::Foo\n    };\n    match choice {\n        Foobar::Bar(false, false) => 1,\n        Foobar::Bar(false, true) => 2,\n        Foobar::Bar(_, false) => 3,\n        Foobar::Bar(true, true) => 4,\n        Foobar::Foo => 5,\n    }\n}');
		expect(runProgram(boolPattern, ['true'])).toBe('3');
		expect(runProgram(boolPattern, ['false'])).toBe('5');
		const enumPattern = compile('enum Foobar {\n    Foo,\n    Bar(u8)\n}\n\npub fn main(b: bool) -> u8 {\n    let choice = if b {\n        Foobar::Bar(6)\n    } else {\n        Foobar::Foo\n    };\n    match choice {\n        Foobar::Foo => 5,\n        Foobar::Bar(x) => x\n    }\n}');
		expect(runProgram(enumPattern, ['true'])).toBe('6');
		expect(runProgram(enumPattern, ['false'])).toBe('5');
		const ops = compile('enum Ops {\n    Mul(u8, u8),\n    Div(u8, u8),\n}\n\npub fn main(choice: u8, x: u8, y: u8) -> u8 {\n    let op = if choice == 0 {\n        Ops::Mul(x, y)\n    } else {\n        Ops::Div(x, y)\n    };\n    match op {\n        Ops::Div(x, 0) => 42,\n        Ops::Div(x, y) => x / y,\n        Ops::Mul(x, y) => x * y,\n    }\n}');
		expect(runProgram(ops, ['0', '10', '4'])).toBe('40');
		expect(runProgram(ops, ['0', '10', '0'])).toBe('0');
		expect(runProgram(ops, ['1', '10', '0'])).toBe('42');
		expect(runProgram(ops, ['1', '10', '4'])).toBe('2');
		const ranges = compile('pub fn main(x: u8) -> u8 {\n    match x {\n        0..10 => 1,\n        10 => 2,\n        11 => 2,\n        13 => 2,\n        12..100 => 2,\n        100..=255 => 3,\n    }\n}');
		for (const x of range(0, 256, 3)) expect(runProgram(ranges, [`${x}`])).toBe(`${x <= 9 ? 1 : x <= 99 ? 2 : 3}`);
		const tuple = compile('pub fn main(x: u8) -> u8 {\n    let x = (false, x, -5);\n    match x {\n        (true, x, y) => 1,\n        (false, 0, y) => 2,\n        (false, x, y) => x,\n    }\n}');
		const nested = compile('pub fn main(x: u8) -> u8 {\n    let x = (x, (x * 2, 1u8));\n    match x {\n        (0, _) => 1,\n        (1..=255, (x_twice, 1)) => x_twice,\n        (1..=255, (_, 1..=255)) => 2,\n        (1..=255, (_, 0)) => 3,\n    }\n}');
		for (const x of range(0, 10)) {
			expect(runProgram(tuple, [`${x}`])).toBe(`${x === 0 ? 2 : x}`);
			expect(runProgram(nested, [`${x}`])).toBe(`${x === 0 ? 1 : 2 * x}`);
		}
	});

	it('enums and structs as inputs and outputs', () => {
		const ops = 'enum Op {\n    Zero,\n    Div(u8, u8),\n}\n\nenum OpResult {\n    DivByZero,\n    Ok(u8),\n}\n\npub fn main(op: Op) -> OpResult {\n    match op {\n        Op::Zero => OpResult::Ok(0),\n        Op::Div(x, 0) => OpResult::DivByZero,\n        Op::Div(x, y) => OpResult::Ok(x / y),\n    }\n}';
		expect(run(ops, ['Op::Div(10, 2)'])).toBe('OpResult::Ok(5)');
		expect(run(ops, ['Op::Div(10, 0)'])).toBe('OpResult::DivByZero');
		expect(run(ops, ['Op::Zero'])).toBe('OpResult::Ok(0)');
		const structs = 'struct FooBarBaz {\n    foo: i32,\n    bar: u8,\n    baz: bool,\n}\n\npub fn main(x: FooBarBaz) -> FooBarBaz {\n    match x {\n        FooBarBaz { foo: 1, bar: 0, baz: false } => FooBarBaz { baz: true, foo: 1, bar: 1 },\n        FooBarBaz { foo: 1, baz, bar: 0 } => FooBarBaz { foo: 1, bar: 1, baz },\n        FooBarBaz { bar, baz: false, foo } => FooBarBaz { foo, bar, baz: true },\n        FooBarBaz { foo, bar, baz } => FooBarBaz { foo, bar: 1, baz },\n        FooBarBaz { foo, .. } => FooBarBaz { foo, bar: 1, baz: true },\n    }\n}';
		expect(run(structs, ['FooBarBaz { foo: 1, bar: 0, baz: true }'])).toBe('FooBarBaz {bar: 1, baz: true, foo: 1}');
		expect(run(structs, ['FooBarBaz { foo: 7, bar: 3, baz: false }'])).toBe('FooBarBaz {bar: 3, baz: true, foo: 7}');
	});

	it('arrays as inputs and outputs', () => {
		const source = 'pub fn main(nums: [u8; 5], init: u16) -> [u8; 5] {\n    let mut sum = init;\n    for n in nums {\n        sum = sum + n as u16;\n    }\n    let mut nums = [0u8; 5];\n    for i in 0..5 {\n        nums[i] = sum as u8;\n    }\n    nums\n}';
		expect(run(source, ['[1, 2, 3, 4, 5]', '0'])).toBe('[15, 15, 15, 15, 15]');
	});

	it('comments, operator examples and compound assignment', () => {
		expect(run("/*\nfn unused_fn(x: ...) -> ... {\n    /* nested block comment */\n    // normal comment within block comment\n}\n*/\npub fn main(x: u16) -> u16 {\n    // comment including '/*'\n    x + /* ... */ 1\n}", ['1'])).toBe('2');
		const operators = 'pub fn main(_a: i32, _b: i32) -> () {\n    let add = 0 + 1;\n    let sub = 1 - 1;\n    let mul = 2 * 1;\n    let div = 2 / 1;\n    let rem = 5 % 2;\n    let bit_xor = 4 ^ 6;\n    let bit_and = 4 & 6;\n    let bit_or = 4 | 6;\n    let bit_shiftl = 4 << 1;\n    let bit_shiftr = 4 >> 1;\n    let and = true & false;\n    let or = true | false;\n    let eq = true == false;\n    let neq = true != false;\n    let gt = 5 > 4;\n    let lt = 4 < 5;\n    let gte = 5 >= 4;\n    let lte = 4 <= 5;\n    let unary_not = !true;\n    let unary_minus = -5;\n    let unary_bitflip = !5;\n}';
		expect(run(operators, ['0', '0'])).toBe('()');
		const compound = 'pub fn main(_a: i32, _b: i32) -> () {\n    let mut x = 0i32;\n    x += 5;\n    x -= 3;\n    x *= 3;\n    x /= 2;\n    x %= 1;\n\n    let mut x = 0u32;\n    x ^= 4;\n    x &= 3;\n    x |= 2;\n    x <<= 1;\n    x >>= 1;\n\n    let mut b = true;\n    b ^= true;\n    b &= true;\n    b |= true;\n}';
		expect(run(compound, ['0', '0'])).toBe('()');
		expect(run('pub fn main(a: u32) -> u32 {\n    let mut x = 3u32;\n    x += a;\n    x += 2;\n    x\n}', ['10'])).toBe('15');
		const orXor = compile('pub fn main(a: bool, b: bool, c: bool) -> bool {\n    (a & b) | (a & c)\n}');
		for (const a of [true, false]) for (const b of [true, false]) for (const c of [true, false]) expect(runProgram(orXor, [`${a}`, `${b}`, `${c}`])).toBe(`${(a && b) || (a && c)}`);
	});

	it('loops over ranges, arrays and with destructuring', () => {
		expect(run('pub fn main(x: i32) -> i32 {\n    let mut y = x;\n    for i in 0..10 {\n        y = y + i as i32;\n    }\n    y\n}', ['3'])).toBe(`${3 + 45}`);
		expect(run('pub fn main(_x: i32) -> i32 {\n    let mut sum = 0;\n    for i in [2, 4, 6, 8] {\n        sum = sum + i\n    }\n    sum\n}', ['0'])).toBe('20');
		expect(run('pub fn main(_x: i32) -> i32 {\n    let mut sum = 0i32;\n    for (a, b) in [(2, 4), (6, 8)] {\n        sum += a + b;\n    }\n    sum\n}', ['0'])).toBe('20');
	});

	it('type declarations in let and let mut', () => {
		expect(run('pub fn main(a: u16, b: u16) -> u16 {\n    let c: u16 = 6;\n    a + b + c\n}', ['2', '4'])).toBe('12');
		expect(run('pub fn main(a: u16, b: u16) -> u16 {\n    let mut result: u16 = 6;\n    result += a + b;\n    result\n}', ['2', '4'])).toBe('12');
	});

	it('assignment through indexes, tuple fields and struct fields', () => {
		expect(run('pub fn main(a: u16, b: u16) -> u16 {\n    let mut result: [u16; 2] = [3, 3];\n    result[0] += a;\n    result[1] += b;\n    result[0] + result[1]\n}', ['2', '4'])).toBe('12');
		expect(run('pub fn main(a: u16, b: u16) -> u16 {\n    let mut result: [[u16; 3]; 2] = [[1u16, 2u16, 3u16], [4u16, 5u16, 6u16]];\n    result[1][2] += a;\n    result[1][2] += b;\n    result[1][2]\n}', ['2', '4'])).toBe('12');
		expect(run('pub fn main(a: u16, b: u16) -> u16 {\n    let mut t: (u16, u16) = (0, 2);\n    t.1 += a;\n    t.1 += b;\n    t.1\n}', ['4', '6'])).toBe('12');
		expect(run('struct Foo {\n  foo: u16\n}\n\npub fn main(a: u16, b: u16) -> u16 {\n    let mut f = Foo { foo: 0 };\n    f.foo += a;\n    f.foo += b;\n    f.foo\n}', ['2', '4'])).toBe('6');
		const nested = 'struct Foo {\n  foo: u16\n}\n\npub fn main(a: u16, b: u16) -> u16 {\n    let mut result: [(u16, Foo); 2] = [(1, Foo { foo: 2 }), (1, Foo { foo: 4 })];\n    result[1].0 += a;\n    result[1].1.foo += b;\n    result[1].0 + result[1].1.foo\n}';
		expect(run(nested, ['2', '6'])).toBe('13');
	});
});

function wrapBig(n: bigint, bits: number, signed: boolean): string {
	return String(signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n));
}

describe('compiling constants', () => {
	it('reads party constants, literals and aggregates', () => {
		expect(run('const MY_CONST: u16 = PARTY_0::MY_CONST;\npub fn main(x: u16) -> u16 {\n    x + MY_CONST\n}', ['255'], { consts: { PARTY_0: { MY_CONST: 2 } } })).toBe('257');
		expect(run('const MY_CONST: u16 = 2u16;\npub fn main(x: u16) -> u16 {\n    x + MY_CONST\n}', ['255'])).toBe('257');
		const sized = (decl: string) => `const MY_CONST: usize = ${decl};\npub fn main(x: u16) -> u16 {\n    let array = [2; MY_CONST];\n    x + array[1]\n}`;
		expect(run(sized('PARTY_0::MY_CONST'), ['255'], { consts: { PARTY_0: { MY_CONST: 2 } } })).toBe('257');
		expect(run(sized('max(PARTY_0::MY_CONST, PARTY_1::MY_CONST)'), ['255'], { consts: { PARTY_0: { MY_CONST: 1 }, PARTY_1: { MY_CONST: 2 } } })).toBe('257');
		expect(run(sized('min(PARTY_0::MY_CONST, PARTY_1::MY_CONST)'), ['255'], { consts: { PARTY_0: { MY_CONST: 3 }, PARTY_1: { MY_CONST: 2 } } })).toBe('257');
		const complex = 'const MY_CONST: usize = min(PARTY_0::MY_CONST, PARTY_1::MY_CONST) + 5usize;\nconst DEPENDENT_CONST: usize = max(MY_CONST, PARTY_1::MY_CONST - 2usize) + 6usize;\n\npub fn main(x: u16) -> u16 {\n    let array = [2; DEPENDENT_CONST];\n    x + array[1] + DEPENDENT_CONST as u16\n}';
		expect(run(complex, ['255'], { consts: { PARTY_0: { MY_CONST: 3n }, PARTY_1: { MY_CONST: '2usize' } } })).toBe(`${255 + 2 + Math.max(2 + 5, 0) + 6}`);
	});

	it('sizes parameters and loops with constants', () => {
		const consts = { PARTY_0: { MY_CONST: 1 }, PARTY_1: { MY_CONST: 2 } };
		expect(run('const MY_CONST: usize = max(PARTY_0::MY_CONST, PARTY_1::MY_CONST);\npub fn main(array: [u16; MY_CONST], _: u8) -> u16 {\n    array[1]\n}', ['[7, 8]', '0'], { consts })).toBe('8');
		expect(run('const MY_CONST: usize = max(PARTY_0::MY_CONST, PARTY_1::MY_CONST);\npub fn main(array: [u16; MY_CONST], _: u8) -> u16 {\n    let mut result = 0u16;\n    for elem in array {\n        result = result + elem;\n    }\n    result\n}', ['[7, 8]', '0'], { consts })).toBe('15');
	});

	it('reports missing and mistyped constants', () => {
		const source = 'const A: usize = PARTY_0::A;\nconst B: u8 = PARTY_1::B;\npub fn main(x: u8) -> u8 { x + B }';
		expect(() => compile(source)).toThrow('The constant PARTY_0::A was declared in the program but never provided');
		expect(() => compile(source, { consts: { PARTY_0: { A: 1 }, PARTY_1: { B: 300 } } })).toThrow("The literal is not of type 'u8': 300");
		expect(() => compile(source, { consts: { PARTY_0: { A: 1 }, PARTY_1: { B: 'true' } } })).toThrow("The literal is not of type 'u8': true");
		expect(run(source, ['1'], { consts: { PARTY_0: { A: 1 }, PARTY_1: { B: '5u8' } } })).toBe('6');
	});
});

describe('one party per array element', () => {
	it('treats a single array parameter as one party per element', () => {
		const three = compile('pub fn main(parties: [u32; 3]) -> u32 {\n  parties[0] + parties[1] + parties[2]\n}');
		expect(three.parties).toEqual([
			{ name: 'parties[0]', type: 'u32' },
			{ name: 'parties[1]', type: 'u32' },
			{ name: 'parties[2]', type: 'u32' }
		]);
		expect(runProgram(three, ['2', '4', '6'])).toBe('12');
		const four = compile('pub fn main(parties: [u32; 4]) -> u32 {\n  let mut result = 0u32;\n  for p in parties {\n    result += p\n  }\n  result\n}');
		expect(runProgram(four, ['2', '4', '6', '8'])).toBe('20');
		const total = 'const PARTIES: usize = PARTIES::TOTAL;\n\npub fn main(array: [u16; PARTIES]) -> u16 {\n    let mut result = 0u16;\n    for elem in array {\n        result = result + elem;\n    }\n    result\n}';
		expect(run(total, ['2', '4', '6'], { consts: { PARTIES: { TOTAL: 3 } } })).toBe('12');
	});
});

describe('joins', () => {
	const bytes = (s: string) => `[${[...s].map((c) => `${c.charCodeAt(0)}u8`).join(', ')}]`;
	/** garble-lang has no `[]` literal: an empty table is written `[row; 0]`. */
	const rows = (cells: string[], empty = '(0u8, 0u16)') => (cells.length > 0 ? `[${cells.join(', ')}]` : `[${empty}; 0]`);

	it('join_iter loops skip keys that occur in one table only, or twice in the same table', () => {
		const source = 'pub fn main(rows1: [([u8; 3], u16); 5], rows2: [([u8; 3], u16, u16); 3]) -> u16 {\n    let mut result = 0u16;\n    for row in join_iter(rows1, rows2) {\n        let ((_, field1), (_, field2, field3)) = row;\n        result = result + field1 + field2 + field3;\n    }\n    result\n}';
		const a = rows([`(${bytes('aaa')}, 0u16)`, `(${bytes('aaa')}, 10u16)`, `(${bytes('bar')}, 1u16)`, `(${bytes('baz')}, 2u16)`, `(${bytes('qux')}, 3u16)`]);
		const b = rows([`(${bytes('baz')}, 4u16, 5u16)`, `(${bytes('foo')}, 6u16, 7u16)`, `(${bytes('qux')}, 8u16, 9u16)`]);
		expect(run(source, [a, b])).toBe(`${2 + 3 + 4 + 5 + 8 + 9}`);
	});

	it('the join built-in returns the joined rows last, others zeroed', () => {
		const source = 'pub fn main(rows1: [[u8; 3]; 5], rows2: [[u8; 3]; 3]) -> [(bool, [u8; 3]); const { 5usize + 3usize - 1usize } ] {\n    join(rows1, rows2)\n}';
		const a = rows(['aaa', 'aaa', 'bar', 'baz', 'qux'].map(bytes));
		const b = rows(['baz', 'foo', 'qux'].map(bytes));
		const zero = '(false, [0, 0, 0])';
		const expected = `[${zero}, ${zero}, ${zero}, ${zero}, ${zero}, (true, [98, 97, 122]), (true, [113, 117, 120])]`;
		expect(run(source, [a, b])).toBe(expected);
		const withConsts = 'const ROWS_0: usize = PARTY_0::ROWS;\nconst ROWS_1: usize = PARTY_1::ROWS;\n\npub fn main(rows1: [[u8; 3]; ROWS_0], rows2: [[u8; 3]; ROWS_1]) -> [(bool, [u8; 3]); const { ROWS_0 + ROWS_1 - 1usize } ] {\n    join(rows1, rows2)\n}';
		expect(run(withConsts, [a, b], { consts: { PARTY_0: { ROWS: 5 }, PARTY_1: { ROWS: 3 } } })).toBe(expected);
	});

	it('loops over the result of join', () => {
		const source = 'pub fn main(rows1: [([u8; 3], u16); 4], rows2: [([u8; 3], u16, u16); 3]) -> u16 {\n    let mut result = 0u16;\n    for row in join(rows1, rows2) {\n        let (in_join, (_, field1), (_, field2, field3)) = row;\n        if in_join {\n            result = result + field1 + field2 + field3;\n        }\n    }\n    result\n}';
		const a = rows([`(${bytes('aaa')}, 0u16)`, `(${bytes('bar')}, 1u16)`, `(${bytes('baz')}, 2u16)`, `(${bytes('qux')}, 3u16)`]);
		const b = rows([`(${bytes('baz')}, 4u16, 5u16)`, `(${bytes('foo')}, 6u16, 7u16)`, `(${bytes('qux')}, 8u16, 9u16)`]);
		expect(run(source, [a, b])).toBe(`${2 + 3 + 4 + 5 + 8 + 9}`);
	});

	it('joins tables of every small size', () => {
		for (const joined of range(0, 4)) {
			for (const onlyA of range(0, 4)) {
				for (const onlyB of range(1, 4)) {
					const sizeA = joined + onlyA;
					const sizeB = joined + onlyB;
					const source = `pub fn main(rows1: [(u8, u16); ${sizeA}], rows2: [(u8, u16, u16); ${sizeB}]) -> u16 {\n    let mut result = 0u16;\n    for row in join_iter(rows1, rows2) {\n        let ((_, field1), (_, field2, field3)) = row;\n        result = result + field1 + field2 + field3;\n    }\n    result\n}`;
					const a = rows(range(0, sizeA).map((i) => `(${i}u8, 2u16)`));
					const keysB = [...range(0, joined), ...range(joined + onlyA, joined + onlyA + onlyB)];
					const b = rows(keysB.map((i) => `(${i}u8, 1u16, 1u16)`));
					expect(run(source, [a, b]), `${joined}/${onlyA}/${onlyB}`).toBe(`${joined * 4}`);
				}
			}
		}
	});

	it('join loops with destructuring patterns', () => {
		const source = 'pub fn main(rows1: [(u8, u16); 3], rows2: [(u8, u16); 3]) -> u16 {\n    let mut result = 0u16;\n    for ((_, a), (_, b)) in join_iter(rows1, rows2) {\n        result += a + b;\n    }\n    result\n}';
		expect(run(source, ['[(1u8, 2u16), (2u8, 4u16), (3u8, 6u16)]', '[(1u8, 2u16), (2u8, 4u16), (4u8, 8u16)]'])).toBe(`${2 + 2 + 4 + 4}`);
	});
});

describe('limits', () => {
	it('reports values too large for a circuit as a compile error', () => {
		const source = 'const N: usize = PARTY_0::N;\npub fn main(x: [u8; N], y: u8) -> u8 { x[0] }';
		expect(() => compile(source, { consts: { PARTY_0: { N: 4000000000 } } })).toThrow('has 32000000000 bits, more than');
		expect(() => compile('pub fn main(x: u8) -> u32 { let mut s = 0u32; for i in 0..4000000000 { s += 1; } s }')).toThrow('more than');
	});

	it('reports a circuit with more gates than maxGates as a compile error at the statement that outgrows it, before building it', () => {
		const source = 'pub fn main(x: u64, y: u64) -> u64 {\n    let z = x ^ y;\n    z * y\n}';
		const { and, xor } = countGates(compile(source).circuit);
		expect(() => compile(source, { maxGates: 128 + and + xor })).not.toThrow();
		const tooSmall = () => compile(source, { maxGates: 1000 });
		expect(tooSmall).toThrow(GarbleCompileError);
		expect(tooSmall).toThrow('The circuit would have more than 1000 input bits and gates');
		let error: unknown;
		try {
			tooSmall();
		} catch (thrown) {
			error = thrown;
		}
		expect((error as GarbleCompileError).errors[0]).toMatchObject({ kind: 'compile', line: 3, column: 5 });
	});
});
