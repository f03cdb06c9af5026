/**
 * The syntax tree. `T` is the type annotation of expressions and patterns: `undefined` after
 * parsing, `Type` after type checking (the checker builds a new, typed tree).
 */
import type { Span } from './span';
import type { SignedNum, UnsignedNum } from './token';
import type { Type } from './types';

/** A compile-time constant: the value of a top-level `const` or an array size `const { … }`. */
export type ConstExpr = { readonly span: Span } & (
	| { readonly kind: 'true' | 'false' }
	| { readonly kind: 'unsigned'; readonly value: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly value: bigint; readonly num: SignedNum }
	/** `PARTY_0::ROWS`: supplied by a party before compilation. */
	| { readonly kind: 'external'; readonly party: string; readonly name: string }
	| { readonly kind: 'ident'; readonly name: string }
	| { readonly kind: 'max' | 'min'; readonly args: readonly ConstExpr[] }
	| { readonly kind: 'add' | 'sub'; readonly left: ConstExpr; readonly right: ConstExpr }
);

export type UnaryOp = 'not' | 'neg';

/** `le` and `ge` stand for garble-lang's `(x < y) | (x == y)` rewriting of `<=` and `>=`. */
export type BinaryOp =
	| 'add' | 'sub' | 'mul' | 'div' | 'rem'
	| 'and' | 'xor' | 'or'
	| 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne'
	| 'shl' | 'shr'
	| 'andand' | 'oror';

export const BINARY_OP_TEXT: Record<BinaryOp, string> = {
	add: '+', sub: '-', mul: '*', div: '/', rem: '%', and: '&', xor: '^', or: '|',
	gt: '>', lt: '<', ge: '>=', le: '<=', eq: '==', ne: '!=', shl: '<<', shr: '>>', andand: '&&', oror: '||'
};

export type Expr<T> = { readonly span: Span; ty: T } & (
	| { readonly kind: 'true' | 'false' }
	| { readonly kind: 'unsigned'; readonly value: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly value: bigint; readonly num: SignedNum }
	| { readonly kind: 'ident'; readonly name: string }
	| { readonly kind: 'array'; readonly elems: Expr<T>[] }
	| { readonly kind: 'arrayRepeat'; readonly elem: Expr<T>; readonly size: number }
	| { readonly kind: 'arrayRepeatConst'; readonly elem: Expr<T>; readonly size: string }
	| { readonly kind: 'index'; readonly array: Expr<T>; readonly index: Expr<T> }
	| { readonly kind: 'tuple'; readonly elems: Expr<T>[] }
	| { readonly kind: 'tupleField'; readonly tuple: Expr<T>; readonly index: number }
	| { readonly kind: 'structField'; readonly struct: Expr<T>; readonly field: string }
	/** Fields sorted by name, as garble-lang stores them. */
	| { readonly kind: 'struct'; readonly name: string; readonly fields: [string, Expr<T>][] }
	/** `fields` is null for a unit variant. */
	| { readonly kind: 'enum'; readonly enumName: string; readonly variant: string; readonly fields: Expr<T>[] | null }
	| { readonly kind: 'match'; readonly scrutinee: Expr<T>; readonly clauses: MatchClause<T>[] }
	| { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr<T> }
	| { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr<T>; readonly right: Expr<T> }
	| { readonly kind: 'block'; readonly stmts: Stmt<T>[] }
	| { readonly kind: 'call'; readonly name: string; readonly args: Expr<T>[] }
	/** The built-in `join(a, b)`; `joinType` and `withData` are set by the type checker. */
	| { readonly kind: 'join'; readonly args: Expr<T>[]; readonly joinType?: Type; readonly withData?: boolean }
	| { readonly kind: 'if'; readonly cond: Expr<T>; readonly then: Expr<T>; readonly else: Expr<T> }
	| { readonly kind: 'cast'; readonly target: Type; readonly operand: Expr<T> }
	| { readonly kind: 'range'; readonly from: bigint; readonly to: bigint; readonly num: UnsignedNum }
);

