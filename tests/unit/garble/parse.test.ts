import { describe, expect, it } from 'vitest';
import type { UExpr, UStmt } from '../../../src/lib/garble/ast';
import { parseLiteral, parseProgram } from '../../../src/lib/garble/parse';
import { scan } from '../../../src/lib/garble/scan';
import { typeText } from '../../../src/lib/garble/types';

function parse(source: string) {
	const scanned = scan(source);
	expect(scanned.errors).toEqual([]);
	return parseProgram(scanned.tokens);
}

function parseErrors(source: string): string[] {
	return parse(source).errors.map((e) => `${e.span.startLine + 1}:${e.span.startColumn + 1} ${e.message}`);
}

/** The body of `main` of a program that parses. */
function body(source: string): UStmt[] {
	const { program, errors } = parse(source);
	expect(errors).toEqual([]);
	return program.fns.get('main')!.body;
}

/** Renders an expression fully parenthesised, to check precedence and associativity. */
function shape(e: UExpr): string {
	switch (e.kind) {
		case 'binary':
			return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
		case 'unary':
			return `${e.op}(${shape(e.operand)})`;
		case 'ident':
			return e.name;
		case 'unsigned':
		case 'signed':
			return `${e.value}`;
		case 'cast':
			return `(${shape(e.operand)} as ${typeText(e.target)})`;
		case 'index':
			return `${shape(e.array)}[${shape(e.index)}]`;
		case 'tupleField':
			return `${shape(e.tuple)}.${e.index}`;
		case 'structField':
			return `${shape(e.struct)}.${e.field}`;
		default:
			return e.kind;
	}
}

function exprShape(expr: string): string {
	const stmts = body(`pub fn main(a: u8) -> u8 { ${expr} }`);
	expect(stmts[0].kind).toBe('expr');
	return shape((stmts[0] as Extract<UStmt, { kind: 'expr' }>).expr);
}

