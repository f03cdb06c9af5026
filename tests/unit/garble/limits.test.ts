// Programs too large or too deep to compile get an error that says what and where, quickly,
// instead of exhausting the memory or the stack.
import { describe, expect, it } from 'vitest';
import { check, compile, evaluateCircuit, GarbleCompileError, GarbleLiteralError, type GarbleError } from '../../../src/lib/garble';
import { MAX_VALUE_BITS } from '../../../src/lib/garble/layout';
import { MAX_NESTING } from '../../../src/lib/garble/parse';
import { MAX_PARTIES } from '../../../src/lib/garble/program';

/** The errors `compile` throws. */
function compileErrors(source: string): readonly GarbleError[] {
	try {
		compile(source);
	} catch (error) {
		if (error instanceof GarbleCompileError) return error.errors;
		throw error;
	}
	throw new Error('the program compiled');
}

const main = (body: string, params = 'a: u8, b: u8', returns = 'u8') => `pub fn main(${params}) -> ${returns} {\n    ${body}\n}\n`;

describe('values too large for a circuit', () => {
	it('a single array parameter with more elements than parties a program may have', () => {
		const [error] = compileErrors('pub fn main(a: [u64; 100000000]) -> u64 {\n    a[0]\n}\n');
		expect(error).toMatchObject({ kind: 'compile', line: 1, column: 12, endLine: 1, endColumn: 31 });
		expect(error.message).toBe(`The parameter a: [u64; 100000000] makes one party per element: 100000000 parties, more than the ${MAX_PARTIES} a program may have`);
	});

	it('a parameter whose type has more bits than a value may have', () => {
		const [error] = compileErrors(main('a[0] + b', 'a: [u64; 100000000], b: u64', 'u64'));
		expect(error).toMatchObject({ kind: 'compile', line: 1, column: 12 });
		expect(error.message).toBe(`A value of type [u64; 100000000] has 6400000000 bits, more than the ${MAX_VALUE_BITS} a value may have`);
	});

	it('a huge array made in the body, or passed to a function, at the statement that makes it', () => {
		expect(compileErrors(main('let big = [a; 100000000];\n    big[0]'))[0]).toMatchObject({ line: 2, column: 5, message: expect.stringMatching(/^A value of type \[u8; 100000000\] has 800000000 bits/) });
		expect(compileErrors(main('let r = 0u32..100000000u32;\n    a', 'a: u32', 'u32'))[0]).toMatchObject({ line: 2, message: expect.stringMatching(/\[u32; 100000000\]/) });
		const helper = 'fn first(x: [u64; 100000000]) -> u64 {\n    x[0]\n}\n\npub fn main(a: u64) -> u64 {\n    first([a; 100000000])\n}\n';
		expect(compileErrors(helper)[0]).toMatchObject({ line: 6, column: 5, message: expect.stringMatching(/^A value of type \[u64; 100000000\]/) });
	});
});

/** `levels` levels of each construct around (or after) `a`, as the body of main(a: u8, b: u8) -> u8. */
const nests: Record<string, (levels: number) => string> = {
	brackets: (n) => `${'('.repeat(n)}a${')'.repeat(n)}`,
	blocks: (n) => `${'{ '.repeat(n)}a${' }'.repeat(n)}`,
	'unary operators': (n) => `${'!'.repeat(n)}a`,
	'a chain of operators': (n) => Array(n + 1).fill('a').join(' ^ '),
	'else if': (n) => `if a == 0u8 { a } ${Array(n).fill('else if a == b { b }').join(' ')} else { a }`,
	casts: (n) => `a${' as u8'.repeat(n)}`,
	calls: (n) => `${'id('.repeat(n)}a${')'.repeat(n)}`
};

describe('nesting', { timeout: 30_000 }, () => {
	// The statement is one level, the first `if` and a cast's type one more.
	const fits = MAX_NESTING - 3;

	for (const [what, nest] of Object.entries(nests)) {
		// 100,000 brackets overflowed the stack; a few thousand levels of anything did.
		const deep = what === 'brackets' ? 100_000 : 5000;
		it(`${what}: ${fits} levels compile, ${deep} are an error at their place`, () => {
			const helper = what === 'calls' ? 'fn id(x: u8) -> u8 {\n    x\n}\n\n' : '\n\n\n\n';
			const source = (levels: number) => `${helper}${main(nest(levels))}`;
			const program = compile(source(fits));
			expect(evaluateCircuit(program.circuit, [Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 1), Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 1)]).length).toBe(8);
			const errors = check(source(deep)).errors;
			expect(errors).toHaveLength(1);
			expect(errors[0]).toMatchObject({ kind: 'parse', line: 6 });
			expect(errors[0].message).toMatch(new RegExp(`^Nested more than ${MAX_NESTING} levels deep`));
			expect(compileErrors(source(deep))).toEqual(errors);
		});
	}

	it('types and patterns', () => {
		const type = (n: number) => `${'('.repeat(n)}u8${', u8)'.repeat(n)}`;
		expect(check(main('b', `a: ${type(fits)}, b: u8`)).errors).toEqual([]);
		expect(check(main('b', `a: ${type(5000)}, b: u8`)).errors[0].message).toMatch(/^Nested more than/);
		const pattern = (n: number) => `let ${'('.repeat(n)}x${',)'.repeat(n)} = ${'('.repeat(n)}a${',)'.repeat(n)};\n    x`;
		expect(compile(main(pattern(fits / 2))).circuit.outputs).toHaveLength(8);
		expect(check(main(pattern(5000))).errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^Nested more than/) });
	});

	it('an input literal nested too deep is a literal error, not a crash', () => {
		const program = compile(main('a[0]', 'a: [u8; 1], b: u8'));
		expect(() => program.encodeInput(0, `${'['.repeat(100_000)}1u8${']'.repeat(100_000)}`)).toThrow(GarbleLiteralError);
		expect(() => program.encodeInput(0, `${'['.repeat(100_000)}1u8${']'.repeat(100_000)}`)).toThrow(/Nested more than/);
	});
});
