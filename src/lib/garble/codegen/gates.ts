/**
 * What code generation needs from the circuit layer: gates with constant folding and
 * structural hashing, and word-level constructions on words of wires, most significant bit
 * first. Each construction that can fail returns the flag wire that is 1 when it does.
 */
import type { Circuit } from '../circuit';

export type Wire = number;
export type Word = readonly Wire[];

export interface Gates {
	readonly zero: Wire;
	readonly one: Wire;
	/** The wire of input bit `i` (inputs numbered party after party). */
	input(i: number): Wire;
	/** 0 or 1 when the wire is a known constant. */
	constant(w: Wire): 0 | 1 | undefined;
	and(a: Wire, b: Wire): Wire;
	xor(a: Wire, b: Wire): Wire;
	not(a: Wire): Wire;
	or(a: Wire, b: Wire): Wire;
	/** `sel ? ifTrue : ifFalse`. */
	mux(sel: Wire, ifTrue: Wire, ifFalse: Wire): Wire;

	add(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire };
	sub(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire };
	/** Rust `checked_mul`: overflow when the exact product does not fit. */
	mul(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire };
	/** Quotient rounded towards zero, remainder with the dividend's sign; MIN / -1 wraps. */
	divRem(x: Word, y: Word, signed: boolean): { quotient: Wire[]; remainder: Wire[]; divByZero: Wire };
	/** Two's complement negation (wraps). */
	negate(x: Word): Wire[];
	lessThan(x: Word, y: Word, signed: boolean): Wire;
	equal(x: Word, y: Word): Wire;
	/** Shift by an unsigned amount; overflow when the amount is at least the width. */
	shift(x: Word, amount: Word, left: boolean, signed: boolean): { result: Wire[]; overflow: Wire };
	/** Element `index` of an array of `elemBits`-bit elements; any value when out of bounds. */
	arrayGet(array: Word, elemBits: number, index: Word): { result: Wire[]; outOfBounds: Wire };
	/** The array with element `index` replaced; unchanged when out of bounds. */
	arraySet(array: Word, elemBits: number, index: Word, value: Word): { result: Wire[]; outOfBounds: Wire };

	/** The finished circuit computing `outputs`; gates that do not contribute are dropped. */
	build(outputs: Word): Circuit;
}
