/**
 * Number literal inference, as garble-lang does it: a literal without suffix has an
 * "unspecified" type that is narrowed where it meets a concrete type. Narrowing rewrites the
 * `ty` of the typed expression in place (the typed tree is ours alone).
 */
import type { TExpr } from '../ast';
import { numberRange, SIGNED_MAX, SIGNED_MIN, UNSIGNED_MAX, type SignedNum, type UnsignedNum } from '../token';
import { typeText, typesEqual, withElem, type Type } from '../types';
import { fail, unexpectedType } from './errors';

export function checkOrConstrainUnsigned(expr: TExpr, expected: UnsignedNum): void {
	const target: Type = { kind: 'unsigned', num: expected };
	const ty = expr.ty;
	if (!(ty.kind === 'unsigned' && (ty.num === expected || ty.num === 'unspecified'))) {
		fail(unexpectedType(target, ty), expr.span);
	}
	if (expected !== 'unspecified' && expr.kind === 'unsigned' && expr.value > UNSIGNED_MAX[expected]) {
		fail(`${unexpectedType(target, ty)}: ${expr.value} does not fit ${numberRange(expected)}`, expr.span);
	}
	expr.ty = target;
}

export function checkOrConstrainSigned(expr: TExpr, expected: SignedNum): void {
	const target: Type = { kind: 'signed', num: expected };
	const ty = expr.ty;
	const accepted =
		(ty.kind === 'signed' && (ty.num === expected || ty.num === 'unspecified')) ||
		(ty.kind === 'unsigned' && ty.num === 'unspecified');
	if (!accepted) fail(unexpectedType(target, ty), expr.span);
	if (expected !== 'unspecified' && (expr.kind === 'unsigned' || expr.kind === 'signed') && (expr.value < SIGNED_MIN[expected] || expr.value > SIGNED_MAX[expected])) {
		fail(`${unexpectedType(target, ty)}: ${expr.value} does not fit ${numberRange(expected)}`, expr.span);
	}
	expr.ty = target;
}

/** Replaces unspecified number types inside `actual` by the corresponding parts of `expected`. */
function narrowType(actual: Type, expected: Type): Type {
	switch (expected.kind) {
		case 'unsigned':
			return actual.kind === 'unsigned' && actual.num === 'unspecified' ? expected : actual;
		case 'signed':
			return isNumberLiteralType(actual) ? expected : actual;
		case 'array':
		case 'arrayConst':
			return actual.kind === 'array' || actual.kind === 'arrayConst' ? withElem(actual, narrowType(actual.elem, expected.elem)) : actual;
		case 'tuple':
			return actual.kind === 'tuple'
				? { kind: 'tuple', elems: actual.elems.map((t, i) => (i < expected.elems.length ? narrowType(t, expected.elems[i]) : t)) }
				: actual;
		default:
			return actual;
	}
}

function isNumberLiteralType(ty: Type): boolean {
	return (ty.kind === 'unsigned' || ty.kind === 'signed') && ty.num === 'unspecified';
}

/** Pushes an expected type down into literals, branches and operands (garble-lang's constrain_type). */
export function constrainType(expr: TExpr, expected: Type): void {
	const expectedElem = expected.kind === 'array' || expected.kind === 'arrayConst' ? expected.elem : null;
	switch (expr.kind) {
		case 'array':
			if (expectedElem) {
				for (const elem of expr.elems) constrainType(elem, expectedElem);
				narrowElem(expr, expectedElem);
			} else constrainLeaf(expr, expected);
			break;
		case 'arrayRepeat':
		case 'arrayRepeatConst':
			if (expectedElem) {
				constrainType(expr.elem, expectedElem);
				narrowElem(expr, expectedElem);
			} else constrainLeaf(expr, expected);
			break;
		case 'tuple':
			if (expected.kind === 'tuple' && expr.elems.length === expected.elems.length) {
				expr.elems.forEach((elem, i) => constrainType(elem, expected.elems[i]));
				expr.ty = narrowType(expr.ty, expected);
			} else constrainLeaf(expr, expected);
			break;
		case 'ident':
			if (expectedElem || expected.kind === 'tuple') expr.ty = narrowType(expr.ty, expected);
			else constrainLeaf(expr, expected);
			break;
		case 'match':
			for (const clause of expr.clauses) constrainType(clause.body, expected);
			break;
		case 'unary':
			constrainType(expr.operand, expected);
			break;
		case 'binary':
			switch (expr.op) {
				case 'add': case 'sub': case 'mul': case 'div': case 'rem': case 'and': case 'xor': case 'or':
					constrainType(expr.left, expected);
					constrainType(expr.right, expected);
					break;
				case 'shl': case 'shr':
					constrainType(expr.left, expected);
					break;
			}
			break;
		case 'block': {
			const last = expr.stmts[expr.stmts.length - 1];
			if (last?.kind === 'expr') constrainType(last.expr, expected);
			break;
		}
		case 'if':
			constrainType(expr.then, expected);
			constrainType(expr.else, expected);
			break;
		default:
			constrainLeaf(expr, expected);
	}
	expr.ty = narrowType(expr.ty, expected);
}