export interface MatchClause<T> {
	readonly pattern: Pattern<T>;
	readonly body: Expr<T>;
}

export type Pattern<T> = { readonly span: Span; ty: T } & (
	| { readonly kind: 'ident'; readonly name: string }
	| { readonly kind: 'true' | 'false' }
	| { readonly kind: 'unsigned'; readonly value: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly value: bigint; readonly num: SignedNum }
	| { readonly kind: 'tuple'; readonly elems: Pattern<T>[] }
	/** Fields sorted by name; `ignoreRest` for `Foo { a, .. }`. */
	| { readonly kind: 'struct'; readonly name: string; readonly fields: [string, Pattern<T>][]; readonly ignoreRest: boolean }
	| { readonly kind: 'enumUnit'; readonly enumName: string; readonly variant: string }
	| { readonly kind: 'enumTuple'; readonly enumName: string; readonly variant: string; readonly fields: Pattern<T>[] }
	/** Inclusive ranges (`a..b` patterns are stored as `a..=b-1`). */
	| { readonly kind: 'unsignedRange'; readonly min: bigint; readonly max: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signedRange'; readonly min: bigint; readonly max: bigint; readonly num: SignedNum }
);

/** One step of the place an assignment writes to: `a[i]`, `t.0`, `s.field`. */
export type Accessor<T> = { readonly span: Span; readonly container: T } & (
	| { readonly kind: 'index'; readonly index: Expr<T> }
	| { readonly kind: 'tupleField'; readonly index: number }
	| { readonly kind: 'structField'; readonly field: string }
);

export type Stmt<T> = { readonly span: Span } & (
	| { readonly kind: 'let'; readonly pattern: Pattern<T>; readonly declared: Type | null; readonly value: Expr<T> }
	| { readonly kind: 'letMut'; readonly name: string; readonly declared: Type | null; readonly value: Expr<T> }
	| { readonly kind: 'assign'; readonly name: string; readonly accessors: Accessor<T>[]; readonly value: Expr<T> }
	| { readonly kind: 'for'; readonly pattern: Pattern<T>; readonly iterable: Expr<T>; readonly body: Stmt<T>[] }
	/** `for … in join_iter(a, b)`, recognised by the type checker. */
	| { readonly kind: 'joinFor'; readonly pattern: Pattern<T>; readonly joinType: Type; readonly left: Expr<T>; readonly right: Expr<T>; readonly body: Stmt<T>[] }
	| { readonly kind: 'expr'; readonly expr: Expr<T> }
);

export interface Param {
	readonly mutable: boolean;
	readonly name: string;
	readonly type: Type;
	/** From the name to the end of the type. */
	readonly span: Span;
}

export interface FnDef<T> {
	readonly isPub: boolean;
	readonly name: string;
	readonly params: readonly Param[];
	readonly returnType: Type;
	readonly body: Stmt<T>[];
	readonly span: Span;
}

export interface ConstDef {
	readonly type: Type;
	readonly value: ConstExpr;
	readonly span: Span;
}

export interface StructDef {
	/** Sorted by name: the bit layout of a struct follows this order. */
	readonly fields: readonly (readonly [string, Type])[];
	readonly span: Span;
}

export interface Variant {
	readonly name: string;
	/** null for a unit variant. */
	readonly fields: readonly Type[] | null;
}

export interface EnumDef {
	readonly variants: readonly Variant[];
	readonly span: Span;
}

/** A parsed program; a later definition of the same name replaces an earlier one, as in garble-lang. */
export interface Program<T> {
	readonly consts: Map<string, ConstDef>;
	readonly structs: Map<string, StructDef>;
	readonly enums: Map<string, EnumDef>;
	readonly fns: Map<string, FnDef<T>>;
}

export type UExpr = Expr<undefined>;
export type UPattern = Pattern<undefined>;
export type UStmt = Stmt<undefined>;
export type TExpr = Expr<Type>;
export type TPattern = Pattern<Type>;
export type TStmt = Stmt<Type>;
