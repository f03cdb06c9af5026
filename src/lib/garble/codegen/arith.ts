/**
 * Word-level constructions on top of the gate builder (words MSB first). Adders use one AND
 * per bit (c' = c ⊕ ((x ⊕ c) ∧ (y ⊕ c))); comparisons are the carry chain of a subtraction.
 */
import { GateBuilder } from './builder';
import type { Gates, Wire, Word } from './gates';

export class WordBuilder extends GateBuilder implements Gates {
	/** Sum bits and the carries into and out of the most significant bit. */
	private addWithCarry(x: Word, y: Word, carryIn: Wire): { sum: Wire[]; carryOut: Wire; carryIntoMsb: Wire } {
		const n = x.length;
		const sum = new Array<Wire>(n);
		let carry = carryIn;
		let carryIntoMsb = carryIn;
		for (let i = n - 1; i >= 0; i--) {
			if (i === 0) carryIntoMsb = carry;
			const xc = this.xor(x[i], carry);
			sum[i] = this.xor(xc, y[i]);
			carry = this.xor(carry, this.and(xc, this.xor(y[i], carry)));
		}
		return { sum, carryOut: carry, carryIntoMsb };
	}

	add(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const { sum, carryOut, carryIntoMsb } = this.addWithCarry(x, y, this.zero);
		return { result: sum, overflow: signed ? this.xor(carryOut, carryIntoMsb) : carryOut };
	}

	sub(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const { sum, carryOut, carryIntoMsb } = this.addWithCarry(x, y.map((w) => this.not(w)), this.one);
		return { result: sum, overflow: signed ? this.xor(carryOut, carryIntoMsb) : this.not(carryOut) };
	}

	negate(x: Word): Wire[] {
		return this.sub(new Array<Wire>(x.length).fill(this.zero), x, false).result;
	}

	lessThan(x: Word, y: Word, signed: boolean): Wire {
		// From the least significant bit: y > x so far ⇔ (yᵢ ≠ xᵢ ? yᵢ : so far), i.e.
		// acc ⊕ ((yᵢ ⊕ xᵢ) ∧ (yᵢ ⊕ acc)): one AND per bit, and yᵢ ⊕ xᵢ is shared with an
		// equality test of the same words. A signed word's sign bit counts the other way.
		let acc = this.zero;
		for (let i = x.length - 1; i >= 0; i--) {
			const yi = signed && i === 0 ? x[i] : y[i];
			const xi = signed && i === 0 ? y[i] : x[i];
			acc = this.xor(acc, this.and(this.xor(yi, xi), this.xor(yi, acc)));
		}
		return acc;
	}

	equal(x: Word, y: Word): Wire {
		let all = this.one;
		for (let i = 0; i < x.length; i++) all = this.and(all, this.not(this.xor(x[i], y[i])));
		return all;
	}

	private isZero(x: Word): Wire {
		return this.equal(x, new Array<Wire>(x.length).fill(this.zero));
	}

	private anyOne(x: Word): Wire {
		return this.not(this.isZero(x));
	}

	private muxWord(sel: Wire, ifTrue: Word, ifFalse: Word): Wire[] {
		return ifTrue.map((w, i) => this.mux(sel, w, ifFalse[i]));
	}

	/** |x| of a signed word, as an unsigned word of the same width. */
	private abs(x: Word): Wire[] {
		return this.muxWord(x[0], this.negate(x), x);
	}

	/** The exact 2n-bit product of two unsigned n-bit words (shift and add). */
	private fullProduct(x: Word, y: Word): Wire[] {
		const n = x.length;
		const out = new Array<Wire>(2 * n).fill(this.zero);
		for (let j = 0; j < n; j++) {
			const bit = y[n - 1 - j];
			const partial = x.map((w) => this.and(w, bit));
			// Add the partial product into bits [n − j − 1 … 2n − j − 1] (n + 1 wide, with carry).
			const lo = n - j - 1;
			const window = out.slice(lo, lo + n + 1);
			const { sum } = this.addWithCarry(window, [this.zero, ...partial], this.zero);
			for (let k = 0; k <= n; k++) out[lo + k] = sum[k];
		}
		return out;
	}

	mul(x: Word, y: Word, signed: boolean): { result: Wire[]; overflow: Wire } {
		const n = x.length;
		if (!signed) {
			const product = this.fullProduct(x, y);
			return { result: product.slice(n), overflow: this.anyOne(product.slice(0, n)) };
		}
		const negative = this.xor(x[0], y[0]);
		const magnitude = this.fullProduct(this.abs(x), this.abs(y));
		const low = magnitude.slice(n);
		// The magnitude must be at most 2^(n−1) − 1, or exactly 2^(n−1) for a negative result.
		const high = this.anyOne(magnitude.slice(0, n));
		const lowRest = this.anyOne(low.slice(1));
		const tooBig = this.or(high, this.and(low[0], this.or(lowRest, this.not(negative))));
		return { result: this.muxWord(negative, this.negate(low), low), overflow: tooBig };
	}

