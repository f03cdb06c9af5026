/** Input literals and printed outputs, as garble-lang parses and prints them. */
import { describe, expect, it } from 'vitest';
import { compile, GarbleLiteralError } from '../../../src/lib/garble';
import { runProgram } from './run';

const DEFS = `
struct FooBar { foo: bool, bar: i32 }
enum Shape { Empty, Circle(u8), Rect(u8, u16) }
`;

/** A program that returns its first input unchanged. */
function identity(type: string) {
	return compile(`${DEFS}\npub fn main(x: ${type}, _y: bool) -> ${type} { x }`);
}

function echo(type: string, literal: string): string {
	return runProgram(identity(type), [literal, 'false']);
}

function literalError(type: string, literal: string): GarbleLiteralError {
	const program = identity(type);
	try {
		program.encodeInput(0, literal);
	} catch (error) {
		if (error instanceof GarbleLiteralError) return error;
		throw error;
	}
	throw new Error(`${literal} was accepted as ${type}`);
}

describe('literals', () => {
	it('print as garble-lang prints them', () => {
		expect(echo('bool', 'true')).toBe('true');
		expect(echo('u32', '200u32')).toBe('200');
		expect(echo('i64', '-200')).toBe('-200');
		expect(echo('[bool; 3]', '[true; 3]')).toBe('[true, true, true]');
		expect(echo('[bool; 2]', '[true, false]')).toBe('[true, false]');
		expect(echo('(bool, bool, u8)', '(true, false, 10)')).toBe('(true, false, 10)');
		expect(echo('FooBar', 'FooBar { foo: true, bar: -3 }')).toBe('FooBar {bar: -3, foo: true}');
		expect(echo('Shape', 'Shape::Empty')).toBe('Shape::Empty');
		expect(echo('Shape', 'Shape::Rect(3, 500)')).toBe('Shape::Rect(3, 500)');
		expect(echo('[u8; 8]', '2u8..10u8')).toBe('[2, 3, 4, 5, 6, 7, 8, 9]');
		expect(echo('[u16; 3]', '5..8')).toBe('[5, 6, 7]');
		expect(echo('[[(u8, bool); 2]; 2]', '[[(1, true), (2, false)], [(3, true); 2]]')).toBe('[[(1, true), (2, false)], [(3, true), (3, true)]]');
	});

	it('round-trip the extreme values of every number type', () => {
		const extremes: Record<string, string[]> = {
			u8: ['0', '255'],
			u16: ['0', '65535'],
			u32: ['0', '4294967295'],
			u64: ['0', '18446744073709551615'],
			usize: ['0', '4294967295'],
			i8: ['-128', '127'],
			i16: ['-32768', '32767'],
			i32: ['-2147483648', '2147483647'],
			i64: ['-9223372036854775808', '9223372036854775807']
		};
		for (const [type, values] of Object.entries(extremes)) {
			for (const value of values) expect(echo(type, value), `${value} as ${type}`).toBe(value);
			expect(echo(type, `${values[1]}${type}`)).toBe(values[1]);
		}
	});

	it('round-trip random values of every number type, printed as BigInt prints them', () => {
		const widths: Record<string, [number, boolean]> = { u8: [8, false], u16: [16, false], u32: [32, false], u64: [64, false], i8: [8, true], i16: [16, true], i32: [32, true], i64: [64, true] };
		for (const [type, [bits, signed]] of Object.entries(widths)) {
			const program = identity(type);
			for (let round = 0; round < 50; round++) {
				const random = BigInt(Math.floor(Math.random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(Math.random() * 2 ** 32));
				const value = signed ? BigInt.asIntN(bits, random >> BigInt(round % 64)) : BigInt.asUintN(bits, random >> BigInt(round % 64));
				expect(runProgram(program, [`${value}${type}`, 'false']), `${value} as ${type}`).toBe(String(value));
			}
		}
	});

	it('encode in garble-lang\'s layout: MSB first, struct fields by name, enum tag then fields', () => {
		const program = compile(`${DEFS}\npub fn main(a: u8, b: i8, c: FooBar, d: Shape) -> bool { true }`);
		expect([...program.encodeInput(0, '5')]).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);
		expect([...program.encodeInput(1, '-2')]).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
		const fooBar = program.encodeInput(2, 'FooBar { foo: true, bar: 1 }');
		expect(fooBar.length).toBe(33);
		expect([...fooBar.slice(0, 32)].join('')).toBe('0'.repeat(31) + '1');
		expect(fooBar[32]).toBe(1);
		const rect = program.encodeInput(3, 'Shape::Rect(1, 2)');
		expect(rect.length).toBe(2 + 8 + 16);
		expect([...rect].join('')).toBe('10' + '00000001' + '0000000000000010');
		expect([...program.encodeInput(3, 'Shape::Circle(255)')].join('')).toBe('01' + '11111111' + '0'.repeat(16));
	});

	it('are rejected with the expected type named and the place marked', () => {
		const wrongType = literalError('u8', 'true');
		expect(wrongType.message).toBe('The input of party 0 is not of type u8: Expected type u8, but found bool at column 1');
		expect(wrongType.expectedType).toBe('u8');
		expect(wrongType.errors[0]).toMatchObject({ kind: 'literal', phase: 'type', line: 1, column: 1 });
		expect(literalError('u8', '256').errors[0].message).toBe('Expected type u8, but found unspecified unsigned int: 256 does not fit u8, which holds 0 to 255');
		expect(literalError('i8', '-200').errors[0].message).toBe('Expected type i8, but found unspecified signed int: -200 does not fit i8, which holds -128 to 127');
		expect(literalError('u8', '-1').errors[0].message).toBe('Expected type u8, but found unspecified signed int');
		expect(literalError('[u8; 3]', '[1, 2]').errors[0].message).toBe('Expected type [u8; 3], but found [u8; 2]');
		expect(literalError('Shape', 'Shape::Circle').errors[0].message).toBe('Expected a tuple variant, but found a variant without fields');
		expect(literalError('FooBar', 'FooBar { foo: true }').errors[0].message).toBe("Field 'bar' is missing for struct 'FooBar'");
		expect(literalError('u8', '1 2').errors[0]).toMatchObject({ phase: 'parse', message: 'Unexpected input after the literal' });
		expect(literalError('u8', '1 $').errors[0]).toMatchObject({ phase: 'scan', message: "Unexpected character '$'" });
		expect(literalError('FooBar', 'FooBar { foo: true, bar: 1 + 2 }').errors[0].message).toBe('Expected a literal value');
	});

	it('name each error\'s place in one line, and what a newcomer likely meant', () => {
		const quoted = literalError('u8', '"5"');
		expect(quoted.message).toBe(`The input of party 0 is not of type u8: Unexpected character '"'; Unexpected character '"'. Values are written without quotes: 5.`);
		expect(quoted.hint).toBe('Values are written without quotes: 5.');
		expect(literalError('u32', '0x1F').hint).toBe('Numbers are written in decimal: 31 for 0x1F.');
		expect(literalError('i8', '[-0b101]').hint).toBe('Numbers are written in decimal: -5 for -0b101.');
		// Digits that do not fit the radix are no number to convert; a name with 0x inside is none either.
		expect(literalError('u8', '0b12').hint).toBe('');
		expect(literalError('u8', 'a0x1').hint).toBe('');
		expect(literalError('u8', '1 2').hint).toBe('');
		expect(literalError('[u8; 2]', '[1, 300]').message).toBe('The input of party 0 is not of type [u8; 2]: Expected type u8, but found unspecified unsigned int: 300 does not fit u8, which holds 0 to 255 at column 5');
		expect(literalError('[u8; 2]', '[1,\n 300]').message).toMatch(/does not fit u8, which holds 0 to 255 on line 2$/);
		const many = literalError('[u8; 5]', '[$, $, $, $, $]');
		expect(many.message).toBe("The input of party 0 is not of type [u8; 5]: Unexpected character '$'; Unexpected character '$'; Unexpected character '$'; and 2 more");
	});

	it('reject a party number that does not exist', () => {
		const program = compile('pub fn main(x: u8) -> u8 { x }');
		expect(() => program.encodeInput(1, '1')).toThrow(RangeError);
	});
});

describe('literals of types sized by constants', () => {
	// (garble-lang rejects these inputs; a variant's first field must be a named type, as there.)
	it('are accepted in struct fields and enum variants too', () => {
		const source = 'const N: usize = PARTY_0::N;\nstruct Row { id: [u8; N], n: u16 }\nenum Key { Id(u16, [u8; N]), None }\npub fn main(r: Row, k: Key) -> (Row, Key) { (r, k) }';
		const program = compile(source, { consts: { PARTY_0: { N: 2 } } });
		expect(program.parties.map((p) => p.type)).toEqual(['Row', 'Key']);
		expect(runProgram(program, ['Row { id: [1, 2], n: 3 }', 'Key::Id(9, [4, 5])'])).toBe('(Row {id: [1, 2], n: 3}, Key::Id(9, [4, 5]))');
	});
});
