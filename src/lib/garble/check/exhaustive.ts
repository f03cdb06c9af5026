/**
 * Exhaustiveness of `match`: the usefulness algorithm of Maranget ("Warnings for pattern
 * matching", JFP 2007), with garble-lang's splitting of number ranges, so that the missing
 * cases we report are the ones garble-lang reports. (Where garble-lang loses fields when it
 * rebuilds a witness of a nested pattern, we keep them.)
 */
import type { TPattern } from '../ast';
import { NO_SPAN } from '../span';
import { SIGNED_MAX, SIGNED_MIN, UNSIGNED_MAX, signedNumName, unsignedNumName, type SignedNum, type UnsignedNum } from '../token';
import type { Type } from '../types';

export interface PatternDefs {
	/** Struct fields in layout (name) order. */
	structFields(name: string): readonly (readonly [string, Type])[];
	/** Enum variants in declaration order. */
	enumVariants(name: string): readonly { readonly name: string; readonly fields: readonly Type[] | null }[];
}

type Ctor =
	| { readonly kind: 'true' | 'false' }
	| { readonly kind: 'unsignedRange'; readonly num: UnsignedNum; readonly min: bigint; readonly max: bigint }
	| { readonly kind: 'signedRange'; readonly num: SignedNum; readonly min: bigint; readonly max: bigint }
	| { readonly kind: 'tuple'; readonly fields: readonly Type[] }
	| { readonly kind: 'struct'; readonly name: string; readonly fields: readonly (readonly [string, Type])[] }
	| { readonly kind: 'variant'; readonly enumName: string; readonly variant: string; readonly fields: readonly Type[] | null }
	| { readonly kind: 'array'; readonly ty: Type };

type Row = readonly TPattern[];

function wildcard(ty: Type): TPattern {
	return { kind: 'ident', name: '_', span: NO_SPAN, ty };
}

const U32_MAX = 0xffff_ffffn;
const I32_MIN = -0x8000_0000n;
const I32_MAX = 0x7fff_ffffn;

function unsignedMax(num: UnsignedNum): bigint {
	return num === 'unspecified' ? U32_MAX : UNSIGNED_MAX[num];
}

/** The rows `row` turns into when the first column is known to be built by `ctor`. */
function specialize(ctor: Ctor, row: Row): Row[] {
	if (row.length === 0) return [];
	const [head, ...tail] = row;
	const isWildcard = head.kind === 'ident';
	switch (ctor.kind) {
		case 'true':
		case 'false':
			return isWildcard || head.kind === ctor.kind ? [tail] : [];
		case 'unsignedRange': {
			const { min, max } = ctor;
			if (isWildcard) return [tail];
			if (head.kind === 'unsigned' && head.value === min && head.value === max) return [tail];
			if (head.kind === 'unsignedRange' && head.min <= min && max <= head.max) return [tail];
			return [];
		}
		case 'signedRange': {
			const { min, max } = ctor;
			if (isWildcard) return [tail];
			if ((head.kind === 'unsigned' || head.kind === 'signed') && head.value === min && head.value === max) return [tail];
			if (head.kind === 'unsignedRange' && min >= 0n && max >= 0n && head.min <= min && max <= head.max) return [tail];
			if (head.kind === 'signedRange' && head.min <= min && max <= head.max) return [tail];
			return [];
		}
		case 'tuple':
			if (isWildcard) return [[...ctor.fields.map(wildcard), ...tail]];
			return head.kind === 'tuple' ? [[...head.elems, ...tail]] : [];
		case 'array':
			return isWildcard ? [tail] : [];
		case 'struct': {
			if (isWildcard) return [[...ctor.fields.map(([, ty]) => wildcard(ty)), ...tail]];
			if (head.kind !== 'struct' || head.name !== ctor.name) return [];
			// `Foo { a, .. }` lists only some fields: the others match anything.
			const given = new Map(head.fields);
			return [[...ctor.fields.map(([name, ty]) => given.get(name) ?? wildcard(ty)), ...tail]];
		}
		case 'variant':
			if (isWildcard) return [[...(ctor.fields ?? []).map(wildcard), ...tail]];
			if (head.kind === 'enumUnit' && head.variant === ctor.variant) return [tail];
			if (head.kind === 'enumTuple' && head.variant === ctor.variant) return [[...head.fields, ...tail]];
			return [];
	}
}

