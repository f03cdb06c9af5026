/**
 * Joins of two sorted tables (`join_iter` loops and the `join` built-in) with garble-lang's
 * bitonic networks (Huang, Evans, Katz: "Private Set Intersection: Are Garbled Circuits Better
 * than Custom Protocols?", NDSS 2012, without the shuffle). The comparator networks are the
 * same as garble-lang's, so rows come out in the same order, ties included.
 */
import type { Gates, Wire } from '../circuit/gates';
import type { Word } from './env';

/** (min, max) of two rows ordered by their first `keyBits` bits, unsigned. */
function sortPair(gates: Gates, keyBits: number, x: Word, y: Word): [Wire[], Wire[]] {
	const greater = gates.lessThan(y.slice(0, keyBits), x.slice(0, keyBits), false);
	return gates.condSwap(greater, x, y);
}

function nextPowerOfTwo(n: number): number {
	let p = 1;
	while (p < n) p *= 2;
	return p;
}

/** Sorts a bitonic sequence in place (any length, as garble-lang's merger). */
export function bitonicMerge(gates: Gates, keyBits: number, ascending: boolean, rows: Word[], lo = 0, hi = rows.length): void {
	const len = hi - lo;
	if (len <= 1) return;
	const m = nextPowerOfTwo(len) / 2;
	for (let i = lo; i < hi - m; i++) {
		const [min, max] = sortPair(gates, keyBits, rows[i], rows[i + m]);
		rows[i] = ascending ? min : max;
		rows[i + m] = ascending ? max : min;
	}
	bitonicMerge(gates, keyBits, ascending, rows, lo, lo + m);
	bitonicMerge(gates, keyBits, ascending, rows, lo + m, hi);
}

/** Sorts rows ascending by their first `keyBits` bits, in place. */
export function bitonicSort(gates: Gates, keyBits: number, rows: Word[], ascending = true, lo = 0, hi = rows.length): void {
	const len = hi - lo;
	if (len <= 1) return;
	const mid = lo + Math.floor(len / 2);
	bitonicSort(gates, keyBits, rows, !ascending, lo, mid);
	bitonicSort(gates, keyBits, rows, ascending, mid, hi);
	bitonicMerge(gates, keyBits, ascending, rows, lo, hi);
}

export interface Table {
	readonly wires: Word;
	readonly rowBits: number;
	readonly rows: number;
}

export interface JoinedPair {
	/** 1 when the two rows have the same key and come from different tables. */
	readonly matched: Wire;
	readonly left: Word;
	readonly right: Word;
}

/**
 * Merges two tables sorted by their first `keyBits` bits and returns each pair of rows that
 * are neighbours in the merged order (a.rows + b.rows − 1 pairs), with whether they join.
 */
export function mergeTables(gates: Gates, keyBits: number, a: Table, b: Table): JoinedPair[] {
	const width = Math.max(a.rowBits, b.rowBits);
	const total = nextPowerOfTwo(a.rows + b.rows);
	const empty = total - a.rows - b.rows;
	const rows: Word[] = [];
	for (let i = 0; i < empty; i++) rows.push(new Array<Wire>(width + 1).fill(gates.zero));
	// A tag bit after the key says which table a row came from (0: a, 1: b); b is reversed so
	// that the whole sequence is bitonic.
	const tagged = (table: Table, i: number, tag: Wire): Word => {
		const row = table.wires.slice(i * table.rowBits, (i + 1) * table.rowBits);
		const padded = [...row, ...new Array<Wire>(width - table.rowBits).fill(gates.zero)];
		return [...padded.slice(0, keyBits), tag, ...padded.slice(keyBits)];
	};
	for (let i = 0; i < a.rows; i++) rows.push(tagged(a, i, gates.zero));
	for (let i = b.rows - 1; i >= 0; i--) rows.push(tagged(b, i, gates.one));
	bitonicMerge(gates, keyBits + 1, true, rows);
	const pairs: JoinedPair[] = [];
	const untag = (row: Word, bits: number): Word => [...row.slice(0, keyBits), ...row.slice(keyBits + 1)].slice(0, bits);
	for (let i = empty; i + 1 < total; i++) {
		const x = rows[i];
		const y = rows[i + 1];
		const left = untag(x, a.rowBits);
		const right = untag(y, b.rowBits);
		const sameKey = gates.equal(left.slice(0, keyBits), right.slice(0, keyBits));
		const matched = gates.and(sameKey, gates.xor(x[keyBits], y[keyBits]));
		pairs.push({ matched, left, right });
	}
	return pairs;
}
