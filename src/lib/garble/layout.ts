/**
 * How values are laid out as bits, exactly as garble-lang lays them out (parties exchange
 * these bits, so every implementation must agree): numbers MSB first in two's complement,
 * `usize` 32 bits, unsuffixed numbers 32 bits, arrays element after element, tuples field
 * after field, structs field after field in alphabetical order, enums as an MSB-first tag of
 * ⌈log2(variants)⌉ bits followed by the variant's fields, padded with zeros to the largest
 * variant.
 */
import { CircuitTooLargeError } from './circuit/builder';
import type { ConstExpr, EnumDef } from './ast';
import type { TypedProgram } from './check/check';
import type { Span } from './span';
import { typeText, type Type } from './types';

export const USIZE_BITS = 32;

/**
 * The largest value (in bits) we lay out: 16 M wires, beyond what an MPC run can afford
 * (the 5.5M-AND join of two 1,200-row tables sorts 663,552 bits). The compiler holds a
 * value's wires in a JavaScript array, copied a few times: a larger one would exhaust a
 * browser tab's memory before the circuit's own limit stops it.
 */
export const MAX_VALUE_BITS = 2 ** 24;

/** A program that is well-typed but too large to compile (reported as a compile error at `span`). */
export class TooLargeError extends Error {
	override name = 'TooLargeError';

	constructor(
		message: string,
		readonly span: Span | null = null
	) {
		super(message);
	}

	/** The same error at `span`, unless it has a place already. */
	at(span: Span): TooLargeError {
		return this.span ? this : new TooLargeError(this.message, span);
	}
}

/** `measure()`, with a TooLargeError, or the circuit outgrowing the builder's limit, placed at `span`. */
export function placed<T>(span: Span, measure: () => T): T {
	try {
		return measure();
	} catch (error) {
		if (error instanceof CircuitTooLargeError) throw new TooLargeError(error.programMessage, span);
		throw error instanceof TooLargeError ? error.at(span) : error;
	}
}

const NUMBER_BITS: Record<string, number> = {
	usize: USIZE_BITS, u8: 8, u16: 16, u32: 32, u64: 64, i8: 8, i16: 16, i32: 32, i64: 64, unspecified: 32
};

/** Values of `usize` constants (`ROWS`) and of party constants (`PARTY_0::ROWS`), by name. */
export type ConstSizes = ReadonlyMap<string, bigint>;

/**
 * Evaluates a constant expression: `+` and `-` wrap around at 64 bits (two's complement when
 * `signed`), as in garble-lang.
 */
export function evaluateConstExpr(expr: ConstExpr, values: ConstSizes, signed = false): bigint {
	const wrap = (n: bigint): bigint => (signed ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n));
	const args = (list: readonly ConstExpr[]): bigint[] => list.map((arg) => evaluateConstExpr(arg, values, signed));
	switch (expr.kind) {
		case 'unsigned':
		case 'signed':
			return expr.value;
		case 'true':
			return 1n;
		case 'false':
			return 0n;
		case 'external':
			return lookup(values, `${expr.party}::${expr.name}`);
		case 'ident':
			return lookup(values, expr.name);
		case 'max':
			return args(expr.args).reduce((acc, n) => (n > acc ? n : acc), signed ? -(1n << 63n) : 0n);
		case 'min':
			return args(expr.args).reduce((acc, n) => (n < acc ? n : acc), signed ? (1n << 63n) - 1n : (1n << 64n) - 1n);
		case 'add':
			return wrap(evaluateConstExpr(expr.left, values, signed) + evaluateConstExpr(expr.right, values, signed));
		case 'sub':
			return wrap(evaluateConstExpr(expr.left, values, signed) - evaluateConstExpr(expr.right, values, signed));
	}
}

function lookup(values: ConstSizes, name: string): bigint {
	const value = values.get(name);
	if (value === undefined) throw new Error(`the constant ${name} has no value`);
	return value;
}

export function enumTagBits(def: EnumDef): number {
	let bits = 0;
	while (1 << bits < def.variants.length) bits++;
	return bits;
}

export function variantIndex(def: EnumDef, variant: string): number {
	return def.variants.findIndex((v) => v.name === variant);
}

/** Bit sizes of the types of one program once its constants are known. */
export class Layout {
	private readonly cache = new Map<string, number>();

	constructor(
		readonly program: TypedProgram,
		readonly consts: ConstSizes
	) {}

	/** The number of elements of an array type. */
	arrayLength(ty: Extract<Type, { kind: 'array' | 'arrayConst' | 'arrayConstExpr' }>): number {
		if (ty.kind === 'array') return ty.size;
		const size = ty.kind === 'arrayConst' ? lookup(this.consts, ty.size) : evaluateConstExpr(ty.size, this.consts);
		return Number(size);
	}

	/** The number of bits of a value of type `ty`; TooLargeError beyond MAX_VALUE_BITS. */
	bits(ty: Type): number {
		const bits = this.uncheckedBits(ty);
		if (bits > MAX_VALUE_BITS) throw new TooLargeError(`A value of type ${typeText(ty)} has ${bits} bits, more than the ${MAX_VALUE_BITS} a value may have`);
		return bits;
	}

	private uncheckedBits(ty: Type): number {
		switch (ty.kind) {
			case 'bool':
				return 1;
			case 'unsigned':
			case 'signed':
				return NUMBER_BITS[ty.num];
			case 'array':
			case 'arrayConst':
			case 'arrayConstExpr':
				return this.bits(ty.elem) * this.arrayLength(ty);
			case 'tuple':
				return ty.elems.reduce((sum, elem) => sum + this.bits(elem), 0);
			case 'struct':
				return this.cached(`struct ${ty.name}`, () => this.structDef(ty.name).fields.reduce((sum, [, f]) => sum + this.bits(f), 0));
			case 'enum':
				return this.cached(`enum ${ty.name}`, () => {
					const def = this.enumDef(ty.name);
					const largest = Math.max(0, ...def.variants.map((v) => (v.fields ?? []).reduce((sum, f) => sum + this.bits(f), 0)));
					return enumTagBits(def) + largest;
				});
			case 'named':
				throw new Error(`unresolved type ${ty.name}`);
		}
	}

	/** The type with every array size resolved to a number. */
	concrete(ty: Type): Type {
		switch (ty.kind) {
			case 'array':
			case 'arrayConst':
			case 'arrayConstExpr':
				return { kind: 'array', elem: this.concrete(ty.elem), size: this.arrayLength(ty) };
			case 'tuple':
				return { kind: 'tuple', elems: ty.elems.map((e) => this.concrete(e)) };
			default:
				return ty;
		}
	}

	structDef(name: string) {
		const def = this.program.structs.get(name);
		if (!def) throw new Error(`unknown struct ${name}`);
		return def;
	}

	enumDef(name: string): EnumDef {
		const def = this.program.enums.get(name);
		if (!def) throw new Error(`unknown enum ${name}`);
		return def;
	}

	private cached(key: string, compute: () => number): number {
		let bits = this.cache.get(key);
		if (bits === undefined) {
			bits = compute();
			this.cache.set(key, bits);
		}
		return bits;
	}
}
