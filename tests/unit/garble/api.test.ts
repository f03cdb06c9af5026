/** The public API: check() for the editor, compile() for the parties. */
import { describe, expect, it } from 'vitest';
import { check, compile, GarbleCompileError } from '../../../src/lib/garble';

const TABLES = `const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;
const KEY: usize = max(PARTY_0::KEY, PARTY_1::KEY);

pub fn main(a: [([u8; KEY], u16); ROWS_0], b: [([u8; KEY], u16); ROWS_1]) -> u16 {
    let mut sum = 0u16;
    for ((_, x), (_, y)) in join_iter(a, b) {
        sum += x + y;
    }
    sum
}
`;

describe('check', () => {
	it('returns the entry function and the party constants the program needs', () => {
		const result = check(TABLES);
		expect(result.errors).toEqual([]);
		expect(result.main).toEqual({
			params: [
				{ name: 'a', type: '[([u8; KEY], u16); ROWS_0]' },
				{ name: 'b', type: '[([u8; KEY], u16); ROWS_1]' }
			],
			returnType: 'u16'
		});
		expect(result.partyConsts).toEqual([
			{ party: 0, name: 'KEY', type: 'usize' },
			{ party: 0, name: 'ROWS', type: 'usize' },
			{ party: 1, name: 'KEY', type: 'usize' },
			{ party: 1, name: 'ROWS', type: 'usize' }
		]);
		expect(result.usesPartyCount).toBe(false);
	});

	it('still describes main and the constants when the body has errors', () => {
		const result = check(TABLES.replace('sum += x + y;', 'sum += x + true;'));
		expect(result.errors.map((e) => [e.kind, e.line, e.message])).toEqual([['type', 8, 'The arguments have incompatible types; u16 vs bool']]);
		expect(result.main?.returnType).toBe('u16');
		expect(result.partyConsts.length).toBe(4);
	});

	it('names another entry function, and notices PARTIES::TOTAL', () => {
		const source = 'const N: usize = PARTIES::TOTAL;\npub fn main(x: [u8; N]) -> u8 { x[0] }\npub fn other(flag: bool) -> bool { !flag }';
		const result = check(source, { entry: 'other' });
		expect(result.main).toEqual({ params: [{ name: 'flag', type: 'bool' }], returnType: 'bool' });
		expect(result.usesPartyCount).toBe(true);
		expect(check(source, { entry: 'missing' }).main).toBeUndefined();
	});

	it('never throws on input that breaks the scanner or the parser: it reports what is wrong and where', () => {
		const cases: [string, string, [kind: string, line: number, column: number, message: string][]][] = [
			['an empty file (no main to describe)', '', []],
			['stray braces', '}}}}', [['parse', 1, 1, 'Not a valid top level declaration (struct/enum/const/fn)']]],
			['a cut-off signature', 'pub fn main(', [['parse', 1, 12, 'Expected an identifier']]],
			['a thousand bare keywords', 'fn'.repeat(1000), [['parse', 1, 1, 'Not a valid top level declaration (struct/enum/const/fn)']]],
			['100,000 open parentheses', '('.repeat(100000), [['parse', 1, 1, 'Not a valid top level declaration (struct/enum/const/fn)']]],
			['an unclosed comment', 'pub fn main(x: u8) -> u8 { x /* never closed', [['scan', 1, 44, 'Unterminated block comment']]],
			[
				'characters outside the language',
				'\u0000\uffff',
				[
					['scan', 1, 1, 'Unexpected character U+0000'],
					['scan', 1, 2, 'Unexpected character U+FFFF']
				]
			]
		];
		for (const [what, source, expected] of cases) {
			const result = check(source);
			expect(result.errors.map((e) => [e.kind, e.line, e.column, e.message]), what).toEqual(expected);
			expect(result.main, what).toBeUndefined();
		}
	});

	it('checks types only, without laying out or building the circuit (the editor calls it on every keystroke)', () => {
		// 100 million u64 elements: far beyond what compile() lays out, so check() cannot be building it.
		const huge = 'pub fn main(a: [u64; 100000000], b: u64) -> u64 { let mut s = 0u64; for v in a { s = s + v * b; } s }';
		const result = check(huge);
		expect(result.errors).toEqual([]);
		expect(result.main).toEqual({
			params: [
				{ name: 'a', type: '[u64; 100000000]' },
				{ name: 'b', type: 'u64' }
			],
			returnType: 'u64'
		});
		expect(() => compile(huge)).toThrow('A value of type [u64; 100000000] has 6400000000 bits, more than the 16777216 a value may have');
	});
});

describe('compile', () => {
	it('resolves the parties\' types with the constants and reports every problem at once', () => {
		const program = compile(TABLES, { consts: { PARTY_0: { ROWS: 2, KEY: 3 }, PARTY_1: { ROWS: 1, KEY: 4 } } });
		expect(program.parties).toEqual([
			{ name: 'a', type: '[([u8; 4], u16); 2]' },
			{ name: 'b', type: '[([u8; 4], u16); 1]' }
		]);
		expect(program.outputType).toBe('u16');
		try {
			compile(TABLES, { consts: { PARTY_0: { ROWS: 2 } } });
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(GarbleCompileError);
			const errors = (error as GarbleCompileError).errors;
			expect(errors.map((e) => e.message)).toEqual([
				'The constant PARTY_1::ROWS was declared in the program but never provided',
				'The constant PARTY_0::KEY was declared in the program but never provided',
				'The constant PARTY_1::KEY was declared in the program but never provided'
			]);
			expect(errors.every((e) => e.kind === 'compile' && e.line > 0)).toBe(true);
		}
		expect(() => compile(TABLES.replace('pub fn main', 'pub fn start'), { consts: { PARTY_0: { ROWS: 1, KEY: 1 }, PARTY_1: { ROWS: 1, KEY: 1 } } })).toThrow(
			"Could not find any function with name 'main'"
		);
	});

	it('produces a valid circuit with inputs grouped per party', () => {
		const program = compile('pub fn main(a: u8, b: (bool, u16), c: [i8; 2]) -> bool { b.0 }');
		expect(program.circuit.inputBits).toEqual([8, 17, 16]);
	});
});
