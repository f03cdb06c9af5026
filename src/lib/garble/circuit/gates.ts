import type { Circuit } from '../circuit';
import { add, negate, sub } from './arith';
import { arrayGet, arraySet } from './array';
import { CircuitBuilder, type CircuitBuilderOptions, type Wire } from './builder';
import { equal, lessThan } from './compare';
import { divRem } from './divide';
import { mul } from './multiply';
import { shiftLeft, shiftRight } from './shift';
import { condSwap, constantWord, resize, wordConstant } from './word';

export type { Wire };
type Word = readonly Wire[];

/**
 * What the code generator builds circuits with: gates with constant folding and structural
 * hashing, and word-level constructions on words of wires, most significant bit first, two's
 * complement when signed. Each construction that can fail returns the flag wire that is 1
 * when it does; the code generator decides which flags panic.
 */
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

	/** `value` in `bits` bits (two's complement, wrapping). */
	constantWord(value: bigint | number, bits: number): Wire[];
	/** A cast: keeps the low `bits` bits, or sign-extends (if `signed`) or zero-extends. Free. */
	resize(x: Word, bits: number, signed: boolean): Word;
	/** [x, y], swapped when `swap` is 1: one AND per differing bit. */
	condSwap(swap: Wire, x: Word, y: Word): [Wire[], Wire[]];
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
	/**
	 * The array with element `index` replaced; unchanged when out of bounds. With `owned` (the
	 * caller holds the only reference to `array`), a constant index updates `array` in place and
	 * returns it.
	 */
	arraySet(array: Word, elemBits: number, index: Word, value: Word, owned?: boolean): { result: Wire[]; outOfBounds: Wire };

	/** The finished circuit computing `outputs`; gates that do not contribute are dropped. */
	build(outputs: Word): Circuit;
}

/**
 * `Gates` on a CircuitBuilder and the word constructions of this folder: inputs numbered
 * across parties, arrays as flat words with an element width, and `result` fields.
 */
export class CircuitGates implements Gates {
	readonly zero: Wire;
	readonly one: Wire;
	private readonly b: CircuitBuilder;

	constructor(inputBits: readonly number[], options: CircuitBuilderOptions = {}) {
		this.b = new CircuitBuilder(inputBits, options);
		this.zero = this.b.FALSE;
		this.one = this.b.TRUE;
	}

	/** Input bit `i`, counting across parties in party order. */
	input(i: number): Wire {
		return this.b.inputBit(i);
	}

	constant(w: Wire): 0 | 1 | undefined {
		return this.b.isConstant(w) ? (w === this.one ? 1 : 0) : undefined;
	}

	and(a: Wire, b: Wire): Wire {
		return this.b.and(a, b);
	}

	xor(a: Wire, b: Wire): Wire {
		return this.b.xor(a, b);
	}

	not(a: Wire): Wire {
		return this.b.not(a);
	}

	or(a: Wire, b: Wire): Wire {
		return this.b.or(a, b);
	}

	mux(sel: Wire, ifTrue: Wire, ifFalse: Wire): Wire {
		return this.b.mux(sel, ifTrue, ifFalse);
	}

	constantWord(value: bigint | number, bits: number): Wire[] {
		return constantWord(this.b, value, bits);
	}

	resize(x: Word, bits: number, signed: boolean): Word {
		return resize(this.b, x, bits, signed);
	}

	condSwap(swap: Wire, x: Word, y: Word): [Wire[], Wire[]] {
		return condSwap(this.b, swap, x, y);
	}

	add(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const { sum, overflow } = add(this.b, x, y, signed);
		return { result: sum, overflow };
	}

	sub(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const { diff, overflow } = sub(this.b, x, y, signed);
		return { result: diff, overflow };
	}

	mul(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const { product, overflow } = mul(this.b, x, y, signed);
		return { result: product, overflow };
	}

	divRem(x: Word, y: Word, signed: boolean): { quotient: Wire[]; remainder: Wire[]; divByZero: Wire } {
		const { quotient, remainder, divByZero } = divRem(this.b, x, y, signed);
		return { quotient, remainder, divByZero };
	}

	negate(x: Word): Wire[] {
		return negate(this.b, x).result;
	}

	lessThan(x: Word, y: Word, signed: boolean): Wire {
		return lessThan(this.b, x, y, signed);
	}

	equal(x: Word, y: Word): Wire {
		return equal(this.b, x, y);
	}

	shift(x: Word, amount: Word, left: boolean, signed: boolean): { result: Wire[]; overflow: Wire } {
		return left ? shiftLeft(this.b, x, amount) : shiftRight(this.b, x, amount, signed);
	}

	arrayGet(array: Word, elemBits: number, index: Word): { result: Wire[]; outOfBounds: Wire } {
		const at = constantElementAt(this.b, array, elemBits, index);
		if (at !== undefined) return { result: array.slice(at, at + elemBits), outOfBounds: this.b.FALSE };
		const { value, outOfBounds } = arrayGet(this.b, split(array, elemBits), index, elemBits);
		return { result: value, outOfBounds };
	}

	arraySet(array: Word, elemBits: number, index: Word, value: Word, owned = false): { result: Wire[]; outOfBounds: Wire } {
		const at = value.length === elemBits ? constantElementAt(this.b, array, elemBits, index) : undefined;
		if (at !== undefined) {
			// An unrolled loop assigns one element per iteration: copying the whole array each time cost more than the rest of such a loop.
			const result = owned ? (array as Wire[]) : array.slice();
			for (let k = 0; k < elemBits; k++) result[at + k] = value[k];
			return { result, outOfBounds: this.b.FALSE };
		}
		const { elements, outOfBounds } = arraySet(this.b, split(array, elemBits), index, value);
		const result: Wire[] = [];
		for (const element of elements) for (const w of element) result.push(w);
		return { result, outOfBounds };
	}

	build(outputs: Word): Circuit {
		return this.b.build(outputs);
	}
}

/**
 * Where element `index` starts in `array`, when the index is a constant within bounds: then
 * access needs no gates, and the mux tree and decoder (which would fold to the same wires) are
 * skipped. Loops are unrolled, so `xs[i]` in a loop has a constant index; building and folding
 * a mux tree or decoder over every element at each access was most of such a loop's compile time.
 */
function constantElementAt(b: CircuitBuilder, array: Word, elemBits: number, index: Word): number | undefined {
	if (elemBits === 0 || array.length % elemBits !== 0) return undefined;
	const value = wordConstant(b, index, false);
	return value !== undefined && value < BigInt(array.length / elemBits) ? Number(value) * elemBits : undefined;
}

function split(array: Word, elemBits: number): Word[] {
	if (elemBits === 0) return [];
	if (array.length % elemBits !== 0) throw new Error(`array: ${array.length} bits do not split into ${elemBits}-bit elements`);
	return Array.from({ length: array.length / elemBits }, (_, i) => array.slice(i * elemBits, (i + 1) * elemBits));
}
