import { subtractWithBorrow } from './arith';
import type { CircuitBuilder, Wire } from './builder';
import { allBits, checkSameWidth, muxWord, type Word } from './word';

/** x == y: n − 1 ANDs (n XNORs and a tree of ANDs). */
export function equal(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire {
	checkSameWidth('==', x, y);
	return allBits(
		b,
		x.map((w, i) => b.not(b.xor(w, y[i])))
	);
}

export function notEqual(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire {
	return b.not(equal(b, x, y));
}

/**
 * x < y: n ANDs. It is the borrow of x - y — the very chain `sub` builds, so computing both
 * x - y and x < y costs one chain. Signed: the sign of the (n+1)-bit difference,
 * x_msb ^ y_msb ^ borrow, still from the same chain.
 */
export function lessThan(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Wire {
	checkSameWidth('<', x, y);
	if (x.length === 0) return b.FALSE;
	const { borrow } = subtractWithBorrow(b, x, y);
	return signed ? b.xor(b.xor(x[0], y[0]), borrow) : borrow;
}

/** x <= y = !(y < x): n ANDs (garble-lang's parser writes `x <= y` as `x < y | x == y`, which costs 2n). */
export function lessOrEqual(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Wire {
	return b.not(lessThan(b, y, x, signed));
}

export function greaterThan(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Wire {
	return lessThan(b, y, x, signed);
}

export function greaterOrEqual(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Wire {
	return b.not(lessThan(b, x, y, signed));
}

/** The smaller of x and y: 2n ANDs. */
export function min(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Word {
	return muxWord(b, lessThan(b, y, x, signed), y, x);
}

/** The larger of x and y: 2n ANDs (n when `min` of the same operands is also built). */
export function max(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): Word {
	return muxWord(b, lessThan(b, y, x, signed), x, y);
}
