import type { Circuit } from '../circuit';
import { add, negate, sub } from './arith';
import { arrayGet, arraySet } from './array';
import { CircuitBuilder, type Wire } from './builder';
import { equal, lessThan } from './compare';
import { divRem } from './divide';
import { mul } from './multiply';
import { shiftLeft, shiftRight } from './shift';

type Word = readonly Wire[];

/**
 * The builder and the word constructions behind one object, shaped like the code generator's
 * `Gates` interface (src/lib/garble/codegen/gates.ts): inputs numbered across parties, flat
 * arrays with an element width, and `result` fields. Semantics are those of the modules it
 * calls; `divRem` and `negate` wrap on MIN / -1 and -MIN as garble-lang does.
 */
export class CircuitGates {
	readonly zero: Wire;
	readonly one: Wire;
	private readonly b: CircuitBuilder;

	constructor(inputBits: readonly number[]) {
		this.b = new CircuitBuilder(inputBits);
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
		const { value, outOfBounds } = arrayGet(this.b, split(array, elemBits), index, elemBits);
		return { result: value, outOfBounds };
	}

	arraySet(array: Word, elemBits: number, index: Word, value: Word): { result: Wire[]; outOfBounds: Wire } {
		const { elements, outOfBounds } = arraySet(this.b, split(array, elemBits), index, value);
		const result: Wire[] = [];
		for (const element of elements) for (const w of element) result.push(w);
		return { result, outOfBounds };
	}

	build(outputs: Word): Circuit {
		return this.b.build(outputs);
	}
}

function split(array: Word, elemBits: number): Word[] {
	if (elemBits === 0) return [];
	if (array.length % elemBits !== 0) throw new Error(`array: ${array.length} bits do not split into ${elemBits}-bit elements`);
	return Array.from({ length: array.length / elemBits }, (_, i) => array.slice(i * elemBits, (i + 1) * elemBits));
}