function narrowElem(expr: TExpr, elem: Type): void {
	if (expr.ty.kind === 'array' || expr.ty.kind === 'arrayConst') expr.ty = withElem(expr.ty, narrowType(expr.ty.elem, elem));
}

function constrainLeaf(expr: TExpr, expected: Type): void {
	if (expected.kind === 'unsigned') checkOrConstrainUnsigned(expr, expected.num);
	else if (expected.kind === 'signed') checkOrConstrainSigned(expr, expected.num);
}

/** Checks that `expr` has type `expected`, narrowing unspecified number types on the way. */
export function checkType(expr: TExpr, expected: Type): void {
	constrainType(expr, expected);
	if (!typesEqual(expr.ty, expected)) fail(unexpectedType(expected, expr.ty), expr.span);
}

/** The common type of two operands (narrowing an unspecified side), or a mismatch error. */
export function unify(a: TExpr, b: TExpr, span: TExpr['span']): Type {
	const ta = a.ty;
	const tb = b.ty;
	let ty: Type;
	if (typesEqual(ta, tb)) ty = ta;
	else if (ta.kind === 'unsigned' && ta.num === 'unspecified' && tb.kind === 'unsigned') {
		checkOrConstrainUnsigned(a, tb.num);
		ty = tb;
	} else if (ta.kind === 'unsigned' && tb.kind === 'unsigned' && tb.num === 'unspecified') {
		checkOrConstrainUnsigned(b, ta.num);
		ty = ta;
	} else if (ta.kind === 'unsigned' && ta.num === 'unspecified' && tb.kind === 'signed') {
		checkOrConstrainSigned(a, tb.num);
		ty = tb;
	} else if (ta.kind === 'signed' && tb.kind === 'unsigned' && tb.num === 'unspecified') {
		checkOrConstrainSigned(b, ta.num);
		ty = ta;
	} else if (ta.kind === 'signed' && ta.num === 'unspecified' && tb.kind === 'signed') {
		checkOrConstrainSigned(a, tb.num);
		ty = tb;
	} else if (ta.kind === 'signed' && tb.kind === 'signed' && tb.num === 'unspecified') {
		checkOrConstrainSigned(b, ta.num);
		ty = ta;
	} else {
		fail(`The arguments have incompatible types; ${typeText(ta)} vs ${typeText(tb)}`, span);
	}
	a.ty = ty;
	b.ty = ty;
	return ty;
}

/**
 * The element type of an array literal or the result type of a match: the first element's
 * type, unless that is an unspecified number type and a later element is more specific.
 */
export function dominantType(types: readonly Type[]): Type {
	let ty = types[0];
	if (ty.kind === 'unsigned' && ty.num === 'unspecified') ty = types.find((t) => !typesEqual(t, ty)) ?? ty;
	if (ty.kind === 'signed' && ty.num === 'unspecified') {
		const current = ty;
		ty = types.find((t) => !typesEqual(t, current) && !(t.kind === 'unsigned' && t.num === 'unspecified')) ?? ty;
	}
	return ty;
}
