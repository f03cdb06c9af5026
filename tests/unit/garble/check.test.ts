import { describe, expect, it } from 'vitest';
import { formatErrors } from '../../../src/lib/garble/errors';
import { analyse } from '../../../src/lib/garble/frontend';

/** "line:column message" of each error, in the order reported. */
function errorsOf(source: string): string[] {
	return analyse(source).errors.map((e) => `${e.line}:${e.column} ${e.message}`);
}

function messagesOf(source: string): string[] {
	return analyse(source).errors.map((e) => e.message);
}

function expectOk(source: string): void {
	expect(errorsOf(source)).toEqual([]);
}

describe('type checker: garble-lang check tests', () => {
	it('rejects functions as values', () => {
		const messages = messagesOf('\nfn inc(x: u16) -> u16 {\n  x + 1u16\n}\n\npub fn main(x: u16) -> u16 {\n  let f = inc;\n  f(x)\n}\n');
		expect(messages).toContain("Unknown identifier 'inc'");
	});

	it('rejects duplicate parameters, in helpers and in main', () => {
		expect(messagesOf('\nfn add(x: u16, x: u16) -> u16 {\n  x + x\n}\n\npub fn main(x: u16) -> u16 {\n  add(x, 1u16)\n}\n')).toEqual([
			"The function parameter 'x' is declared multiple times"
		]);
		expect(messagesOf('\npub fn main(x: u16, x: u16) -> u16 {\n  x + x\n}\n')).toEqual([
			"The function parameter 'x' is declared multiple times"
		]);
	});

	it('rejects unused and recursive functions', () => {
		expect(messagesOf('\n  pub fn main(x: u8) -> u8 {\n    x\n  }\n\n  fn unused(x: u8) -> u8 {\n    x + 1u8\n  }\n  ')).toEqual([
			"Function 'unused' is declared but never used"
		]);
		const recursive = '\n  pub fn main(x: u8) -> u8 {\n    rec_fn(x)\n  }\n\n  fn rec_fn(x: u8) -> u8 {\n    if x == 0u8 {\n      0u8\n    } else {\n      rec_fn(x - 1u8)\n    }\n  }\n  ';
		expect(messagesOf(recursive)).toEqual(["Function 'rec_fn' is declared recursively, which is not supported"]);
		const mutual = 'pub fn main(x: u8) -> u8 { a(x) }\nfn a(x: u8) -> u8 { b(x) }\nfn b(x: u8) -> u8 { a(x) }';
		expect(messagesOf(mutual)).toEqual(["Function 'a' is declared recursively, which is not supported"]);
	});

	it('rejects a pub fn without parameters', () => {
		expect(messagesOf('\npub fn main() -> u8 {\n  0u8\n}\n')).toEqual(["The function 'main' is declared pub, but has no parameters"]);
	});

	it('lists the missing cases of a range match', () => {
		const source = '\npub fn main(x: u8) -> i32 {\n  match x {\n    0u8 => 0i32,\n    1u8 => 1i32,\n    3u8..10u8 => 2i32,\n    11u8..255u8 => 3i32,\n    254u8 => 4i32,\n  }\n}\n  ';
		expect(messagesOf(source)).toEqual([
			'The patterns are not exhaustive. Missing cases:\n\n  2u8\n\n  10u8\n\n  255u8\n\n...in expression'
		]);
	});

	it('lists the missing cases of a nested tuple match', () => {
		const source = '\npub fn main(x: bool, y: bool, z: bool) -> i32 {\n  match (x, (y, z)) {\n    (true, _) => 1i32,\n    (_, (false, true)) => 2i32,\n    (false, (_, true)) => 3i32,\n  }\n}\n  ';
		expect(messagesOf(source)).toEqual([
			'The patterns are not exhaustive. Missing cases:\n\n  (false, (true, false))\n\n  (false, (false, false))\n\n...in expression'
		]);
	});

	it('keeps the fields after a nested enum or struct in a missing case', () => {
		const source = 'enum Op { Add, Sub }\npub fn main(op: Op, x: u8) -> u8 {\n  match (op, x) {\n    (Op::Add, _) => 1,\n    (Op::Sub, 0) => 2,\n  }\n}';
		expect(messagesOf(source)[0]).toContain('  (Op::Sub, 1u8..=255u8)\n');
	});

	it('accepts exhaustive matches of enums, structs with .., signed wildcards and bools', () => {
		expectOk('enum E { A, B(u8) }\npub fn main(e: E) -> u8 { match e { E::A => 0, E::B(0) => 1, E::B(x) => x } }');
		expectOk('struct S { a: i32, b: i32 }\npub fn main(s: S) -> i32 { match s { S { a: 0, .. } => 1, S { a, .. } => a } }');
		expectOk('pub fn main(x: (bool, (u8, u8))) -> i32 {\n match x {\n (false, _) => 0,\n (_, (_, 0)) => 1,\n (_, (x, y)) => (x as i32) + (y as i32) + 1,\n }\n}');
		expectOk('pub fn main(x: u8) -> u8 { match x { 0..10 => 1, 10 => 2, 11 => 2, 13 => 2, 12..100 => 2, 100..=255 => 3 } }');
	});

	it('is conservative about signed ranges, as garble-lang is', () => {
		const messages = messagesOf('pub fn main(x: i8) -> u8 { match x { -128i8..=-1i8 => 0, 0i8..=127i8 => 1 } }');
		expect(messages).toEqual(['The patterns are not exhaustive. Missing cases:\n\n  _\n\n...in expression']);
	});

	it('rejects access outside of a lexical scope', () => {
		expect(messagesOf('\npub fn main(x: i32) -> i32 {\n  let y = {\n    let z = 1i32;\n    z\n  };\n  z\n}\n')).toEqual([
			"Unknown identifier 'z'"
		]);
	});

	it('rejects arrays of a different size', () => {
		expect(messagesOf('\npub fn main(x: bool) -> [bool; 3] {\n  [x, x]\n}\n')).toEqual(['Expected type [bool; 3], but found [bool; 2]']);
	});
});