/** Points where the set of matching rows may change, garble-lang's way (signed parts ignored). */
function splitPoints(rows: readonly Row[], min: bigint, max: bigint): bigint[] {
	const points = [min, max + 1n];
	for (const row of rows) {
		const head = row[0];
		if (head.kind === 'unsigned') points.push(head.value);
		else if (head.kind === 'signed' && head.value >= 0n) points.push(head.value);
		else if (head.kind === 'unsignedRange') points.push(head.min, head.max + 1n);
		else if (head.kind === 'signedRange') {
			if (head.min >= 0n) points.push(head.min);
			if (head.max >= 0n) points.push(head.max + 1n);
		}
	}
	return [...new Set(points)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function splitRange(rows: readonly Row[], min: bigint, max: bigint, make: (lo: bigint, hi: bigint) => Ctor, signed: boolean): Ctor[] {
	const points = splitPoints(rows, min, max);
	const ctors: Ctor[] = [];
	for (let k = 0; k + 1 < points.length; k++) {
		const lo = points[k];
		const hi = points[k + 1] - 1n;
		if (lo < hi) ctors.push(make(lo, lo));
		if (lo >= min && hi <= max) ctors.push(lo < hi && !signed ? make(lo + 1n, hi) : make(lo, hi));
	}
	return ctors;
}

function splitCtor(rows: readonly Row[], q: Row, defs: PatternDefs): Ctor[] {
	const head = q[0];
	const ty = head.ty;
	switch (ty.kind) {
		case 'bool':
			return [{ kind: 'true' }, { kind: 'false' }];
		case 'unsigned': {
			const make = (lo: bigint, hi: bigint): Ctor => ({ kind: 'unsignedRange', num: ty.num, min: lo, max: hi });
			if (head.kind === 'unsigned') return [make(head.value, head.value)];
			if (head.kind === 'unsignedRange') return splitRange(rows, head.min, head.max, make, false);
			return splitRange(rows, 0n, unsignedMax(ty.num), make, false);
		}
		case 'signed': {
			const make = (lo: bigint, hi: bigint): Ctor => ({ kind: 'signedRange', num: ty.num, min: lo, max: hi });
			if (head.kind === 'unsigned' || head.kind === 'signed') return [make(head.value, head.value)];
			if (head.kind === 'unsignedRange' || head.kind === 'signedRange') return splitRange(rows, head.min, head.max, make, true);
			const min = ty.num === 'unspecified' ? I32_MIN : SIGNED_MIN[ty.num];
			const max = ty.num === 'unspecified' ? I32_MAX : SIGNED_MAX[ty.num];
			return [make(min, max)];
		}
		case 'struct':
			return [{ kind: 'struct', name: ty.name, fields: defs.structFields(ty.name) }];
		case 'enum':
			return defs.enumVariants(ty.name).map((v) => ({ kind: 'variant', enumName: ty.name, variant: v.name, fields: v.fields }));
		case 'tuple':
			return [{ kind: 'tuple', fields: ty.elems }];
		default:
			return [{ kind: 'array', ty }];
	}
}

/** Rebuilds the pattern of `ctor` from the first fields of a witness row. */
function wrap(ctor: Ctor, witness: TPattern[]): TPattern[] {
	const build = (pattern: TPattern, arity: number): TPattern[] => [pattern, ...witness.slice(arity)];
	const span = NO_SPAN;
	switch (ctor.kind) {
		case 'true':
		case 'false':
			return build({ kind: ctor.kind, span, ty: { kind: 'bool' } }, 0);
		case 'unsignedRange':
			return build({ kind: 'unsignedRange', min: ctor.min, max: ctor.max, num: ctor.num, span, ty: { kind: 'unsigned', num: ctor.num } }, 0);
		case 'signedRange':
			return build({ kind: 'signedRange', min: ctor.min, max: ctor.max, num: ctor.num, span, ty: { kind: 'signed', num: ctor.num } }, 0);
		case 'array':
			return build(wildcard(ctor.ty), 0);
		case 'tuple': {
			const elems = witness.slice(0, ctor.fields.length);
			return build({ kind: 'tuple', elems, span, ty: { kind: 'tuple', elems: ctor.fields } }, ctor.fields.length);
		}
		case 'struct': {
			const fields = ctor.fields.map(([name], i): [string, TPattern] => [name, witness[i]]);
			return build({ kind: 'struct', name: ctor.name, fields, ignoreRest: false, span, ty: { kind: 'struct', name: ctor.name } }, ctor.fields.length);
		}
		case 'variant': {
			const ty: Type = { kind: 'enum', name: ctor.enumName };
			if (ctor.fields === null) return build({ kind: 'enumUnit', enumName: ctor.enumName, variant: ctor.variant, span, ty }, 0);
			const fields = witness.slice(0, ctor.fields.length);
			return build({ kind: 'enumTuple', enumName: ctor.enumName, variant: ctor.variant, fields, span, ty }, ctor.fields.length);
		}
	}
}

/** The value rows that `q` matches but none of `rows` does (empty when `q` is not useful). */
function usefulness(rows: readonly Row[], q: Row, defs: PatternDefs): TPattern[][] {
	if (rows.length === 0) return [[...q]];
	if (rows[0].length === 0 || q.length === 0) return [];
	const witnesses: TPattern[][] = [];
	for (const ctor of splitCtor(rows, q, defs)) {
		const specialized = rows.flatMap((row) => specialize(ctor, row));
		for (const rest of specialize(ctor, q)) {
			for (const witness of usefulness(specialized, rest, defs)) witnesses.push(wrap(ctor, witness));
		}
	}
	return witnesses;
}

/** The cases of type `ty` that no pattern covers, printed as garble-lang prints them. */
export function missingCases(patterns: readonly TPattern[], ty: Type, defs: PatternDefs): string[] {
	const witnesses = usefulness(
		patterns.map((p) => [p]),
		[wildcard(ty)],
		defs
	);
	return witnesses.map((row) => row.map(patternText).join(', '));
}

export function patternText(p: TPattern): string {
	switch (p.kind) {
		case 'ident':
			return p.name;
		case 'true':
		case 'false':
			return p.kind;
		case 'unsigned':
			return `${p.value}${unsignedNumName(p.num)}`;
		case 'signed':
			return `${p.value}${signedNumName(p.num)}`;
		case 'struct':
			return `${p.name} { ${p.fields.map(([name, field]) => `${name}: ${patternText(field)}`).join(', ')}}`;
		case 'tuple':
			return `(${p.elems.map(patternText).join(', ')})`;
		case 'enumUnit':
			return `${p.enumName}::${p.variant}`;
		case 'enumTuple':
			return `${p.enumName}::${p.variant}(${p.fields.map(patternText).join(', ')})`;
		case 'unsignedRange': {
			const suffix = unsignedNumName(p.num);
			if (p.min === p.max) return `${p.min}${suffix}`;
			if (p.min === 0n && p.num !== 'unspecified' && p.max === UNSIGNED_MAX[p.num]) return '_';
			return `${p.min}${suffix}..=${p.max}${suffix}`;
		}
		case 'signedRange': {
			const suffix = signedNumName(p.num);
			if (p.min === p.max) return `${p.min}${suffix}`;
			if (p.num !== 'unspecified' && p.min === SIGNED_MIN[p.num] && p.max === SIGNED_MAX[p.num]) return '_';
			return `${p.min}${suffix}..=${p.max}${suffix}`;
		}
	}
}
