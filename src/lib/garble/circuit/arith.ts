import type { CircuitBuilder, Wire } from './builder';
import { checkSameWidth, notWord, type Word } from './word';

/** x + y + carryIn over the width of x and y, with the carries out of the top two bits. */
export interface Sum {
	sum: Word;
	/** Carry out of the most significant bit. */
	carry: Wire;
	/** Carry into the most significant bit (signed overflow = carry ^ carryIntoMsb). */
	carryIntoMsb: Wire;
}

/**
 * Ripple-carry addition with one AND per bit: c' = c ^ ((x ^ c) & (y ^ c)), s = x ^ y ^ c.
 * Every adder, subtractor and comparator goes through here, so that the same operands give
 * the same gates and structural hashing shares them (x - y and x < y cost one chain).
 */
export function addWithCarry(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], carryIn: Wire): Sum {
	checkSameWidth('+', x, y);
	const n = x.length;
	const sum: Word = new Array<Wire>(n);
	let carry = carryIn;
	let carryIntoMsb = carryIn;
	for (let i = n - 1; i >= 0; i--) {
		sum[i] = b.xor(b.xor(x[i], y[i]), carry);
		carryIntoMsb = carry;
		carry = b.xor(carry, b.and(b.xor(x[i], carry), b.xor(y[i], carry)));
	}
	return { sum, carry, carryIntoMsb };
}

/** x + y; overflow when the true sum does not fit (unsigned carry out, or signed sign error). n ANDs. Result bits wrap. */
export function add(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { sum: Word; overflow: Wire } {
	const { sum, carry, carryIntoMsb } = addWithCarry(b, x, y, b.FALSE);
	return { sum, overflow: signed ? b.xor(carry, carryIntoMsb) : carry };
}

/** The chain of x + !y + 1 = x - y: carry = 1 exactly when x >= y as unsigned numbers. */
export function subtractChain(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Sum {
	return addWithCarry(b, x, notWord(b, y), b.TRUE);
}

/** x - y; overflow when the true difference does not fit (unsigned: x < y). n ANDs. Result bits wrap. */
export function sub(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { diff: Word; overflow: Wire } {
	const { sum, carry, carryIntoMsb } = subtractChain(b, x, y);
	return { diff: sum, overflow: signed ? b.xor(carry, carryIntoMsb) : b.not(carry) };
}

/** (x ^ s) + s: x when s is false, -x (wrapping) when s is true. n − 1 ANDs. */
export function negateIf(b: CircuitBuilder, x: readonly Wire[], s: Wire): Word {
	return negateIfWithCarry(b, x, s).result;
}

/**
 * -x (two's complement, wrapping); overflow when x is the signed minimum, the only value whose
 * negation does not fit (garble-lang's unary minus never panics). n − 1 ANDs.
 */
export function negate(b: CircuitBuilder, x: readonly Wire[]): { result: Word; overflow: Wire } {
	const { result, carryIntoMsb } = negateIfWithCarry(b, x, b.TRUE);
	// Negating, the carry into the top bit is set exactly when all lower bits of x are zero.
	return { result, overflow: x.length === 0 ? b.FALSE : b.and(x[0], carryIntoMsb) };
}

function negateIfWithCarry(b: CircuitBuilder, x: readonly Wire[], s: Wire): { result: Word; carryIntoMsb: Wire } {
	const result: Word = new Array<Wire>(x.length);
	let carry = s;
	for (let i = x.length - 1; i >= 0; i--) {
		const bit = b.xor(x[i], s);
		result[i] = b.xor(bit, carry);
		if (i > 0) carry = b.and(bit, carry);
	}
	return { result, carryIntoMsb: carry };
}
