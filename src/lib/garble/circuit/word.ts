import type { CircuitBuilder, Wire } from './builder';
import { readUnsigned, writeTwosComplement } from './twos-complement';

/**
 * An integer as builder wires, most significant bit first (garble-lang's layout); two's
 * complement when signed. Bitwise operations are free except AND and OR (one AND per bit).
 */
export type Word = Wire[];

/** Throws unless both operands have the same width (the compiler extends them first). */
export function checkSameWidth(op: string, x: readonly Wire[], y: readonly Wire[]): void {
	if (x.length !== y.length) throw new Error(`${op}: operands have ${x.length} and ${y.length} bits`);
}

/**
 * The constant `value` in `bits` bits (two's complement, wrapping modulo 2^bits). Loops are
 * unrolled, so a loop over a range makes one constant per iteration.
 */
export function constantWord(b: CircuitBuilder, value: bigint | number, bits: number): Word {
	const word = new Uint8Array(bits);
	writeTwosComplement(value, bits, word, 0);
	return Array.from(word, (bit) => b.constant(bit === 1));
}

/** The value of a word whose bits are all constant, or undefined if any bit is not. */
export function wordConstant(b: CircuitBuilder, x: readonly Wire[], signed: boolean): bigint | undefined {
	if (!x.every((w) => b.isConstant(w))) return undefined;
	const v = readUnsigned(x.map((w) => (w === b.TRUE ? 1 : 0)), 0, x.length);
	return signed ? BigInt.asIntN(x.length, v) : v;
}

export function notWord(b: CircuitBuilder, x: readonly Wire[]): Word {
	return x.map((w) => b.not(w));
}

export function xorWord(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Word {
	checkSameWidth('^', x, y);
	return x.map((w, i) => b.xor(w, y[i]));
}

export function andWord(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Word {
	checkSameWidth('&', x, y);
	return x.map((w, i) => b.and(w, y[i]));
}

export function orWord(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Word {
	checkSameWidth('|', x, y);
	return x.map((w, i) => b.or(w, y[i]));
}

/** sel ? ifTrue : ifFalse, one AND per differing bit. */
export function muxWord(b: CircuitBuilder, sel: Wire, ifTrue: readonly Wire[], ifFalse: readonly Wire[]): Word {
	checkSameWidth('mux', ifTrue, ifFalse);
	return ifTrue.map((w, i) => b.mux(sel, w, ifFalse[i]));
}

/** [x, y] swapped when `swap` is true; one AND per bit serves both outputs. */
export function condSwap(b: CircuitBuilder, swap: Wire, x: readonly Wire[], y: readonly Wire[]): [Word, Word] {
	checkSameWidth('swap', x, y);
	const first: Word = [];
	const second: Word = [];
	x.forEach((w, i) => {
		const flip = b.and(swap, b.xor(w, y[i]));
		first.push(b.xor(w, flip));
		second.push(b.xor(y[i], flip));
	});
	return [first, second];
}

/**
 * A cast: keeps the low `bits` bits when narrowing, and sign-extends (if the source is
 * `signed`) or zero-extends when widening. Free.
 */
export function resize(b: CircuitBuilder, x: readonly Wire[], bits: number, signed: boolean): Word {
	if (bits <= x.length) return x.slice(x.length - bits);
	const fill = signed && x.length > 0 ? x[0] : b.FALSE;
	return [...new Array<Wire>(bits - x.length).fill(fill), ...x];
}

/** OR of all bits (false for no bits), as a balanced tree: n − 1 ANDs. */
export function anyBit(b: CircuitBuilder, bits: readonly Wire[]): Wire {
	return b.not(allBits(b, notWord(b, bits)));
}

/** AND of all bits (true for no bits), as a balanced tree: n − 1 ANDs. */
export function allBits(b: CircuitBuilder, bits: readonly Wire[]): Wire {
	if (bits.length === 0) return b.TRUE;
	let level = [...bits];
	while (level.length > 1) {
		const next: Wire[] = [];
		for (let i = 0; i + 1 < level.length; i += 2) next.push(b.and(level[i], level[i + 1]));
		if (level.length % 2 === 1) next.push(level[level.length - 1]);
		level = next;
	}
	return level[0];
}

/** True when all bits are zero: n − 1 ANDs. */
export function isZero(b: CircuitBuilder, x: readonly Wire[]): Wire {
	return allBits(b, notWord(b, x));
}
