import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/lib/garble/scan';
import { tokenText } from '../../../src/lib/garble/token';

function texts(source: string): string[] {
	const { tokens, errors } = scan(source);
	expect(errors).toEqual([]);
	return tokens.map(tokenText);
}

describe('scanner', () => {
	it('splits operators by longest match', () => {
		expect(texts('a..=b ..c >>= << <= && &= || |= != == => :: -> -= +=')).toEqual([
			'a', '..=', 'b', '..', 'c', '>>=', '<<', '<=', '&&', '&=', '||', '|=', '!=', '==', '=>', '::', '->', '-=', '+='
		]);
	});

	it('reads number suffixes and keeps unsuffixed numbers unspecified', () => {
		const { tokens } = scan('5 7u8 -3 -3i16 9i64 4usize');
		expect(tokens.map((t) => [t.kind, 'num' in t ? t.num : null, 'value' in t ? t.value : null])).toEqual([
			['unsigned', 'unspecified', 5n],
			['unsigned', 'u8', 7n],
			['signed', 'unspecified', -3n],
			['signed', 'i16', -3n],
			['signed', 'i64', 9n],
			['unsigned', 'usize', 4n]
		]);
	});

	it('scans a minus followed by digits as a negative number, as garble-lang does', () => {
		expect(texts('x -1')).toEqual(['x', '-1unspecified signed int']);
		expect(texts('x - 1')).toEqual(['x', '-', '1unspecified unsigned int']);
	});

	it('rejects numbers that do not fit their suffix, and says what fits', () => {
		const messages = ['256u8', '128i8', '-129i8', '5u7', '-5u8', '18446744073709551616', '-9223372036854775809'].map((source) => scan(source).errors.map((e) => e.message));
		expect(messages).toEqual([
			['Invalid unsigned number: 256u8 does not fit u8, which holds 0 to 255'],
			['Invalid unsigned number: 128i8 does not fit i8, which holds -128 to 127'],
			['Invalid unsigned number: -129i8 does not fit i8, which holds -128 to 127'],
			["Invalid unsigned number: 'u7' is not a number type (u8, u16, u32, u64, usize, i8, i16, i32, i64)"],
			['Invalid unsigned number: -5u8 does not fit u8, which holds 0 to 255'],
			['Invalid unsigned number: 18446744073709551616 is above 18446744073709551615, the largest u64'],
			['Invalid signed number: -9223372036854775809 is below -9223372036854775808, the smallest i64']
		]);
		// The error marks the whole literal: the span a valid literal in its place would have.
		for (const [bad, good] of [['x + 300u8', 'x + 200u8'], ['x\n  + -129i8', 'x\n  + -128i8'], ['x + 18446744073709551616', 'x + 18446744073709551615']]) {
			expect(scan(bad).errors.map((e) => e.span), bad).toEqual([scan(good).tokens.at(-1)!.span]);
		}
		expect(scan('18446744073709551615u64').errors).toEqual([]);
		expect(scan('-9223372036854775808i64').errors).toEqual([]);
	});

	it('skips line comments and nested block comments', () => {
		expect(texts('a // b\n/* c /* d */ e */ f')).toEqual(['a', 'f']);
	});

	it('reports an unterminated block comment instead of hanging', () => {
		expect(scan('a /* b').errors.map((e) => e.message)).toEqual(['Unterminated block comment']);
	});

	it('reports every unexpected character', () => {
		const { errors } = scan('a $ b\n  # c');
		expect(errors.map((e) => [e.message, e.span.startLine])).toEqual([
			["Unexpected character '$'", 0],
			["Unexpected character '#'", 1]
		]);
	});

	it('computes garble-lang positions: 0-based columns after the first line', () => {
		const { tokens } = scan('pub fn main(x: u8) -> u8 {\n    x + 255u8\n}');
		const plus = tokens.find((t) => t.kind === 'punct' && t.punct === '+');
		expect(plus?.span).toEqual({ startLine: 1, startColumn: 6, endLine: 1, endColumn: 7 });
		const x = tokens[tokens.indexOf(plus!) - 1];
		expect(x.span).toEqual({ startLine: 1, startColumn: 4, endLine: 1, endColumn: 5 });
	});

	it('starts a token at the beginning of a line where the previous token ended', () => {
		const { tokens } = scan('fn a() -> u8 {\n  1\n}\nfn b');
		const secondFn = tokens.filter((t) => t.kind === 'keyword' && t.keyword === 'fn')[1];
		expect(secondFn.span.startLine).toBe(2);
		expect(secondFn.span.startColumn).toBe(1);
	});
});
