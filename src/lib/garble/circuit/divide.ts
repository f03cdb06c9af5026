import { addWithCarry, negateIf, subtractWithBorrow } from './arith';
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
 * Unsigned: about 0.75n² + 2n ANDs — restoring steps while the partial remainder is narrow
 * (2w + 1 ANDs at width w), then non-restoring steps (n ANDs, no restoring mux). A power-of-two
 * constant divisor is free, and another constant divisor d keeps the remainder below 2d, so
 * every step is a narrow restoring one: about 2·(log2 d + 2) ANDs per bit. Signed: the same on
 * magnitudes plus about 3n.
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
	const constantWidth = divisor !== undefined && divisor > 0n ? divisor.toString(2).length + 1 : undefined;
	// anyAbove[m] = OR of the top m divisor bits: when set, the divisor exceeds an m-bit-short remainder.
	const anyAbove: Wire[] = [b.FALSE];
	for (let m = 1; m <= n; m++) anyAbove.push(b.or(anyAbove[m - 1], y[m - 1]));
	const divByZero = b.not(anyAbove[n]);
	const quotient: Word = [];
	let remainder: Word = [];
	let i = 0;
	// Restoring steps on a remainder only as wide as it can be: 2w + 1 ANDs at width w.
	for (; i < n; i++) {
		const w = Math.min(remainder.length + 1, constantWidth ?? n);
		if (constantWidth === undefined && 2 * w + 1 > n) break;
		remainder = [...remainder, x[i]].slice(-w);
		const { diff, borrow } = subtractWithBorrow(b, remainder, y.slice(n - w));
		const bit = b.not(b.or(borrow, anyAbove[n - w]));
		quotient.push(bit);
		remainder = muxWord(b, bit, diff, remainder);
	}
	if (i === n) return { quotient, remainder: resize(b, remainder, n, false), divByZero };
	// Then non-restoring steps, n ANDs each: the partial remainder p stays in [−y, y), an
	// (n+1)-bit signed number, and the next is 2p + x_i − y when p ≥ 0, else 2p + x_i + y.
	let partial = resize(b, remainder, n + 1, false);
	const wideY = resize(b, y, n + 1, false);
	for (; i < n; i++) {
		const subtract = b.not(partial[0]);
		const twice = [...partial.slice(1), x[i]];
		partial = addWithCarry(
			b,
			twice,
			wideY.map((w) => b.xor(w, subtract)),
			subtract
		).sum;
		quotient.push(b.not(partial[0]));
	}
	// A negative final p is short of the remainder by y.
	const low = partial.slice(1);
	const remainderIfNegative = addWithCarry(b, low, y, b.FALSE).sum;
	return { quotient, remainder: muxWord(b, partial[0], remainderIfNegative, low), divByZero };
}
