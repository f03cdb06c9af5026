/**
 * Input and output values: parsing a literal against a parameter type, encoding it to the
 * parameter's bits, decoding output bits, and printing values exactly as garble-lang prints
 * them (numbers without suffix, `Richest::IsA`, `[1, 2]`, `Point {x: 1, y: 2}`).
 */
import type { TExpr } from './ast';
import { checkerFor, finalErrors, type TypedProgram } from './check/check';
import { checkType } from './check/constrain';
import { CheckFailure, type Errors } from './check/errors';
import { readUnsigned, writeTwosComplement } from './circuit/twos-complement';
import { garbleError, type GarbleError } from './errors';
import { enumTagBits, variantIndex, type Layout } from './layout';
import { parseLiteral } from './parse';
import { scan } from './scan';
import type { Span } from './span';
import type { SignedNum, UnsignedNum } from './token';
import type { Type } from './types';

export type Literal =
	| { readonly kind: 'bool'; readonly value: boolean }
	| { readonly kind: 'unsigned'; readonly value: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly value: bigint; readonly num: SignedNum }
	| { readonly kind: 'array'; readonly elems: readonly Literal[] }
	| { readonly kind: 'arrayRepeat'; readonly elem: Literal; readonly size: number }
	| { readonly kind: 'tuple'; readonly elems: readonly Literal[] }
	/** Fields sorted by name. */
	| { readonly kind: 'struct'; readonly name: string; readonly fields: readonly (readonly [string, Literal])[] }
	| { readonly kind: 'enum'; readonly enumName: string; readonly variant: string; readonly fields: readonly Literal[] | null }
	| { readonly kind: 'range'; readonly from: bigint; readonly to: bigint; readonly num: UnsignedNum };

/** The value as garble-lang prints it. */
export function literalText(lit: Literal): string {
	switch (lit.kind) {
		case 'bool':
			return String(lit.value);
		case 'unsigned':
		case 'signed':
			return String(lit.value);
		case 'array':
			return `[${lit.elems.map(literalText).join(', ')}]`;
		case 'arrayRepeat':
			return `[${literalText(lit.elem)}; ${lit.size}]`;
		case 'tuple':
			return `(${lit.elems.map(literalText).join(', ')})`;
		case 'struct':
			return `${lit.name} {${lit.fields.map(([name, value]) => `${name}: ${literalText(value)}`).join(', ')}}`;
		case 'enum':
			return lit.fields === null ? `${lit.enumName}::${lit.variant}` : `${lit.enumName}::${lit.variant}(${lit.fields.map(literalText).join(', ')})`;
		case 'range':
			return `${lit.from}${lit.num}..${lit.to}${lit.num}`;
	}
}

/**
 * Parses `text` as a value of type `ty` (whose array sizes must be resolved). Returns the
 * literal or the errors, placed in `text`.
 */
export function parseLiteralText(text: string, ty: Type, program: TypedProgram): { literal: Literal } | { errors: GarbleError[] } {
	const scanned = scan(text);
	if (scanned.errors.length > 0) return { errors: scanned.errors.map((e) => garbleError('literal', e.message, e.span, 'scan')) };
	const parsed = parseLiteral(scanned.tokens);
	if (parsed.expr === null || parsed.errors.length > 0) {
		return { errors: parsed.errors.map((e) => garbleError('literal', e.message, e.span, 'parse')) };
	}
	const pending: Errors = [];
	try {
		const expr = checkerFor(program, pending).checkExpr(parsed.expr);
		checkType(expr, ty);
		return { literal: toLiteral(expr, ty) };
	} catch (failure) {
		if (failure instanceof NotALiteral) return { errors: [garbleError('literal', 'Expected a literal value', failure.span, 'type')] };
		if (!(failure instanceof CheckFailure)) throw failure;
		return { errors: finalErrors(failure.errors).map((e) => garbleError('literal', e.message, e.span, 'type')) };
	}
}

class NotALiteral {
	constructor(readonly span: Span) {}
}

function toLiteral(expr: TExpr, ty: Type): Literal {
	switch (expr.kind) {
		case 'true':
		case 'false':
			return { kind: 'bool', value: expr.kind === 'true' };
		case 'unsigned':
		case 'signed':
			if (ty.kind === 'signed') return { kind: 'signed', value: expr.value, num: ty.num };
			if (ty.kind === 'unsigned') return { kind: 'unsigned', value: expr.value, num: ty.num };
			break;
		case 'array':
			if (ty.kind === 'array') return { kind: 'array', elems: expr.elems.map((e) => toLiteral(e, ty.elem)) };
			break;
		case 'arrayRepeat':
			if (ty.kind === 'array') return { kind: 'arrayRepeat', elem: toLiteral(expr.elem, ty.elem), size: expr.size };
			break;
		case 'range':
			if (ty.kind === 'array' && ty.elem.kind === 'unsigned') return { kind: 'range', from: expr.from, to: expr.to, num: ty.elem.num };
			break;
		case 'tuple':
			if (ty.kind === 'tuple') return { kind: 'tuple', elems: expr.elems.map((e, i) => toLiteral(e, ty.elems[i])) };
			break;
		case 'struct':
			return { kind: 'struct', name: expr.name, fields: expr.fields.map(([name, value]) => [name, toLiteral(value, value.ty)]) };
		case 'enum':
			return { kind: 'enum', enumName: expr.enumName, variant: expr.variant, fields: expr.fields?.map((f) => toLiteral(f, f.ty)) ?? null };
	}
	throw new NotALiteral(expr.span);
}

