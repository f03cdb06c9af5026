/** Small helpers on words: constants, widening/narrowing, and moving between layouts of a type. */
import type { Layout } from '../layout';
import { typesEqual, type Type } from '../types';
import type { Gates, Wire, Word } from './gates';

/** `value` in two's complement, `bits` wide, MSB first. */
export function constWord(gates: Gates, value: bigint, bits: number): Wire[] {
	const out = new Array<Wire>(bits);
	for (let i = 0; i < bits; i++) out[i] = (value >> BigInt(bits - 1 - i)) & 1n ? gates.one : gates.zero;
	return out;
}

/** The value of a word of constant wires (two's complement if `signed`), or undefined. */
export function constantValue(gates: Gates, word: Word, signed: boolean): bigint | undefined {
	let n = 0n;
	for (const w of word) {
		const bit = gates.constant(w);
		if (bit === undefined) return undefined;
		n = (n << 1n) | BigInt(bit);
	}
	return signed ? BigInt.asIntN(word.length, n) : n;
}

/**
 * x · c for a constant c, exactly (Rust's checked_mul): the shifted copies of x for the one
 * bits of |c| are added in n + bitlength(|c|) bits, where the exact product fits (also after
 * negation for a negative c); it overflows n bits when its high bits are not the extension of
 * its low n bits.
 */
export function multiplyByConstant(gates: Gates, x: Word, c: bigint, signed: boolean): { result: Wire[]; overflow: Wire } {
	const n = x.length;
	const magnitude = c < 0n ? -c : c;
	const width = n + magnitude.toString(2).length;
	const wide = resize(gates, x, width, signed);
	let product: Word = new Array<Wire>(width).fill(gates.zero);
	for (let j = 0; magnitude >> BigInt(j) > 0n; j++) {
		if (((magnitude >> BigInt(j)) & 1n) === 0n) continue;
		const shifted = [...wide.slice(j), ...new Array<Wire>(j).fill(gates.zero)];
		product = gates.add(product, shifted, false).result;
	}
	if (c < 0n) product = gates.negate(product);
	const result = product.slice(width - n);
	const high = product.slice(0, width - n);
	// Unsigned: the high bits must be 0. Signed: they must all equal the result's sign bit.
	const extension = signed ? result[0] : gates.zero;
	let overflow = gates.zero;
	for (const w of high) overflow = gates.or(overflow, gates.xor(w, extension));
	return { result, overflow };
}

/** Keeps the low bits, or extends with zeros or copies of the sign bit. */
export function resize(gates: Gates, word: Word, bits: number, signed: boolean): Word {
	if (word.length === bits) return word;
	if (word.length > bits) return word.slice(word.length - bits);
	const fill = signed && word.length > 0 ? word[0] : gates.zero;
	return [...new Array<Wire>(bits - word.length).fill(fill), ...word];
}

/**
 * Re-lays a value computed at type `from` out at type `to`. The types differ only where an
 * unsuffixed number (32 bits) was later given a concrete number type.
 */
export function coerce(gates: Gates, layout: Layout, word: Word, from: Type, to: Type): Word {
	if (typesEqual(from, to)) return word;
	switch (to.kind) {
		case 'unsigned':
		case 'signed':
			return resize(gates, word, layout.bits(to), from.kind === 'signed');
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr': {
			if (from.kind !== 'array' && from.kind !== 'arrayConst' && from.kind !== 'arrayConstExpr') return word;
			const fromBits = layout.bits(from.elem);
			const toBits = layout.bits(to.elem);
			if (fromBits === toBits && !containsNumbers(to.elem)) return word;
			const out: Wire[] = [];
			for (let i = 0; i < layout.arrayLength(to); i++) {
				out.push(...coerce(gates, layout, word.slice(i * fromBits, (i + 1) * fromBits), from.elem, to.elem));
			}
			return out;
		}
		case 'tuple': {
			if (from.kind !== 'tuple') return word;
			const out: Wire[] = [];
			let offset = 0;
			to.elems.forEach((elemTo, i) => {
				const bits = layout.bits(from.elems[i]);
				out.push(...coerce(gates, layout, word.slice(offset, offset + bits), from.elems[i], elemTo));
				offset += bits;
			});
			return out;
		}
		default:
			return word;
	}
}

function containsNumbers(ty: Type): boolean {
	switch (ty.kind) {
		case 'unsigned':
		case 'signed':
			return true;
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr':
			return containsNumbers(ty.elem);
		case 'tuple':
			return ty.elems.some(containsNumbers);
		default:
			return false;
	}
}

export function isSigned(ty: Type): boolean {
	return ty.kind === 'signed';
}
