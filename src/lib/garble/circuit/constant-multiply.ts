import { andGatesOf, type CircuitBuilder, type Wire } from './builder';
import { fitted, sumColumns } from './columns';
import { resize } from './word';

/** A term ±2^shift of a constant. */
interface Digit {
	shift: number;
	negative: boolean;
}

type Sum = (b: CircuitBuilder, x: readonly Wire[]) => Wire[];

/**
 * The exact product x·c, least significant bit first, for a constant c (n-bit x, two's
 * complement when signed): a sum of shifted copies of x, one per non-zero digit of c, taken
 * modulo 2^w for the narrowest w that holds x·c for every x, so that it is exact and Rust's
 * checked_mul overflow can be read off its high bits. Two ways of adding the copies up win on
 * different constants; both are tried on a scratch builder and the one with fewer AND gates,
 * overflow check included, is built.
 */
export function multiplyByConstant(b: CircuitBuilder, x: readonly Wire[], c: bigint, signed: boolean): Wire[] {
	const n = x.length;
	const width = productWidth(n, c, signed);
	const ways: Sum[] = [
		(b, x) => sumAtOnce(b, x, fewestDigits(c), width, signed),
		(b, x) => sumInTurn(b, x, binaryDigits(c), width, signed)
	];
	const costs = ways.map((way) => andGatesOf(b, x, (scratch, xs) => fitted(scratch, way(scratch, xs), n, signed)));
	return ways[costs.indexOf(Math.min(...costs))](b, x);
}

/**
 * All copies at once, column by column. Bits of negative weight (a signed x's top bit, every
 * bit of a −1 digit's copy) enter inverted, b·(−2^k) = ¬b·2^k − 2^k, and those constants add
 * up to one number: no copy is sign-extended. Best with few digits, i.e. most constants.
 */
function sumAtOnce(b: CircuitBuilder, x: readonly Wire[], digits: readonly Digit[], width: number, signed: boolean): Wire[] {
	const n = x.length;
	const columns: Wire[][] = Array.from({ length: width }, () => []);
	let constant = 0n;
	for (const { shift, negative } of digits) {
		for (let i = 0; i < n && shift + i < width; i++) {
			const bit = x[n - 1 - i];
			const negativeWeight = negative !== (signed && i === n - 1);
			columns[shift + i].push(negativeWeight ? b.not(bit) : bit);
			if (negativeWeight) constant -= 1n << BigInt(shift + i);
		}
	}
	const ones = BigInt.asUintN(width, constant);
	for (let k = 0; k < width; k++) if ((ones >> BigInt(k)) & 1n) columns[k].push(b.TRUE);
	return sumColumns(b, columns);
}

/**
 * One copy after the other, each sign- (or zero-) extended to the full width; a −1 digit's copy
 * enters as its inverted bits plus one. Where both addends are the extension, s + s + carry
 * has sum carry and carry s at no cost, and the sum is extended again, which makes this the
 * cheaper way for small signed constants.
 */
function sumInTurn(b: CircuitBuilder, x: readonly Wire[], digits: readonly Digit[], width: number, signed: boolean): Wire[] {
	const extended = resize(b, x, width, signed).reverse();
	let sum: Wire[] = new Array<Wire>(width).fill(b.FALSE);
	for (const { shift, negative } of digits) {
		if (shift >= width) continue;
		const columns = sum.map((w, k) => (k < shift ? [w] : [w, negative ? b.not(extended[k - shift]) : extended[k - shift]]));
		if (negative) columns[shift].push(b.TRUE);
		sum = sumColumns(b, columns);
	}
	return sum;
}

/** Bits that hold x·c for every n-bit x (two's complement when signed), and at least n. */
function productWidth(n: number, c: bigint, signed: boolean): number {
	const bitLength = (v: bigint) => v.toString(2).length;
	if (!signed) return Math.max(n, c === 0n ? 0 : bitLength(((1n << BigInt(n)) - 1n) * c));
	// The extremes are at x = MIN and x = MAX; w signed bits hold [−2^(w−1), 2^(w−1) − 1].
	const ends = [-(1n << BigInt(n - 1)) * c, ((1n << BigInt(n - 1)) - 1n) * c];
	return Math.max(n, ...ends.map((v) => (v < 0n ? bitLength(-v - 1n) : bitLength(v)) + 1));
}

/** c = ±Σ 2^shift over the one bits of |c|. */
function binaryDigits(c: bigint): Digit[] {
	const magnitude = c < 0n ? -c : c;
	const digits: Digit[] = [];
	for (let shift = 0; magnitude >> BigInt(shift) > 0n; shift++) {
		if ((magnitude >> BigInt(shift)) & 1n) digits.push({ shift, negative: c < 0n });
	}
	return digits;
}

/**
 * c = Σ ±2^shift with the fewest terms (as in the non-adjacent form, a run of ones
 * 2^i + … + 2^(i+k−1) can be 2^(i+k) − 2^i) and, among those, the fewest negative ones.
 * Dynamic programming from the lowest bit over the carry that a −1 digit leaves.
 */
function fewestDigits(c: bigint): Digit[] {
	interface Plan {
		terms: number;
		negatives: number;
		digits: Digit[];
	}
	const better = (a: Plan, than: Plan | undefined) =>
		!than || a.terms < than.terms || (a.terms === than.terms && a.negatives < than.negatives);
	// plans[carry]: the best digits below `shift`, leaving (c >> shift) + carry to be made.
	let plans: (Plan | undefined)[] = [{ terms: 0, negatives: 0, digits: [] }, undefined];
	const length = (c < 0n ? -c : c).toString(2).length + 1;
	for (let shift = 0; shift < length; shift++) {
		const bit = Number((c >> BigInt(shift)) & 1n);
		const next: (Plan | undefined)[] = [undefined, undefined];
		plans.forEach((plan, carry) => {
			if (!plan) return;
			const value = bit + carry;
			// value − digit must be even; half of it carries into the next bit.
			for (const digit of value === 1 ? [1, -1] : [0]) {
				const candidate: Plan =
					digit === 0
						? plan
						: { terms: plan.terms + 1, negatives: plan.negatives + (digit < 0 ? 1 : 0), digits: [...plan.digits, { shift, negative: digit < 0 }] };
				const out = (value - digit) >> 1;
				if (better(candidate, next[out])) next[out] = candidate;
			}
		});
		plans = next;
	}
	// From `length` on, c's bits are all 0 (all 1 when negative): carry 0 (1) leaves nothing.
	return plans[c < 0n ? 1 : 0]!.digits;
}