/** Writes the bits of `lit` (of type `ty`) into `out` from `offset`; returns the offset after it. */
export function encodeLiteral(lit: Literal, ty: Type, layout: Layout, out: Uint8Array, offset: number): number {
	switch (ty.kind) {
		case 'bool':
			out[offset] = lit.kind === 'bool' && lit.value ? 1 : 0;
			return offset + 1;
		case 'unsigned':
		case 'signed': {
			if (lit.kind !== 'unsigned' && lit.kind !== 'signed') throw new Error('number literal expected');
			return writeNumber(lit.value, layout.bits(ty), out, offset);
		}
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr': {
			const elems = arrayElems(lit);
			for (const elem of elems) offset = encodeLiteral(elem, ty.elem, layout, out, offset);
			return offset;
		}
		case 'tuple':
			if (lit.kind !== 'tuple') throw new Error('tuple literal expected');
			ty.elems.forEach((elemTy, i) => (offset = encodeLiteral(lit.elems[i], elemTy, layout, out, offset)));
			return offset;
		case 'struct': {
			if (lit.kind !== 'struct') throw new Error('struct literal expected');
			const given = new Map(lit.fields);
			for (const [name, fieldTy] of layout.structDef(ty.name).fields) {
				offset = encodeLiteral(given.get(name)!, fieldTy, layout, out, offset);
			}
			return offset;
		}
		case 'enum': {
			if (lit.kind !== 'enum') throw new Error('enum literal expected');
			const def = layout.enumDef(ty.name);
			const end = offset + layout.bits(ty);
			const index = variantIndex(def, lit.variant);
			offset = writeNumber(index, enumTagBits(def), out, offset);
			const fieldTypes = def.variants[index].fields ?? [];
			fieldTypes.forEach((fieldTy, i) => (offset = encodeLiteral(lit.fields![i], fieldTy, layout, out, offset)));
			out.fill(0, offset, end);
			return end;
		}
		case 'named':
			throw new Error(`unresolved type ${ty.name}`);
	}
}

function arrayElems(lit: Literal): readonly Literal[] {
	switch (lit.kind) {
		case 'array':
			return lit.elems;
		case 'arrayRepeat':
			return new Array<Literal>(lit.size).fill(lit.elem);
		case 'range': {
			const elems: Literal[] = [];
			for (let n = lit.from; n < lit.to; n++) elems.push({ kind: 'unsigned', value: n, num: lit.num });
			return elems;
		}
		default:
			throw new Error('array literal expected');
	}
}

/** Two's complement, most significant bit first; returns the offset after it. */
function writeNumber(value: bigint | number, bits: number, out: Uint8Array, offset: number): number {
	writeTwosComplement(value, bits, out, offset);
	return offset + bits;
}

/** Reads a value of type `ty` from `bits` at `offset`. */
export function decodeLiteral(bits: Uint8Array, offset: number, ty: Type, layout: Layout): Literal {
	switch (ty.kind) {
		case 'bool':
			return { kind: 'bool', value: bits[offset] === 1 };
		case 'unsigned':
			return { kind: 'unsigned', value: readUnsigned(bits, offset, layout.bits(ty)), num: ty.num };
		case 'signed': {
			const width = layout.bits(ty);
			return { kind: 'signed', value: BigInt.asIntN(width, readUnsigned(bits, offset, width)), num: ty.num };
		}
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr': {
			const elemBits = layout.bits(ty.elem);
			const elems: Literal[] = [];
			for (let i = 0; i < layout.arrayLength(ty); i++) elems.push(decodeLiteral(bits, offset + i * elemBits, ty.elem, layout));
			return { kind: 'array', elems };
		}
		case 'tuple': {
			const elems: Literal[] = [];
			for (const elemTy of ty.elems) {
				elems.push(decodeLiteral(bits, offset, elemTy, layout));
				offset += layout.bits(elemTy);
			}
			return { kind: 'tuple', elems };
		}
		case 'struct': {
			const fields: [string, Literal][] = [];
			for (const [name, fieldTy] of layout.structDef(ty.name).fields) {
				fields.push([name, decodeLiteral(bits, offset, fieldTy, layout)]);
				offset += layout.bits(fieldTy);
			}
			return { kind: 'struct', name: ty.name, fields };
		}
		case 'enum': {
			const def = layout.enumDef(ty.name);
			const tagBits = enumTagBits(def);
			const index = Number(readUnsigned(bits, offset, tagBits));
			const variant = def.variants[index];
			if (!variant) throw new Error(`output tag ${index} names no variant of enum ${ty.name}`);
			offset += tagBits;
			const fields = variant.fields?.map((fieldTy) => {
				const field = decodeLiteral(bits, offset, fieldTy, layout);
				offset += layout.bits(fieldTy);
				return field;
			});
			return { kind: 'enum', enumName: ty.name, variant: variant.name, fields: fields ?? null };
		}
		case 'named':
			throw new Error(`unresolved type ${ty.name}`);
	}
}
