import type { CircuitBuilder, Wire } from './builder';
import { sumColumns } from './columns';

/** A term ±2^shift of a constant. */
interface Digit {
	shift: number;
	negative: boolean;
}

/**
 * The exact product x·c, least significant bit first, for a constant c and an n-bit x (two's
 * complement when signed), taken modulo 2^w for the narrowest w that holds x·c for every x,
 * so that Rust's checked_mul overflow can be read off its high bits. All partial products are
 * added at once, column by column (sumColumns):
 * - a shifted copy of x's magnitude bits (all bits unsigned, all but the sign bit signed) for
 *   each digit of c in the signed-digit form with the fewest terms (2^k − 1 is 2^k − 1, two
 *   terms); a −1 digit's copy enters inverted, −b·2^k = ¬b·2^k − 2^k, the 2^k joining one
 *   constant that is added as constant bits (which cost no gates of their own);
 * - the sign bit s of a signed x weighs −2^(n−1), so it contributes −s·c·2^(n−1): s itself
 *   in each column where the constant −c·2^(n−1) mod 2^w has a one, with no gate at all.
 * For every constant of 1 to 16 bits, on either side, and random wider ones, this costs no
 * more AND gates than adding up shifted copies of x for the binary digits of |c| and negating
 * for a negative c (how the compiler multiplied by constants before), and mostly far fewer:
 * u32 · (2^31 − 1) 91 instead of 990, i32 · −1000 71 instead of 201.
 */
export function multiplyByConstant(b: CircuitBuilder, x: readonly Wire[], c: bigint, signed: boolean): Wire[] {
	const n = x.length;
	const width = productWidth(n, c, signed);
	const columns: Wire[][] = Array.from({ length: width }, () => []);
	const magnitudeBits = signed ? n - 1 : n;
	let constant = 0n;
	for (const { shift, negative } of fewestDigits(c)) {
		for (let i = 0; i < magnitudeBits && shift + i < width; i++) {
			const bit = x[n - 1 - i];
			columns[shift + i].push(negative ? b.not(bit) : bit);
			if (negative) constant -= 1n << BigInt(shift + i);
		}
	}
	if (signed) {
		const sign = x[0];
		const weights = BigInt.asUintN(width, -c << BigInt(n - 1));
		for (let k = 0; k < width; k++) if ((weights >> BigInt(k)) & 1n) columns[k].push(sign);
	}
	const ones = BigInt.asUintN(width, constant);
	for (let k = 0; k < width; k++) if ((ones >> BigInt(k)) & 1n) columns[k].push(b.TRUE);
	return sumColumns(b, columns);
}

/** Bits that hold x·c for every n-bit x (two's complement when signed), and at least n. */
function productWidth(n: number, c: bigint, signed: boolean): number {
	const bitLength = (v: bigint) => v.toString(2).length;
	if (!signed) return Math.max(n, c === 0n ? 0 : bitLength(((1n << BigInt(n)) - 1n) * c));
	// The extremes are at x = MIN and x = MAX; w signed bits hold [−2^(w−1), 2^(w−1) − 1].
	const ends = [-(1n << BigInt(n - 1)) * c, ((1n << BigInt(n - 1)) - 1n) * c];
	return Math.max(n, ...ends.map((v) => (v < 0n ? bitLength(-v - 1n) : bitLength(v)) + 1));
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
