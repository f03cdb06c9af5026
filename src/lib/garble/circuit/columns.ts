import type { CircuitBuilder, Wire } from './builder';

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
