/** Panics: which operations panic, which panic wins, and how it is reported (garble-lang's panic tests). */
import { describe, expect, it } from 'vitest';
import { compile, evaluateCircuit, formatPanic } from '../../../src/lib/garble';
import { panicReason, run, runProgram } from './run';

const OVERFLOW = 'Overflow';
const DIV_BY_ZERO = 'Division By Zero';
const OUT_OF_BOUNDS = 'Array Access Out Of Bounds';

describe('panics', () => {
	it('on overflowing add and sub, and on division by zero', () => {
		expect(panicReason(compile('\npub fn main(x: u8) -> u8 {\n    x + 255u8\n}'), ['1'])).toBe(OVERFLOW);
		expect(panicReason(compile('\npub fn main(x: i8) -> i8 {\n    x + -100i8\n}'), ['-100'])).toBe(OVERFLOW);
		expect(panicReason(compile('\npub fn main(x: i8) -> i8 {\n    x - 100i8\n}'), ['-100'])).toBe(OVERFLOW);
		expect(panicReason(compile('\npub fn main(x: u8) -> u8 {\n    x / 0u8\n}'), ['1'])).toBe(DIV_BY_ZERO);
		expect(panicReason(compile('pub fn main(x: u8, y: u8) -> u8 { x % y }'), ['1', '0'])).toBe(DIV_BY_ZERO);
	});

	it('only in the branch of an if or match that is taken', () => {
		const inIf = compile('\npub fn main(b: bool) -> i32 {\n    if b {\n        1i32\n    } else {\n        1i32 / 0i32\n    }\n}');
		expect(panicReason(inIf, ['true'])).toBeUndefined();
		expect(panicReason(inIf, ['false'])).toBe(DIV_BY_ZERO);
		const inMatch = compile('\npub fn main(x: i32) -> i32 {\n    match x {\n        0i32 => 0i32,\n        1i32 => 1i32 / 0i32,\n        2i32 => 2i32,\n        3i32 => (200u8 + 200u8) as i32,\n        _ => 3i32,\n    }\n}');
		expect([0, 1, 2, 3, 4].map((x) => panicReason(inMatch, [`${x}`]))).toEqual([undefined, DIV_BY_ZERO, undefined, OVERFLOW, undefined]);
	});

	it('on out-of-bounds reads and writes', () => {
		const read = compile('\npub fn main(i: usize) -> i32 {\n    [1i32, 2i32, 3i32][i]\n}');
		const write = compile('\npub fn main(i: usize) -> i32 {\n    let mut updated = [1i32, 2i32, 3i32];\n    updated[i] = 0i32;\n    updated[0]\n}');
		for (const program of [read, write]) {
			expect([0, 1, 2, 3, 4000000000].map((i) => panicReason(program, [`${i}`]))).toEqual([undefined, undefined, undefined, OUT_OF_BOUNDS, OUT_OF_BOUNDS]);
		}
		expect(runProgram(write, ['2'])).toBe('1');
		expect(runProgram(write, ['0'])).toBe('0');
	});

	it('in the right operand of && and || only when it is evaluated', () => {
		const cases: [string, boolean, string | undefined][] = [
			['b & [true; 0][1]', true, OUT_OF_BOUNDS],
			['b & [true; 0][1]', false, OUT_OF_BOUNDS],
			['b && [true; 0][1]', true, OUT_OF_BOUNDS],
			['b && [true; 0][1]', false, undefined],
			['[true; 0][1] && b', false, OUT_OF_BOUNDS],
			['(0i32 / 0i32 == 1i32) && [true; 0][1]', true, DIV_BY_ZERO],
			['b | [true; 0][1]', true, OUT_OF_BOUNDS],
			['b || [true; 0][1]', true, undefined],
			['b || [true; 0][1]', false, OUT_OF_BOUNDS],
			['[true; 0][1] || b', true, OUT_OF_BOUNDS],
			['(0i32 / 0i32 == 1i32) || [true; 0][1]', false, DIV_BY_ZERO]
		];
		for (const [body, b, expected] of cases) {
			const program = compile(`\npub fn main(b: bool) -> bool {\n    ${body}\n}`);
			expect(panicReason(program, [`${b}`]), `${body} with b = ${b}`).toBe(expected);
		}
		expect(run('pub fn main(b: bool) -> bool { b && [true; 0][1] }', ['false'])).toBe('false');
		expect(run('pub fn main(b: bool) -> bool { b || [true; 0][1] }', ['true'])).toBe('true');
	});

	it('reports the first panic in evaluation order', () => {
		const program = compile('pub fn main(x: u8, i: usize) -> u8 {\n    let a = x + 200;\n    let b = [1u8, 2u8][i];\n    a + b\n}');
		expect(runProgram(program, ['100', '5'])).toBe('Panic due to Overflow on line 2:13.');
		expect(runProgram(program, ['10', '5'])).toBe('Panic due to Array Access Out Of Bounds on line 3:13.');
		expect(runProgram(program, ['55', '1'])).toBe('Panic due to Overflow on line 4:5.');
		expect(runProgram(program, ['10', '1'])).toBe('212');
	});

	it('in loops and in joined rows, at the place in the source', () => {
		const loop = compile('pub fn main(xs: [u8; 4], y: u8) -> u8 {\n    let mut sum = y;\n    for x in xs {\n        sum += x;\n    }\n    sum\n}');
		expect(runProgram(loop, ['[100, 100, 50, 1]', '10'])).toBe('Panic due to Overflow on line 4:9.');
		expect(runProgram(loop, ['[100, 100, 50, 5]', '0'])).toBe('255');
		const join = compile('pub fn main(a: [(u8, u8); 2], b: [(u8, u8); 2]) -> u8 {\n    let mut sum = 0u8;\n    for ((_, x), (_, y)) in join_iter(a, b) {\n        sum += x * y;\n    }\n    sum\n}');
		expect(runProgram(join, ['[(1, 20), (2, 100)]', '[(1, 10), (3, 100)]'])).toBe('200');
		expect(runProgram(join, ['[(1, 20), (3, 100)]', '[(1, 10), (3, 100)]'])).toBe('Panic due to Overflow on line 4:16.');
	});

	it('prints garble-lang\'s panic message with the source excerpt', () => {
		const source = 'enum Op {\n    Add,\n}\n\nenum OpResult {\n    Ok(u8),\n}\n\npub fn main(values: (u8, u8), op: Op) -> OpResult {\n    match (op, values) {\n        (Op::Add, (x, y)) => OpResult::Ok(x + y),\n    }\n}\n';
		const program = compile(source);
		const bits = ['(200, 200)', 'Op::Add'].map((literal, party) => program.encodeInput(party, literal));
		const output = program.decodeOutput(evaluateCircuit(program.circuit, bits));
		expect(output).toEqual({ kind: 'panic', reason: OVERFLOW, line: 11, column: 43, message: 'Panic due to Overflow on line 11:43.' });
		if (output.kind !== 'panic') return;
		expect(formatPanic(program, output, source)).toBe(
			'Panic due to Overflow on line 11:43.\n\n       | pub fn main(values: (u8, u8), op: Op) -> OpResult {\n       |     match (op, values) {\n  11 > |         (Op::Add, (x, y)) => OpResult::Ok(x + y),\n     > |                                           ^^^^^\n       |     }\n'
		);
	});

	it('uses few output bits: none without panic sites, ⌈log2(sites + 1)⌉ with', () => {
		expect(compile('pub fn main(x: u8, y: u8) -> u8 { x & y }').circuit.outputs.length).toBe(8);
		const three = compile('pub fn main(x: u8, y: u8) -> u8 { (x + y) * (x - y) }');
		expect(three.panicSites.length).toBe(3);
		expect(three.circuit.outputs.length).toBe(8 + 2);
	});
});
