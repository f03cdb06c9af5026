import type { CircuitBuilder, Wire } from './builder';
import { checkSameWidth, type Word } from './word';

/** x + y + carryIn over the width of x and y, with the carries out of the top two bits. */
export interface Sum {
	sum: Word;
	/** Carry out of the most significant bit. */
	carry: Wire;
	/** Carry into the most significant bit (signed overflow = carry ^ carryIntoMsb). */
	carryIntoMsb: Wire;
}

/** Ripple-carry addition with one AND per bit: c' = c ^ ((x ^ c) & (y ^ c)), s = (x ^ c) ^ y. */
export function addWithCarry(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], carryIn: Wire): Sum {
	checkSameWidth('+', x, y);
	const sum: Word = new Array<Wire>(x.length);
	let carry = carryIn;
	let carryIntoMsb = carryIn;
	for (let i = x.length - 1; i >= 0; i--) {
		const xc = b.xor(x[i], carry);
		sum[i] = b.xor(xc, y[i]);
		carryIntoMsb = carry;
		carry = b.xor(carry, b.and(xc, b.xor(y[i], carry)));
	}
	return { sum, carry, carryIntoMsb };
}

/** x + y; overflow when the true sum does not fit (unsigned carry out, or signed sign error). n ANDs. Result bits wrap. */
export function add(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { sum: Word; overflow: Wire } {
	const { sum, carry, carryIntoMsb } = addWithCarry(b, x, y, b.FALSE);
	return { sum, overflow: signed ? b.xor(carry, carryIntoMsb) : carry };
}

/** x − y with the borrows out of the top two bits; borrow = 1 exactly when x < y as unsigned numbers. */
export interface Difference {
	diff: Word;
	borrow: Wire;
	borrowIntoMsb: Wire;
}

/**
 * Ripple-borrow subtraction with one AND per bit and no negations: the borrow out of a bit is
 * y where the bits differ and the incoming borrow where they agree, k' = k ^ ((x ^ y) & (y ^ k)).
 * Subtractors and comparators all go through here, so the same operands give the same gates
 * and structural hashing shares them (x - y and x < y cost one chain; x == y reuses x ^ y).
 */
export function subtractWithBorrow(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Difference {
	checkSameWidth('-', x, y);
	const diff: Word = new Array<Wire>(x.length);
	let borrow = b.FALSE;
	let borrowIntoMsb = b.FALSE;
	for (let i = x.length - 1; i >= 0; i--) {
		const differ = b.xor(x[i], y[i]);
		diff[i] = b.xor(differ, borrow);
		borrowIntoMsb = borrow;
		borrow = b.xor(borrow, b.and(differ, b.xor(y[i], borrow)));
	}
	return { diff, borrow, borrowIntoMsb };
}

/** x - y; overflow when the true difference does not fit (unsigned: x < y). n ANDs. Result bits wrap. */
export function sub(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { diff: Word; overflow: Wire } {
	const { diff, borrow, borrowIntoMsb } = subtractWithBorrow(b, x, y);
	return { diff, overflow: signed ? b.xor(borrow, borrowIntoMsb) : borrow };
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