	/** Restoring division of unsigned words. */
	private divideUnsigned(x: Word, y: Word): { quotient: Wire[]; remainder: Wire[] } {
		const n = x.length;
		let remainder: Wire[] = new Array<Wire>(n).fill(this.zero);
		const quotient = new Array<Wire>(n);
		const divisor = [this.zero, ...y];
		for (let i = 0; i < n; i++) {
			const shifted = [...remainder, x[i]];
			const { result, overflow: borrow } = this.sub(shifted, divisor, false);
			quotient[i] = this.not(borrow);
			remainder = this.muxWord(borrow, shifted, result).slice(1);
		}
		return { quotient, remainder };
	}

	divRem(x: Word, y: Word, signed: boolean): { quotient: Wire[]; remainder: Wire[]; divByZero: Wire } {
		const divByZero = this.isZero(y);
		if (!signed) return { ...this.divideUnsigned(x, y), divByZero };
		const { quotient, remainder } = this.divideUnsigned(this.abs(x), this.abs(y));
		return {
			quotient: this.muxWord(this.xor(x[0], y[0]), this.negate(quotient), quotient),
			remainder: this.muxWord(x[0], this.negate(remainder), remainder),
			divByZero
		};
	}

	shift(x: Word, amount: Word, left: boolean, signed: boolean): { result: Wire[]; overflow: Wire } {
		const n = x.length;
		let layers = 0;
		while (1 << layers < n) layers++;
		const fill = signed && !left ? x[0] : this.zero;
		let value = [...x];
		for (let layer = 0; layer < layers; layer++) {
			const bit = amount[amount.length - 1 - layer];
			const by = 1 << layer;
			const shifted = value.map((_, i) => {
				const from = left ? i + by : i - by;
				return from >= 0 && from < n ? value[from] : left ? this.zero : fill;
			});
			value = this.muxWord(bit, shifted, value);
		}
		return { result: value, overflow: this.anyOne(amount.slice(0, amount.length - layers)) };
	}

	/** index ≥ length, for an unsigned index word. */
	private outOfBounds(index: Word, length: number): Wire {
		const bound: Wire[] = [];
		for (let i = 0; i < index.length; i++) bound.push(((length / 2 ** (index.length - 1 - i)) & 1) === 1 ? this.one : this.zero);
		return length >= 2 ** index.length ? this.zero : this.not(this.lessThan(index, bound, false));
	}

	arrayGet(array: Word, elemBits: number, index: Word): { result: Wire[]; outOfBounds: Wire } {
		const length = elemBits === 0 ? 0 : array.length / elemBits;
		const outOfBounds = this.outOfBounds(index, length);
		if (length === 0) return { result: new Array<Wire>(elemBits).fill(this.zero), outOfBounds };
		let elems: Word[] = [];
		for (let i = 0; i < length; i++) elems.push(array.slice(i * elemBits, (i + 1) * elemBits));
		// A tree of multiplexers, one level per index bit from the least significant.
		for (let level = 0; elems.length > 1; level++) {
			const bit = index[index.length - 1 - level] ?? this.zero;
			const next: Word[] = [];
			for (let i = 0; i < elems.length; i += 2) next.push(i + 1 < elems.length ? this.muxWord(bit, elems[i + 1], elems[i]) : elems[i]);
			elems = next;
		}
		return { result: [...elems[0]], outOfBounds };
	}

	arraySet(array: Word, elemBits: number, index: Word, value: Word): { result: Wire[]; outOfBounds: Wire } {
		const length = elemBits === 0 ? 0 : array.length / elemBits;
		const outOfBounds = this.outOfBounds(index, length);
		// One-hot decoding of the index: each split costs one AND (w ∧ ¬b = w ⊕ (w ∧ b)).
		let selectors: Wire[] = [this.not(outOfBounds)];
		let levels = 0;
		while (1 << levels < length) levels++;
		for (let level = levels - 1; level >= 0; level--) {
			const bit = index[index.length - 1 - level] ?? this.zero;
			selectors = selectors.flatMap((w) => {
				const high = this.and(w, bit);
				return [this.xor(w, high), high];
			});
		}
		const result = [...array];
		for (let i = 0; i < length; i++) {
			for (let b = 0; b < elemBits; b++) {
				const k = i * elemBits + b;
				result[k] = this.mux(selectors[i], value[b], array[k]);
			}
		}
		return { result, outOfBounds };
	}
}
