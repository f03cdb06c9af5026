import { addWithCarry } from './arith';
import type { CircuitBuilder, Wire } from './builder';
import { sumColumns } from './columns';
import { multiplyByConstant } from './constant-multiply';
import { anyBit, checkSameWidth, wordConstant, type Word } from './word';

/**
 * x * y; overflow when the true product does not fit in n bits (signed: outside [MIN, MAX]).
 * The result bits are the low n bits of the product (wrapping). Schoolbook: 2n² − 1 ANDs,
 * n² partial products and one AND per full adder; from 16 bits on, Karatsuba's three half
 * products take over when no operand bit is constant (u32 1,648, i32 1,757, u64 5,322,
 * i64 5,559 with the overflow check; garble-lang: 3,967 and 16,127). A constant operand
 * goes to multiplyByConstant (one shifted copy per signed digit, all added at once); other
 * constant bits fold.
 *
 * garble-lang checks signed overflow on the magnitude and so accepts e.g. 16i8 * 8i8 = -128;
 * this construction flags it, as Rust does.
 */
export function mul(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], signed: boolean): { product: Word; overflow: Wire } {
	checkSameWidth('*', x, y);
	const n = x.length;
	if (n === 0) return { product: [], overflow: b.FALSE };
	const cy = wordConstant(b, y, signed);
	if (cy !== undefined) return fitted(b, multiplyByConstant(b, x, cy, signed), n, signed);
	const cx = wordConstant(b, x, signed);
	if (cx !== undefined) return fitted(b, multiplyByConstant(b, y, cx, signed), n, signed);
	// Least significant bit first from here on: full[k] is bit k of the 2n-bit product.
	const xl = [...x].reverse();
	const yl = [...y].reverse();
	let full: Wire[];
	// The signed correction costs about 4n ANDs, more than one Karatsuba split saves at 16 bits.
	if (!useKaratsuba(b, xl, yl) || (signed && n <= KARATSUBA_FROM)) {
		full = sumColumns(b, signed ? signedPartialProducts(b, xl, yl) : unsignedPartialProducts(b, xl, yl));
	} else {
		full = signed ? signedFromUnsigned(b, xl, yl, karatsuba(b, xl, yl)) : karatsuba(b, xl, yl);
	}
	return fitted(b, full, n, signed);
}

/**
 * The low n bits, MSB first, of an exact product given LSB first in at least n bits, and
 * whether it fits in them: unsigned, the high bits are zero; signed, they all repeat the
 * result's sign bit.
 */
function fitted(b: CircuitBuilder, full: readonly Wire[], n: number, signed: boolean): { product: Word; overflow: Wire } {
	const product = full.slice(0, n).reverse();
	const high = full.slice(n);
	const overflow = signed ? anyBit(b, high.map((w) => b.xor(w, full[n - 1]))) : anyBit(b, high);
	return { product, overflow };
}

/** Below this width the schoolbook multiplier has fewer ANDs than splitting once more. */
const KARATSUBA_FROM = 16;

function useKaratsuba(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): boolean {
	return x.length === y.length && x.length >= KARATSUBA_FROM && !x.some((w) => b.isConstant(w)) && !y.some((w) => b.isConstant(w));
}

/** The full unsigned product of x and y (LSB first, x.length + y.length bits). */
function unsignedProduct(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire[] {
	return useKaratsuba(b, x, y) ? karatsuba(b, x, y) : sumColumns(b, unsignedPartialProducts(b, x, y));
}

/**
 * Karatsuba: with x = xh·2^h + xl and y likewise, x·y = z0 + (z1 − z0 − z2)·2^h + z2·2^2h for
 * z0 = xl·yl, z2 = xh·yh and z1 = (xl + xh)(yl + yh): three products of half the width. The
 * five terms are summed in one pass of columns, the two subtracted ones as inverted bits plus one.
 */
function karatsuba(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire[] {
	const n = x.length;
	const h = n >> 1;
	const z0 = unsignedProduct(b, x.slice(0, h), y.slice(0, h));
	const z2 = unsignedProduct(b, x.slice(h), y.slice(h));
	const z1 = unsignedProduct(b, halfSum(b, x, h), halfSum(b, y, h));
	const columns: Wire[][] = Array.from({ length: 2 * n }, () => []);
	const place = (bits: readonly Wire[], shift: number, subtract: boolean) => {
		for (let k = shift; k < 2 * n; k++) {
			const bit = k - shift < bits.length ? bits[k - shift] : b.FALSE;
			if (subtract) columns[k].push(b.not(bit));
			else if (k - shift < bits.length) columns[k].push(bit);
		}
		if (subtract) columns[shift].push(b.TRUE);
	};
	place(z0, 0, false);
	place(z1, h, false);
	place(z0, h, true);
	place(z2, h, true);
	place(z2, 2 * h, false);
	return sumColumns(b, columns);
}

/** The low h bits plus the rest of x (LSB first), one bit wider than the rest. */
function halfSum(b: CircuitBuilder, x: readonly Wire[], h: number): Wire[] {
	const high = x.slice(h);
	const low = [...x.slice(0, h), ...new Array<Wire>(high.length - h).fill(b.FALSE)];
	const { sum, carry } = addWithCarry(b, [...low].reverse(), [...high].reverse(), b.FALSE);
	return [...sum.reverse(), carry];
}

/**
 * The two's-complement product from the unsigned one: x·y = u − 2^n·(x_{n-1}·y + y_{n-1}·x)
 * modulo 2^2n, each subtracted term entering as inverted bits plus one.
 */
function signedFromUnsigned(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[], unsigned: readonly Wire[]): Wire[] {
	const n = x.length;
	const columns: Wire[][] = unsigned.map((w) => [w]);
	for (let j = 0; j < n; j++) {
		columns[n + j].push(b.not(b.and(x[n - 1], y[j])), b.not(b.and(y[n - 1], x[j])));
	}
	columns[n].push(b.TRUE, b.TRUE);
	return sumColumns(b, columns);
}

/** Column k (weight 2^k) holds the bits x_i & y_j with i + j = k (LSB-first operands). */
function unsignedPartialProducts(b: CircuitBuilder, x: readonly Wire[], y: readonly Wire[]): Wire[][] {
	const columns: Wire[][] = Array.from({ length: x.length + y.length }, () => []);
	for (let i = 0; i < x.length; i++) {
		for (let j = 0; j < y.length; j++) columns[i + j].push(b.and(x[i], y[j]));
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
			const bit = b.and(x[i], y[j]);
			columns[i + j].push((i === top) !== (j === top) ? b.not(bit) : bit);
		}
	}
	columns[n].push(b.TRUE);
	columns[2 * n - 1].push(b.TRUE);
	return columns;
}