describe('type checker: number literal inference', () => {
	it('narrows unsuffixed literals to the other operand', () => {
		expectOk('pub fn main(x: u8) -> u8 { x + 1 }');
		expectOk('pub fn main(x: i64) -> i64 { -5 * x }');
		expectOk('pub fn main(x: u16) -> u16 { let y = 3; x + y }');
		expectOk('pub fn main(x: u8) -> bool { let a = [1, 2, 3]; a[1] == x }');
		expectOk('pub fn main(x: i32) -> i32 { let mut s = 0; for i in [2, 4, 6] { s += i } s + x }');
	});

	it('rejects literals that do not fit the narrowed type', () => {
		expect(errorsOf('pub fn main(x: u8) -> u8 {\n    x + 256\n}')).toEqual(['2:9 Expected type u8, but found unspecified unsigned int: 256 does not fit u8, which holds 0 to 255']);
		expect(errorsOf('pub fn main(x: i8) -> i8 {\n    x + -129\n}')).toEqual(['2:9 Expected type i8, but found unspecified signed int: -129 does not fit i8, which holds -128 to 127']);
		expect(messagesOf('pub fn main(x: u8) -> u8 { x + -1 }')).toEqual(['The arguments have incompatible types; u8 vs unspecified signed int']);
	});

	it('makes `let mut` literals i32', () => {
		expect(messagesOf('pub fn main(x: u8) -> u8 { let mut y = 0; y = x; y }')).toEqual(['Expected type i32, but found u8']);
	});

	it('requires type suffixes in const declarations', () => {
		expect(messagesOf('const N: usize = 3;\npub fn main(x: u8) -> u8 { x }')).toEqual(['Expected type usize, but found unspecified unsigned int']);
		expectOk('const N: usize = 3usize;\nconst M: usize = max(N, PARTY_0::M) + 1usize;\npub fn main(x: [u8; M]) -> u8 { x[0] }');
	});
});

