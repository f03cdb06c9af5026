import type { CircuitBuilder, Wire } from './builder';
import { lessThan } from './compare';
import { constantWord, resize, type Word } from './word';

/**
 * x << amount (amount: an unsigned word of any width); overflow when amount >= n, as
 * garble-lang panics. The result is x shifted by amount mod 2^⌈log2 n⌉ (for the language's
 * power-of-two widths: amount mod n, like Rust's wrapping_shl). A log-depth barrel shifter:
 * n·⌈log2 n⌉ ANDs (garble-lang: 8n) plus the overflow test.
 */
export function shiftLeft(b: CircuitBuilder, x: readonly Wire[], amount: readonly Wire[]): { result: Word; overflow: Wire } {
	return barrelShift(b, x, amount, (bits, i, by) => (i + by < bits.length ? bits[i + by] : b.FALSE));
}

/** x >> amount, arithmetic (sign-filling) when signed; overflow and result bits as for `shiftLeft`. */
export function shiftRight(
	b: CircuitBuilder,
	x: readonly Wire[],
	amount: readonly Wire[],
	signed: boolean
): { result: Word; overflow: Wire } {
	const fill = signed && x.length > 0 ? x[0] : b.FALSE;
	return barrelShift(b, x, amount, (bits, i, by) => (i >= by ? bits[i - by] : fill));
}

/** Applies one layer per amount bit of weight below 2^⌈log2 n⌉; `source` says which bit moves to position i. */
function barrelShift(
	b: CircuitBuilder,
	x: readonly Wire[],
	amount: readonly Wire[],
	source: (bits: readonly Wire[], i: number, by: number) => Wire
): { result: Word; overflow: Wire } {
	const n = x.length;
	let bits: Word = [...x];
	for (let layer = 0, by = 1; by < n && layer < amount.length; layer++, by *= 2) {
		const select = amount[amount.length - 1 - layer];
		const previous = bits;
		bits = previous.map((w, i) => b.mux(select, source(previous, i, by), w));
	}
	const width = Math.max(amount.length, n.toString(2).length);
	const overflow = b.not(lessThan(b, resize(b, amount, width, false), constantWord(b, n, width), false));
	return { result: bits, overflow };
}