describe('parser', () => {
	it('follows garble-lang operator precedence', () => {
		expect(exprShape('a + b * c - d')).toBe('((a add (b mul c)) sub d)');
		expect(exprShape('a < b | c')).toBe('(a lt (b or c))');
		expect(exprShape('a == b < c')).toBe('(a eq (b lt c))');
		expect(exprShape('a || b && c')).toBe('(a oror (b andand c))');
		expect(exprShape('a & b ^ c | d')).toBe('(((a and b) xor c) or d)');
		expect(exprShape('a << 1 + b')).toBe('(a shl (1 add b))');
		expect(exprShape('-a as i16 * b')).toBe('((neg(a) as i16) mul b)');
		expect(exprShape('!x.0[i].f')).toBe('not(x.0[i].f)');
		expect(exprShape('a <= b')).toBe('(a le b)');
	});

	it('parses compound assignment into a read of the same place', () => {
		const [stmt] = body('pub fn main(a: u8) -> () { a[i].0 += 1; }');
		expect(stmt.kind).toBe('assign');
		const assign = stmt as Extract<UStmt, { kind: 'assign' }>;
		expect(assign.accessors.map((a) => a.kind)).toEqual(['index', 'tupleField']);
		expect(shape(assign.value)).toBe('(a[i].0 add 1)');
	});

	it('sorts struct fields by name, as the bit layout requires', () => {
		const { program } = parse('struct P { y: i32, x: i32, b: bool }\npub fn main(p: P) -> bool { p.b }');
		expect(program.structs.get('P')!.fields.map(([name]) => name)).toEqual(['b', 'x', 'y']);
	});

	it('reads all top-level definitions, a later one replacing an earlier one of the same name', () => {
		const { program } = parse(
			'const N: usize = PARTY_0::N;\nenum E { A, B(u8, bool) }\nfn f(x: u8) -> u8 { x }\nfn f(x: u16) -> u16 { x }\npub fn main(x: u8) -> u8 { x }'
		);
		expect([...program.consts.keys()]).toEqual(['N']);
		expect(program.enums.get('E')!.variants).toEqual([
			{ name: 'A', fields: null },
			{ name: 'B', fields: [{ kind: 'unsigned', num: 'u8' }, { kind: 'bool' }] }
		]);
		expect(typeText(program.fns.get('f')!.returnType)).toBe('u16');
	});

	it('parses array sizes given as constants and const expressions', () => {
		const { program } = parse('pub fn main(a: [u8; N], b: [u8; const { N + M - 1usize }]) -> u8 { a[0] }');
		expect(program.fns.get('main')!.params.map((p) => typeText(p.type))).toEqual(['[u8; N]', '[u8; N + M - 1usize]']);
	});

	it('parses patterns: ranges, structs with .., enums, tuples', () => {
		const [stmt] = body(
			'pub fn main(x: u8) -> u8 { match x { 0..10 => 1, 10..=20 => 2, (a, _) => 3, P { a, .. } => 4, E::V(1, y) => 5, E::U => 6 } }'
		);
		const match = (stmt as Extract<UStmt, { kind: 'expr' }>).expr as Extract<UExpr, { kind: 'match' }>;
		expect(match.clauses.map((c) => c.pattern.kind)).toEqual(['unsignedRange', 'unsignedRange', 'tuple', 'struct', 'enumTuple', 'enumUnit']);
		const first = match.clauses[0].pattern as Extract<typeof match.clauses[0]['pattern'], { kind: 'unsignedRange' }>;
		expect([first.min, first.max]).toEqual([0n, 9n]);
	});

	it('reports several parse errors and recovers at statement boundaries', () => {
		expect(parseErrors('pub fn main(x: u8) -> u8 {\n    let a: = 1;\n    let b: = 2;\n    x\n}')).toEqual([
			'2:12 Expected an identifier',
			'3:12 Expected an identifier'
		]);
		// The failed expression's recovery skips the next token (`let`), swallowing the next statement.
		expect(parseErrors('pub fn main(x: u8) -> u8 {\n    let a = ;\n    let b = 2 2;\n    x\n}')).toEqual(['2:13 Expected an expression']);
	});

	it('rejects what garble-lang rejects', () => {
		expect(parseErrors('pub fn main(x: u8) -> u8 {\n    x-1\n}')).toEqual(["2:6 Expected ';'"]);
		expect(parseErrors('pub fn main(b: u8) -> u8 {\n  let a = [4; const { 2 + 3 } ];\n  b\n}')[0]).toContain('Invalid array size');
		// At the end of the input the error is placed just past the last token (columns on line 1 are shifted, as in garble-lang; garble-lang itself says 1:1).
		expect(parseErrors('struct\n')).toEqual(['1:6 Expected an identifier']);
		expect(parseErrors('let x = 1;')[0]).toContain('Not a valid top level declaration');
		expect(parseErrors('const X: usize = 1 * 2;')[0]).toContain('Invalid const expr');
	});

	it('parses input literals, rejecting trailing input', () => {
		const ok = parseLiteral(scan('Point { x: -1i32, y: 2i32 }').tokens);
		expect(ok.errors).toEqual([]);
		expect(ok.expr?.kind).toBe('struct');
		expect(parseLiteral(scan('[1u8, 2u8] 3').tokens).errors.map((e) => e.message)).toEqual(['Unexpected input after the literal']);
		expect(parseLiteral(scan('').tokens).errors.map((e) => e.message)).toEqual(['Invalid literal']);
		const truncated = parseLiteral(scan('[1u8,\n 2u8').tokens).errors;
		expect(truncated.map((e) => [e.message, e.span])).toEqual([["Expected ']'", { startLine: 1, startColumn: 4, endLine: 1, endColumn: 5 }]]);
		expect(parseLiteral(scan('[1u8,').tokens).errors.map((e) => [e.message, e.span.startColumn])).toEqual([['Invalid literal', 5]]);
	});
});
