import type { ConstExpr } from './ast';
import type { Span } from './span';
import { signedNumName, unsignedNumName, type SignedNum, type UnsignedNum } from './token';

/** Garble types. `named` is a struct or enum name before the type checker resolved it. */
export type Type =
	| { readonly kind: 'bool' }
	| { readonly kind: 'unsigned'; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly num: SignedNum }
	| { readonly kind: 'array'; readonly elem: Type; readonly size: number }
	/** `[T; NAME]` with a top-level `const NAME: usize`. */
	| { readonly kind: 'arrayConst'; readonly elem: Type; readonly size: string }
	/** `[T; const { … }]`. */
	| { readonly kind: 'arrayConstExpr'; readonly elem: Type; readonly size: ConstExpr }
	| { readonly kind: 'tuple'; readonly elems: readonly Type[] }
	| { readonly kind: 'named'; readonly name: string; readonly span: Span }
	| { readonly kind: 'struct'; readonly name: string }
	| { readonly kind: 'enum'; readonly name: string };

export type ArrayType = Extract<Type, { kind: 'array' | 'arrayConst' | 'arrayConstExpr' }>;

export const BOOL: Type = { kind: 'bool' };
export const UNIT: Type = { kind: 'tuple', elems: [] };
export const USIZE: Type = { kind: 'unsigned', num: 'usize' };
export const U8: Type = { kind: 'unsigned', num: 'u8' };
export const I32: Type = { kind: 'signed', num: 'i32' };
export const UNSPECIFIED_UNSIGNED: Type = { kind: 'unsigned', num: 'unspecified' };
export const UNSPECIFIED_SIGNED: Type = { kind: 'signed', num: 'unspecified' };

export function unsignedType(num: UnsignedNum): Type {
	return { kind: 'unsigned', num };
}

export function signedType(num: SignedNum): Type {
	return { kind: 'signed', num };
}

export function isArrayType(ty: Type): ty is ArrayType {
	return ty.kind === 'array' || ty.kind === 'arrayConst' || ty.kind === 'arrayConstExpr';
}

export function isNumberType(ty: Type): ty is Extract<Type, { kind: 'unsigned' | 'signed' }> {
	return ty.kind === 'unsigned' || ty.kind === 'signed';
}

export function isUnspecifiedNumber(ty: Type): boolean {
	return isNumberType(ty) && ty.num === 'unspecified';
}

/** An array type of the same kind and size with a different element type. */
export function withElem(ty: ArrayType, elem: Type): ArrayType {
	return { ...ty, elem } as ArrayType;
}

export function constExprEqual(a: ConstExpr, b: ConstExpr): boolean {
	switch (a.kind) {
		case 'true':
		case 'false':
			return a.kind === b.kind;
		case 'unsigned':
		case 'signed':
			return b.kind === a.kind && a.value === b.value && a.num === b.num;
		case 'external':
			return b.kind === 'external' && a.party === b.party && a.name === b.name;
		case 'ident':
			return b.kind === 'ident' && a.name === b.name;
		case 'max':
		case 'min':
			return b.kind === a.kind && a.args.length === b.args.length && a.args.every((arg, i) => constExprEqual(arg, b.args[i]));
		case 'add':
		case 'sub':
			return b.kind === a.kind && constExprEqual(a.left, b.left) && constExprEqual(a.right, b.right);
	}
}

export function typesEqual(a: Type, b: Type): boolean {
	if (a === b) return true;
	switch (a.kind) {
		case 'bool':
			return b.kind === 'bool';
		case 'unsigned':
		case 'signed':
			return b.kind === a.kind && a.num === b.num;
		case 'array':
			return b.kind === 'array' && a.size === b.size && typesEqual(a.elem, b.elem);
		case 'arrayConst':
			return b.kind === 'arrayConst' && a.size === b.size && typesEqual(a.elem, b.elem);
		case 'arrayConstExpr':
			return b.kind === 'arrayConstExpr' && constExprEqual(a.size, b.size) && typesEqual(a.elem, b.elem);
		case 'tuple':
			return b.kind === 'tuple' && a.elems.length === b.elems.length && a.elems.every((t, i) => typesEqual(t, b.elems[i]));
		case 'named':
		case 'struct':
		case 'enum':
			return b.kind === a.kind && a.name === b.name;
	}
}

export function constExprText(expr: ConstExpr): string {
	switch (expr.kind) {
		case 'true':
		case 'false':
			return expr.kind;
		case 'unsigned':
			return expr.num === 'unspecified' ? `${expr.value}` : `${expr.value}${expr.num}`;
		case 'signed':
			return expr.num === 'unspecified' ? `${expr.value}` : `${expr.value}${expr.num}`;
		case 'external':
			return `${expr.party}::${expr.name}`;
		case 'ident':
			return expr.name;
		case 'max':
		case 'min':
			return `${expr.kind}(${expr.args.map(constExprText).join(', ')})`;
		case 'add':
			return `${constExprText(expr.left)} + ${constExprText(expr.right)}`;
		case 'sub':
			return `${constExprText(expr.left)} - ${constExprText(expr.right)}`;
	}
}

/** The type as garble-lang prints it in messages: `u8`, `[u8; 4]`, `(bool, i32)`, `Point`. */
export function typeText(ty: Type): string {
	switch (ty.kind) {
		case 'bool':
			return 'bool';
		case 'unsigned':
			return unsignedNumName(ty.num);
		case 'signed':
			return signedNumName(ty.num);
		case 'array':
			return `[${typeText(ty.elem)}; ${ty.size}]`;
		case 'arrayConst':
			return `[${typeText(ty.elem)}; ${ty.size}]`;
		case 'arrayConstExpr':
			return `[${typeText(ty.elem)}; ${constExprText(ty.size)}]`;
		case 'tuple':
			return `(${ty.elems.map(typeText).join(', ')})`;
		case 'named':
		case 'struct':
		case 'enum':
			return ty.name;
	}
}