describe('type checker: errors', () => {
	const cases: [string, string][] = [
		['pub fn main(a: u32, b: bool) -> u32 { a - b }', 'The arguments have incompatible types; u32 vs bool'],
		['pub fn main(a: bool) -> bool { -a }', 'Expected a signed number type, but found bool'],
		['pub fn main(a: (u8, u8)) -> (u8, u8) { !a }', 'Expected a Boolean or number type, but found (u8, u8)'],
		['pub fn main(a: bool) -> bool { a < a }', 'Expected a number type, but found bool'],
		['pub fn main(a: u8) -> u8 { a.0 }', 'Expected a tuple type, but found u8'],
		['pub fn main(a: (u8, u8)) -> u8 { a.2 }', 'The tuple only has 2 fields'],
		['pub fn main(a: u8) -> u8 { a[0] }', 'Expected an array type, but found u8'],
		['pub fn main(a: u8) -> u8 { a.x }', 'Expected a struct type, but found u8'],
		['struct S { x: u8 }\npub fn main(a: S) -> u8 { a.y }', "Struct 'S' does not have a field 'y'"],
		['struct S { x: u8, y: u8 }\npub fn main(a: u8) -> S { S { x: a } }', "Field 'y' is missing for struct 'S'"],
		['pub fn main(a: u8) -> u8 { S { x: a } }', "Unknown struct 'S'"],
		['pub fn main(a: Foo) -> u8 { 0 }', "Unknown struct or enum 'Foo'"],
		['pub fn main(a: u8) -> u8 { E::A }', "Unknown enum 'E::A'"],
		['enum E { A }\npub fn main(a: u8) -> E { E::B }', "Unknown enum variant 'E::B'"],
		['enum E { A(u8) }\npub fn main(a: u8) -> E { E::A }', 'Expected a tuple variant, but found a variant without fields'],
		['enum E { A }\npub fn main(a: u8) -> E { E::A(a) }', 'Expected a variant without fields, but found a tuple variant'],
		['enum E { A(u8, u8) }\npub fn main(a: u8) -> E { E::A(a) }', 'Expected a variant with 2 fields, but found 1 fields'],
		['pub fn main(a: u8) -> u8 { a = 1; a }', "'a' exists, but was not declared as mutable"],
		['pub fn main(a: u8) -> u8 { b = 1; a }', "Unknown identifier 'b'"],
		['fn f(x: u8) -> u8 { x }\npub fn main(a: u8) -> u8 { f(a, a) }', 'The function expects 1 parameter(s), but was called with 2 argument(s)'],
		['fn f(x: u8) -> u8 { x }\npub fn main(f: u8) -> u8 { f(f) }', "'f' is not a top level function"],
		['pub fn main(a: [u8; 2]) -> u8 { match a { _ => 0 } }', 'Type [u8; 2] does not support pattern matching'],
		['pub fn main(a: u8) -> u8 { let n = 2usize; [a; n][0] }', "Array sizes must be constants, but 'n' is a variable"],
		['pub fn main(a: u8) -> [u8; 0] { 3..3 }', 'Invalid range'],
		['pub fn main(a: u8) -> u8 { match a { true => 1, _ => 2 } }', 'Expected type bool, but found u8'],
		['pub fn main(a: u8) -> u8 { a as (u8, u8) }', 'Expected a Boolean or number type, but found (u8, u8)'],
		['pub fn main(a: bool) -> u8 { a && 1 }', 'Expected type bool, but found unspecified unsigned int'],
		['pub fn main(a: u8) -> u8 { a << 256 }', 'Expected type u8, but found unspecified unsigned int: 256 does not fit u8, which holds 0 to 255'],
		['pub fn main(a: u8) -> () { let x = a; }', ''],
		['pub fn main(a: u8) -> u8 { let x = a; }', 'Expected type u8, but found ()'],
		['pub fn main(a: (u8, u8)) -> u8 { for x in a { } 0 }', 'Expected an array type, but found (u8, u8)'],
		['pub fn main(a: [(u8, u8); 2], b: [(u16, u8); 2]) -> u8 { for x in join_iter(a, b) { } 0 }', 'The arguments have incompatible types; (u8, u8) vs (u16, u8)'],
		['pub fn main(a: [u8; 2], b: [u16; 2]) -> u8 { join(a, b); 0 }', 'Expected type u8, but found u16']
	];
	for (const [source, message] of cases) {
		it(message || 'accepts a unit function ending in a let', () => {
			expect(messagesOf(source)).toEqual(message ? [message] : []);
		});
	}

	it('reports several errors at once, sorted by position', () => {
		const source = 'pub fn main(a: u8) -> u8 {\n    let b = a + true;\n    let c = x;\n    a - false\n}';
		expect(errorsOf(source)).toEqual([
			'2:13 The arguments have incompatible types; u8 vs bool',
			"3:13 Unknown identifier 'x'",
			'4:5 The arguments have incompatible types; u8 vs bool'
		]);
	});

	it('does not repeat an error caused by an earlier one', () => {
		expect(errorsOf('pub fn main(a: u8) -> u8 {\n    let b = a + true;\n    b + 1\n}')).toEqual(['2:13 The arguments have incompatible types; u8 vs bool']);
	});

	it('reports an error in a helper once, however often it is called', () => {
		const source = 'fn f(x: u8) -> u8 {\n    x + true\n}\npub fn main(a: u8) -> u8 { f(a) + f(a) }\npub fn other(a: u8) -> u8 { f(a) }';
		expect(errorsOf(source)).toEqual(['2:5 The arguments have incompatible types; u8 vs bool']);
	});

	it('shows at most 20 errors, and a long line around the place', () => {
		const many = Array.from({ length: 30 }, (_, i) => `fn f${i}(x: u8) -> u8 {\n    x + true\n}`).join('\n') + '\npub fn main(a: u8) -> u8 { a }';
		const { errors } = analyse(many);
		expect(errors.length).toBe(30);
		const shown = formatErrors(errors, many);
		expect(shown.match(/^Type error on line/gm)?.length).toBe(20);
		expect(shown.endsWith('\n… and 10 more errors (fix the ones above first).\n')).toBe(true);

		const long = `pub fn main(a: u8) -> u8 { let b = 0u8; ${'b; '.repeat(2000)}a + true }`;
		const [error] = analyse(long).errors;
		const [line, carets] = formatErrors([error], long).split('\n').filter((text) => text.includes('>'));
		expect(line.length).toBeLessThan(140);
		expect(line).toMatch(/^ {3}1 > \| …[; b]+a \+ true }$/);
		// The carets stand under the same characters as in the whole line (garble-lang's columns).
		const start = carets.indexOf('^');
		expect(carets.slice(start)).toBe('^'.repeat(error.endColumn - error.column));
		expect(line.slice(start, start + 8)).toBe(long.slice(error.column - 1, error.column + 7));
	});

	it('ends an error without a place with a full stop, not a colon before nothing', () => {
		const error = { message: 'The circuit would have more than 5 input bits and gates', line: 0, column: 0, endLine: 0, endColumn: 0, kind: 'compile' as const };
		expect(formatErrors([error], 'pub fn main() {}', 'f.rs')).toBe('\nCompiler error of f.rs:\nThe circuit would have more than 5 input bits and gates.\n');
	});

	it('prints errors like garble-lang', () => {
		const source = 'pub fn main(a: u32, b: bool) -> u32 {\n    a - b\n}\n';
		const { errors } = analyse(source);
		expect(formatErrors(errors, source)).toBe(
			'\nType error on line 2:5.\nThe arguments have incompatible types; u32 vs bool:\n       | pub fn main(a: u32, b: bool) -> u32 {\n   2 > |     a - b\n     > |     ^^^^^\n       | }\n'
		);
	});
});
