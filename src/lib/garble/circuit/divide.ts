import { negateIf, subtractWithBorrow } from './arith';
import type { CircuitBuilder, Wire } from './builder';
import { checkSameWidth, muxWord, resize, wordConstant, type Word } from './word';

export interface Division {
	quotient: Word;
	remainder: Word;
	/** y == 0. The quotient is then all ones (unsigned; signed: 1 if x < 0, else -1) and the remainder is x. */
	divByZero: Wire;
	/** Signed MIN / -1 (Rust panics, garble-lang wraps); the quotient is then MIN, the remainder 0. Never set with divByZero. */
	overflow: Wire;
}

/**
 * x / y and x % y, truncating toward zero; the remainder has the sign of x (Rust semantics).
 * Unsigned: about n² + 3n ANDs by restoring division whose partial remainder only ever has as
 * many bits as the step needs; a power-of-two constant divisor is free, and another constant
 * divisor d costs about 2·(log2 d + 2) ANDs per bit. Signed: the same on magnitudes plus about 3n.
 */
export function divRem(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Division {
	checkSameWidth('/', x, y);
	if (!signed || x.length === 0) return { ...unsignedDivRem(b, x, y), overflow: b.FALSE };
	const [signX, signY] = [x[0], y[0]];
	const magnitude = unsignedDivRem(b, negateIf(b, x, signX), negateIf(b, y, signY));
	const sameSign = b.not(b.xor(signX, signY));
	// |x| / |y| reaches 2^(n-1) only for MIN / ±1; with equal signs that quotient does not fit.
	const overflow = b.and(b.and(magnitude.quotient[0], sameSign), b.not(magnitude.divByZero));
	return {
		quotient: negateIf(b, magnitude.quotient, b.not(sameSign)),
		remainder: negateIf(b, magnitude.remainder, signX),
		divByZero: magnitude.divByZero,
		overflow
	};
}

function unsignedDivRem(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Omit<Division, 'overflow'> {
	const n = x.length;
	const divisor = wordConstant(b, y, false);
	if (divisor !== undefined && divisor > 0n && (divisor & (divisor - 1n)) === 0n) {
		const k = divisor.toString(2).length - 1;
		return {
			quotient: resize(b, x.slice(0, n - k), n, false),
			remainder: resize(b, x.slice(n - k), n, false),
			divByZero: b.FALSE
		};
	}
	// A nonzero constant divisor d keeps every partial remainder below 2d.
	const width = divisor !== undefined && divisor > 0n ? divisor.toString(2).length + 1 : n;
	// anyAbove[m] = OR of the top m divisor bits: when set, the divisor exceeds an m-bit-short remainder.
	const anyAbove: Wire[] = [b.FALSE];
	for (let m = 1; m <= n; m++) anyAbove.push(b.or(anyAbove[m - 1], y[m - 1]));
	const quotient: Word = [];
	let remainder: Word = [];
	for (let i = 0; i < n; i++) {
		remainder = [...remainder, x[i]];
		if (remainder.length > width) remainder = remainder.slice(1);
		const w = remainder.length;
		// One chain gives remainder - (low w divisor bits) and whether it is non-negative.
		const { diff, borrow } = subtractWithBorrow(b, remainder, y.slice(n - w));
		const bit = b.not(b.or(borrow, anyAbove[n - w]));
		quotient.push(bit);
		remainder = muxWord(b, bit, diff, remainder);
	}
	return { quotient, remainder: resize(b, remainder, n, false), divByZero: b.not(anyAbove[n]) };
}
