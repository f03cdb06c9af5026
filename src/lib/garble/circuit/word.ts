import type { CircuitBuilder, Wire } from './builder';

/**
 * An integer as builder wires, most significant bit first (garble-lang's layout); two's
 * complement when signed. Bitwise operations are free except AND and OR (one AND per bit).
 */
export type Word = Wire[];

/** Throws unless both operands have the same width (the compiler extends them first). */
export function checkSameWidth(op: string, x: readonly Wire[], y: readonly Wire[]): void {
	if (x.length !== y.length) throw new Error(`${op}: operands have ${x.length} and ${y.length} bits`);
}

/** Bits of a word that a JavaScript number holds exactly: a safe integer has 53 and a sign. */
const EXACT_BITS = 53;

/**
 * The constant `value` in `bits` bits (two's complement, wrapping modulo 2^bits). Loops are
 * unrolled, so a loop over a range makes one constant per iteration: a safe integer is taken
 * apart with number arithmetic, BigInt only for what does not fit one.
 */
export function constantWord(b: CircuitBuilder, value: bigint | number, bits: number): Word {
	// A bigint beyond the safe integers converts to a number that is not one.
	const exact = Number(value);
	const word: Word = new Array<Wire>(bits);
	if (Number.isSafeInteger(exact)) {
		// Bits 0–31 and 32–63 in two's complement (ToUint32 wraps modulo 2^32), the sign above.
		const low = exact >>> 0;
		const high = Math.floor(exact / 2 ** 32) >>> 0;
		const sign = exact < 0 ? b.TRUE : b.FALSE;
		for (let i = 0; i < bits; i++) {
			const j = bits - 1 - i;
			word[i] = j >= 64 ? sign : ((j < 32 ? low >>> j : high >>> (j - 32)) & 1) === 1 ? b.TRUE : b.FALSE;
		}
		return word;
	}
	const v = BigInt(value);
	for (let i = 0; i < bits; i++) word[i] = ((v >> BigInt(bits - 1 - i)) & 1n) === 1n ? b.TRUE : b.FALSE;
	return word;
}

/** The value of a word whose bits are all constant, or undefined if any bit is not. */
export function wordConstant(b: CircuitBuilder, x: readonly Wire[], signed: boolean): bigint | undefined {
	if (!x.every((w) => b.isConstant(w))) return undefined;
	let v: bigint;
	if (x.length <= EXACT_BITS) {
		let exact = 0;
		for (const w of x) exact = exact * 2 + (w === b.TRUE ? 1 : 0);
		v = BigInt(exact);
	} else {
		v = 0n;
		for (const w of x) v = (v << 1n) | (w === b.TRUE ? 1n : 0n);
	}
	return signed && x.length > 0 && x[0] === b.TRUE ? v - (1n << BigInt(x.length)) : v;
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
