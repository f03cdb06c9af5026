import type { CircuitBuilder, Wire } from './builder';
import { lessThan } from './compare';
import { constantWord, muxWord, resize, type Word } from './word';

/**
 * elements[index] (index: an unsigned word of any width); outOfBounds when index >= length.
 * A mux tree on the index bits, least significant first: (length − 1)·bits ANDs plus the
 * bounds check, which for a power-of-two length is an OR of the index bits above the tree.
 * Out of bounds, the value is one of the elements (unspecified which). `elementBits` gives the
 * width of the value of an empty array (always out of bounds, value all zero).
 */
export function arrayGet(
	b: CircuitBuilder,
	elements: readonly (readonly Wire[])[],
	index: readonly Wire[],
	elementBits = elements[0]?.length ?? 0
): { value: Word; outOfBounds: Wire } {
	checkElements(elements, elementBits);
	const { low, outOfBounds } = splitIndex(b, elements.length, index);
	if (elements.length === 0) return { value: new Array<Wire>(elementBits).fill(b.FALSE), outOfBounds };
	let level: readonly (readonly Wire[])[] = elements;
	for (const select of low) {
		const next: (readonly Wire[])[] = [];
		for (let i = 0; i < level.length; i += 2) {
			next.push(i + 1 < level.length ? muxWord(b, select, level[i + 1], level[i]) : level[i]);
		}
		level = next;
	}
	return { value: [...level[0]], outOfBounds };
}

/**
 * elements with elements[index] = value; outOfBounds when index >= length, and then the
 * elements are unchanged. A decoder gives one select line per element (about length ANDs),
 * enabled only in bounds, then length·bits ANDs for the muxes, plus the bounds check.
 */
export function arraySet(
	b: CircuitBuilder,
	elements: readonly (readonly Wire[])[],
	index: readonly Wire[],
	value: readonly Wire[]
): { elements: Word[]; outOfBounds: Wire } {
	checkElements(elements, value.length);
	const { low, outOfBounds } = splitIndex(b, elements.length, index);
	// An index narrower than the address can only reach the first 2^bits elements.
	const lines = decoder(b, low, b.not(outOfBounds), Math.min(elements.length, 2 ** low.length));
	return { elements: elements.map((e, i) => (i < lines.length ? muxWord(b, lines[i], value, e) : [...e])), outOfBounds };
}

function checkElements(elements: readonly (readonly Wire[])[], bits: number): void {
	elements.forEach((e, i) => {
		if (e.length !== bits) throw new Error(`array: element ${i} has ${e.length} bits, expected ${bits}`);
	});
}

/** The index bits that address an element, least significant first, and index >= length. */
function splitIndex(b: CircuitBuilder, length: number, index: readonly Wire[]): { low: Wire[]; outOfBounds: Wire } {
	const addressBits = length <= 1 ? 0 : (length - 1).toString(2).length;
	const low = index.slice(Math.max(0, index.length - addressBits)).reverse();
	if (length === 0) return { low, outOfBounds: b.TRUE };
	// Against a constant the comparison folds: for a power-of-two length it is an OR of the high bits.
	const width = Math.max(index.length, length.toString(2).length);
	const inBounds = lessThan(b, resize(b, index, width, false), constantWord(b, length, width), false);
	return { low, outOfBounds: b.not(inBounds) };
}

/**
 * Select lines for values 0 … count − 1 of `bits` (least significant first), all false unless
 * `enable`: a tree that splits each line on the next lower bit, w → (w & !b, w & b), at one
 * AND per split (w & !b = w ^ (w & b)); lines at or past `count` are never made.
 */
function decoder(b: CircuitBuilder, bits: readonly Wire[], enable: Wire, count: number): Wire[] {
	let lines = [enable];
	for (let level = bits.length - 1; level >= 0; level--) {
		// Line i now stands for the values i·2^(level+1) … (i+1)·2^(level+1) − 1.
		const span = 2 ** level;
		const split: Wire[] = [];
		for (const w of lines) {
			const high = split.length * span + span < count ? b.and(w, bits[level]) : b.FALSE;
			split.push(b.xor(w, high), high);
		}
		lines = split.slice(0, Math.ceil(count / span));
	}
	return lines;
}
