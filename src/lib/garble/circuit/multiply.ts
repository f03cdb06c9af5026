import type { CircuitBuilder, Wire } from './builder';
import { anyBit, checkSameWidth, type Word } from './word';

/**
 * x * y; overflow when the true product does not fit in n bits (signed: outside [MIN, MAX]).
 * The result bits are the low n bits of the product (wrapping). About 2n² ANDs for variable
 * operands: n² partial products and one AND per full adder. Constant operands fold: a
 * constant with k one-bits costs about k − 1 additions.
 *
 * garble-lang checks signed overflow on the magnitude and so accepts e.g. 16i8 * 8i8 = -128;
 * this construction flags it, as Rust does.
 */
export function mul(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { product: Word; overflow: Wire } {
	checkSameWidth('*', x, y);
	const n = x.length;
	if (n === 0) return { product: [], overflow: b.FALSE };
	const full = sumColumns(b, signed ? signedPartialProducts(b, x, y) : unsignedPartialProducts(b, x, y));
	// full[k] is bit k of the 2n-bit product, least significant first.
	const product = full.slice(0, n).reverse();
	const high = full.slice(n);
	const overflow = signed ? anyBit(b, high.map((w) => b.xor(w, full[n - 1]))) : anyBit(b, high);
	return { product, overflow };
}

/** Column k (weight 2^k, k < 2n) holds the bits x_i & y_j with i + j = k (indices from the LSB). */
function unsignedPartialProducts(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire[][] {
	const n = x.length;
	const columns: Wire[][] = Array.from({ length: 2 * n }, () => []);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) columns[i + j].push(b.and(x[n - 1 - i], y[n - 1 - j]));
	}
	return columns;
}

/**
 * Baugh–Wooley: the two's-complement product in 2n bits from the same n² partial products.
 * The negative-weight terms x_{n-1} y_j and x_i y_{n-1} enter inverted, and the constant
 * 2^n + 2^(2n-1) corrects for the inversion.
 */
function signedPartialProducts(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire[][] {
	const n = x.length;
	const columns: Wire[][] = Array.from({ length: 2 * n }, () => []);
	const top = n - 1;
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			const bit = b.and(x[n - 1 - i], y[n - 1 - j]);
			columns[i + j].push((i === top) !== (j === top) ? b.not(bit) : bit);
		}
	}
	columns[n].push(b.TRUE);
	columns[2 * n - 1].push(b.TRUE);
	return columns;
}

/**
 * Adds up weighted bits column by column (least significant first) with full adders of one
 * AND each, and returns one bit per column; carries out of the top column are dropped, so the
 * top column costs no AND. Constant bits never reach a gate: ones are counted and carried as a
 * number, and a single one left in a column is absorbed by a free half adder (x + 1 = !x carry x)
 * or a one-AND full adder. Column order does not change the AND count, only the depth, which
 * garbling does not pay for.
 */
export function sumColumns(b: CircuitBuilder, columns: readonly (readonly Wire[])[]): Wire[] {
	const width = columns.length;
	const result: Wire[] = new Array<Wire>(width);
	let carriedOnes = 0;
	let carries: Wire[] = [];
	for (let k = 0; k < width; k++) {
		const last = k === width - 1;
		const bits: Wire[] = [];
		let ones = carriedOnes;
		for (const w of [...columns[k], ...carries]) {
			if (w === b.TRUE) ones++;
			else if (w !== b.FALSE) bits.push(w);
		}
		carriedOnes = ones >> 1;
		ones &= 1;
		const nextCarries: Wire[] = [];
		while (bits.length + ones > 1) {
			if (bits.length >= 3) {
				const [p, q, r] = bits.splice(0, 3);
				const pr = b.xor(p, r);
				bits.push(b.xor(pr, q));
				if (!last) nextCarries.push(b.xor(r, b.and(pr, b.xor(q, r))));
			} else if (bits.length === 2) {
				// p + q, or p + q + 1 (sum !(p ^ q), carry p | q) when a one is left.
				const [p, q] = bits.splice(0, 2);
				bits.push(b.xor(b.xor(p, q), b.constant(ones === 1)));
				if (!last) nextCarries.push(ones === 1 ? b.or(p, q) : b.and(p, q));
				ones = 0;
			} else {
				// p + 1: sum !p, carry p — free.
				const p = bits.pop()!;
				bits.push(b.not(p));
				if (!last) nextCarries.push(p);
				ones = 0;
			}
		}
		result[k] = bits.length > 0 ? bits[0] : b.constant(ones === 1);
		carries = nextCarries;
	}
	return result;
}
