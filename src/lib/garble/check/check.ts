/**
 * The type checker: builds a typed tree from the parsed program and reports type errors the
 * way garble-lang does (same rules, same messages, several errors at once, sorted by place).
 */
import type {
	Accessor,
	ConstDef,
	ConstExpr,
	EnumDef,
	FnDef,
	Param,
	Program,
	StructDef,
	TExpr,
	TPattern,
	TStmt,
	UExpr,
	UPattern,
	UStmt,
	Variant
} from '../ast';
import { ScopeStack } from '../scopes';
import { compareSpans, NO_SPAN, type Span } from '../span';
import {
	BOOL,
	isArrayType,
	isNumberType,
	typeText,
	typesEqual,
	UNIT,
	USIZE,
	type Type
} from '../types';
import { checkOrConstrainSigned, checkOrConstrainUnsigned, checkType, dominantType, unify } from './constrain';
import { attempt, CheckFailure, fail, failQuietly, unexpectedType, type Errors, type TypeError } from './errors';
import { missingCases, type PatternDefs } from './exhaustive';

export interface ExternalConst {
	readonly type: Type;
	readonly span: Span;
}

/** A checked program: every function reachable from a `pub fn`, with types resolved. */
export interface TypedProgram {
	readonly consts: Map<string, ConstDef>;
	/** `PARTY_0::ROWS` and the like, by namespace and name: what must be supplied to compile. */
	readonly externalConsts: Map<string, Map<string, ExternalConst>>;
	readonly structs: Map<string, StructDef>;
	readonly enums: Map<string, EnumDef>;
	readonly fns: Map<string, FnDef<Type>>;
}

interface Binding {
	readonly ty: Type | null;
	readonly mutable: boolean;
}

/** Lexical scopes of one function body. */
class Env extends ScopeStack<Binding> {
	declare(name: string, ty: Type | null, mutable: boolean): void {
		this.bind(name, { ty, mutable });
	}
}

export function typeCheck(program: Program<undefined>): { program: TypedProgram; errors: TypeError[] } {
	const errors: Errors = [];
	const names = { structs: new Set(program.structs.keys()), enums: new Set(program.enums.keys()) };
	const { consts, externalConsts } = checkConsts(program.consts, errors);
	const structs = new Map<string, StructDef>();
	for (const [name, def] of program.structs) {
		const fields: [string, Type][] = [];
		for (const [field, ty] of def.fields) {
			const resolved = attempt(errors, () => resolveType(ty, names));
			if (resolved) fields.push([field, resolved]);
		}
		structs.set(name, { fields, span: def.span });
	}
	const enums = new Map<string, EnumDef>();
	for (const [name, def] of program.enums) {
		const variants: Variant[] = def.variants.map((variant) => {
			if (variant.fields === null) return variant;
			const fields: Type[] = [];
			for (const ty of variant.fields) {
				const resolved = attempt(errors, () => resolveType(ty, names));
				if (resolved) fields.push(resolved);
			}
			return { name: variant.name, fields };
		});
		enums.set(name, { variants, span: def.span });
	}
	const constTypes = new Map([...consts].map(([name, def]) => [name, def.type]));
	const checker = new Checker(names, constTypes, structs, enums, program.fns, errors);
	const fnsInOrder = [...program.fns.values()].sort((a, b) => compareSpans(a.span, b.span));
	for (const fn of fnsInOrder) {
		if (!fn.isPub) continue;
		if (fn.params.length === 0) {
			errors.push({ message: `The function '${fn.name}' is declared pub, but has no parameters`, span: fn.span });
		} else {
			checker.ensureChecked(fn.name);
		}
	}
	for (const fn of fnsInOrder) {
		if (!fn.isPub && !checker.checked.has(fn.name)) {
			errors.push({ message: `Function '${fn.name}' is declared but never used`, span: fn.span });
		}
	}
	const fns = new Map<string, FnDef<Type>>();
	for (const [name, fn] of checker.checked) if (fn) fns.set(name, fn);
	return { program: { consts, externalConsts, structs, enums, fns }, errors: finalErrors(errors) };
}

/** A checker for expressions outside any function (input literals) of a checked program. */
export function checkerFor(program: TypedProgram, errors: Errors): Checker {
	const names = { structs: new Set(program.structs.keys()), enums: new Set(program.enums.keys()) };
	const constTypes = new Map([...program.consts].map(([name, def]) => [name, def.type]));
	return new Checker(names, constTypes, program.structs, program.enums, new Map(), errors);
}

/** Drops the "reported elsewhere" markers and duplicates, sorted by place (stable). */
export function finalErrors(errors: Errors): TypeError[] {
	const seen = new Set<string>();
	const unique: TypeError[] = [];
	for (const e of errors) {
		if (e === null) continue;
		const key = `${e.span.startLine}:${e.span.startColumn}:${e.span.endLine}:${e.span.endColumn}:${e.message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		unique.push(e);
	}
	return unique.sort((a, b) => compareSpans(a.span, b.span));
}

/** Top-level `const` definitions, checked in source order (a const may use earlier ones). */
function checkConsts(
	defs: Map<string, ConstDef>,
	errors: Errors
): { consts: Map<string, ConstDef>; externalConsts: Map<string, Map<string, ExternalConst>> } {
	const consts = new Map<string, ConstDef>();
	const externalConsts = new Map<string, Map<string, ExternalConst>>();
	const sorted = [...defs].sort(([, a], [, b]) => compareSpans(a.span, b.span));
	for (const [name, def] of sorted) {
		const visit = (value: ConstExpr): void => {
			const mismatch = (actual: Type): void => {
				if (!typesEqual(def.type, actual)) errors.push({ message: unexpectedType(def.type, actual), span: value.span });
			};
			switch (value.kind) {
				case 'true':
				case 'false':
					return mismatch(BOOL);
				case 'unsigned':
					return mismatch({ kind: 'unsigned', num: value.num });
				case 'signed':
					return mismatch({ kind: 'signed', num: value.num });
				case 'external': {
					const party = externalConsts.get(value.party) ?? new Map<string, ExternalConst>();
					party.set(value.name, { type: def.type, span: value.span });
					externalConsts.set(value.party, party);
					return;
				}
				case 'ident': {
					const other = consts.get(value.name);
					if (other) mismatch(other.type);
					else errors.push({ message: `Unknown identifier '${value.name}'`, span: value.span });
					return;
				}
				case 'max':
				case 'min':
					return value.args.forEach(visit);
				case 'add':
				case 'sub':
					visit(value.left);
					visit(value.right);
			}
		};
		visit(def.value);
		consts.set(name, def);
	}
	return { consts, externalConsts };
}

interface TopLevelNames {
	readonly structs: ReadonlySet<string>;
	readonly enums: ReadonlySet<string>;
}

/** Replaces struct/enum names by struct or enum types. */
export function resolveType(ty: Type, names: TopLevelNames): Type {
	switch (ty.kind) {
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr':
			return { ...ty, elem: resolveType(ty.elem, names) };
		case 'tuple':
			return { kind: 'tuple', elems: ty.elems.map((t) => resolveType(t, names)) };
		case 'named':
			if (names.structs.has(ty.name)) return { kind: 'struct', name: ty.name };
			if (names.enums.has(ty.name)) return { kind: 'enum', name: ty.name };
			return fail(`Unknown struct or enum '${ty.name}'`, ty.span);
		default:
			return ty;
	}
}

function expectArray(ty: Type, span: Span): Type {
	if (isArrayType(ty)) return ty.elem;
	return fail(`Expected an array type, but found ${typeText(ty)}`, span);
}

function expectTuple(ty: Type, span: Span): readonly Type[] {
	if (ty.kind === 'tuple') return ty.elems;
	return fail(`Expected a tuple type, but found ${typeText(ty)}`, span);
}

function expectStruct(ty: Type, span: Span): string {
	if (ty.kind === 'struct') return ty.name;
	return fail(`Expected a struct type, but found ${typeText(ty)}`, span);
}

function expectNumber(ty: Type, span: Span): void {
	if (!isNumberType(ty)) fail(`Expected a number type, but found ${typeText(ty)}`, span);
}

function expectSignedNumber(ty: Type, span: Span): void {
	if (ty.kind !== 'signed') fail(`Expected a signed number type, but found ${typeText(ty)}`, span);
}

function expectBoolOrNumber(ty: Type, span: Span): void {
	if (ty.kind !== 'bool' && !isNumberType(ty)) fail(`Expected a Boolean or number type, but found ${typeText(ty)}`, span);
}

/** Throws the collected errors if there are any. */
function throwIfAny(errors: Errors): void {
	if (errors.length > 0) throw new CheckFailure(errors);
}

type Fields<N> = N extends unknown ? Omit<N, 'span' | 'ty'> : never;

/** `fields`, a fresh object literal at every call, completed in place (see parse.ts's `spanned`). */
function typed(fields: Fields<TExpr>, ty: Type, span: Span): TExpr {
	return Object.assign(fields, { ty, span }) as TExpr;
}

function typedPattern(fields: Fields<TPattern>, ty: Type, span: Span): TPattern {
	return { ...fields, ty, span } as TPattern;
}

export class Checker implements PatternDefs {
	/** Checked functions; null for a function whose check failed. */
	readonly checked = new Map<string, FnDef<Type> | null>();
	private readonly inProgress = new Set<string>();

	constructor(
		private readonly names: TopLevelNames,
		private readonly consts: ReadonlyMap<string, Type>,
		private readonly structs: ReadonlyMap<string, StructDef>,
		private readonly enums: ReadonlyMap<string, EnumDef>,
		private readonly fns: ReadonlyMap<string, FnDef<undefined>>,
		/** Errors of function definitions, each reported once however often it is called. */
		private readonly errors: Errors
	) {}

	structFields(name: string): readonly (readonly [string, Type])[] {
		return this.structs.get(name)?.fields ?? [];
	}

	enumVariants(name: string): readonly Variant[] {
		return this.enums.get(name)?.variants ?? [];
	}

	/** Checks a function once; later calls reuse the result. */
	ensureChecked(name: string): FnDef<Type> | null | undefined {
		if (this.checked.has(name)) return this.checked.get(name);
		const def = this.fns.get(name);
		if (!def) return undefined;
		if (this.inProgress.has(name)) {
			this.errors.push({ message: `Function '${name}' is declared recursively, which is not supported`, span: def.span });
			return null;
		}
		this.inProgress.add(name);
		const fnErrors: Errors = [];
		const result = this.checkFn(def, fnErrors);
		this.inProgress.delete(name);
		this.errors.push(...fnErrors);
		this.checked.set(name, result);
		return result;
	}

	private checkFn(def: FnDef<undefined>, errors: Errors): FnDef<Type> | null {
		const env = new Env();
		const params: Param[] = [];
		const seen = new Set<string>();
		for (const param of def.params) {
			if (seen.has(param.name)) {
				errors.push({ message: `The function parameter '${param.name}' is declared multiple times`, span: def.span });
			} else seen.add(param.name);
			const ty = attempt(errors, () => resolveType(param.type, this.names));
			env.declare(param.name, ty ?? null, param.mutable);
			if (ty) params.push({ ...param, type: ty });
		}
		const body = attempt(errors, () => this.checkBlock(def.body, env));
		if (!body) return null;
		const returnType = attempt(errors, () => resolveType(def.returnType, this.names));
		if (!returnType) return null;
		const last = body.stmts[body.stmts.length - 1];
		if (last?.kind === 'expr') attempt(errors, () => checkType(last.expr, returnType));
		else if (!typesEqual(returnType, UNIT)) errors.push({ message: unexpectedType(returnType, UNIT), span: def.span });
		if (errors.length > 0) return null;
		return { isPub: def.isPub, name: def.name, params, returnType, body: body.stmts, span: def.span };
	}

	/** Statements of a block (the caller opens the scope); the type is that of a final expression. */
	private checkBlock(stmts: readonly UStmt[], env: Env): { stmts: TStmt[]; ty: Type } {
		const errors: Errors = [];
		const out: TStmt[] = [];
		let ty = UNIT;
		stmts.forEach((stmt, i) => {
			const checked = attempt(errors, () => this.checkStmt(stmt, env));
			if (!checked) return;
			if (i === stmts.length - 1 && checked.kind === 'expr') ty = checked.expr.ty;
			out.push(checked);
		});
		throwIfAny(errors);
		return { stmts: out, ty };
	}

	private checkStmt(stmt: UStmt, env: Env): TStmt {
		const { span } = stmt;
		switch (stmt.kind) {
			case 'let': {
				let value: TExpr;
				try {
					value = this.checkExpr(stmt.value, env);
				} catch (failure) {
					if (!(failure instanceof CheckFailure)) throw failure;
					attempt(failure.errors, () => this.checkPattern(stmt.pattern, env, null));
					throw failure;
				}
				if (stmt.declared) checkType(value, resolveType(stmt.declared, this.names));
				const pattern = this.checkPattern(stmt.pattern, env, value.ty);
				return { kind: 'let', pattern, declared: stmt.declared, value, span };
			}
			case 'letMut': {
				let value: TExpr;
				try {
					value = this.checkExpr(stmt.value, env);
				} finally {
					// The name exists even when its value has errors: later uses stay quiet.
					env.declare(stmt.name, null, true);
				}
				if (stmt.declared) checkType(value, resolveType(stmt.declared, this.names));
				constrainToI32(value);
				env.declare(stmt.name, value.ty, true);
				return { kind: 'letMut', name: stmt.name, declared: stmt.declared, value, span };
			}
			case 'expr':
				return { kind: 'expr', expr: this.checkExpr(stmt.expr, env), span };
			case 'assign':
				return this.checkAssign(stmt, env);
			case 'for':
				return this.checkFor(stmt, env);
			case 'joinFor':
				throw new Error('join loops only exist in checked programs');
		}
	}

	private checkAssign(stmt: Extract<UStmt, { kind: 'assign' }>, env: Env): TStmt {
		const binding = env.get(stmt.name);
		if (!binding) fail(`Unknown identifier '${stmt.name}'`, stmt.span);
		if (!binding.mutable) fail(`'${stmt.name}' exists, but was not declared as mutable`, stmt.span);
		if (!binding.ty) failQuietly();
		let ty: Type = binding.ty;
		const accessors: Accessor<Type>[] = [];
		for (const access of stmt.accessors) {
			const container = ty;
			if (access.kind === 'index') {
				ty = expectArray(ty, access.span);
				const index = this.checkExpr(access.index, env);
				checkOrConstrainUnsigned(index, 'usize');
				accessors.push({ kind: 'index', index, container, span: access.span });
			} else if (access.kind === 'tupleField') {
				const elems = expectTuple(ty, access.span);
				if (access.index >= elems.length) fail(`The tuple only has ${elems.length} fields`, access.span);
				ty = elems[access.index];
				accessors.push({ kind: 'tupleField', index: access.index, container, span: access.span });
			} else {
				ty = this.fieldType(expectStruct(ty, access.span), access.field, access.span);
				accessors.push({ kind: 'structField', field: access.field, container, span: access.span });
			}
		}
		const value = this.checkExpr(stmt.value, env);
		checkType(value, ty);
		return { kind: 'assign', name: stmt.name, accessors, value, span: stmt.span };
	}

	private checkFor(stmt: Extract<UStmt, { kind: 'for' }>, env: Env): TStmt {
		const { span, iterable } = stmt;
		if (iterable.kind === 'call' && iterable.name === 'join_iter') {
			if (iterable.args.length !== 2) fail(wrongArgs(2, iterable.args.length), span);
			const errors: Errors = [];
			const joined = iterable.args.map((arg) => {
				const checked = this.checkExpr(arg, env);
				if (checked.ty.kind !== 'array' && checked.ty.kind !== 'arrayConst') {
					errors.push({ message: `Expected an array type, but found ${typeText(checked.ty)}`, span: checked.span });
				}
				return checked;
			});
			throwIfAny(errors);
			const [left, right] = joined;
			const elemLeft = expectArray(left.ty, left.span);
			const elemRight = expectArray(right.ty, right.span);
			const tupleLeft = expectTuple(elemLeft, left.span);
			const tupleRight = expectTuple(elemRight, right.span);
			if (tupleLeft.length === 0 || tupleRight.length === 0 || !typesEqual(tupleLeft[0], tupleRight[0])) {
				fail(`The arguments have incompatible types; ${typeText(elemLeft)} vs ${typeText(elemRight)}`, span);
			}
			const elemTy: Type = { kind: 'tuple', elems: [elemLeft, elemRight] };
			return env.scoped(() => {
				const pattern = this.checkPattern(stmt.pattern, env, elemTy);
				const body = stmt.body.map((s) => this.checkStmt(s, env));
				return { kind: 'joinFor', pattern, joinType: tupleLeft[0], left, right, body, span };
			});
		}
		const checked = this.checkExpr(iterable, env);
		const elemTy = expectArray(checked.ty, span);
		return env.scoped(() => {
			const pattern = this.checkPattern(stmt.pattern, env, elemTy);
			const body = stmt.body.map((s) => this.checkStmt(s, env));
			return { kind: 'for', pattern, iterable: checked, body, span };
		});
	}

	private fieldType(structName: string, field: string, span: Span): Type {
		const def = this.structs.get(structName);
		if (!def) fail(`Unknown struct '${structName}'`, span);
		const found = def.fields.find(([name]) => name === field);
		if (!found) fail(`Struct '${structName}' does not have a field '${field}'`, span);
		return found[1];
	}

	checkExpr(expr: UExpr, env: Env = new Env()): TExpr {
		const { span } = expr;
		switch (expr.kind) {
			case 'true':
			case 'false':
				return typed({ kind: expr.kind }, BOOL, span);
			case 'unsigned':
				return typed({ kind: 'unsigned', value: expr.value, num: expr.num }, { kind: 'unsigned', num: expr.num }, span);
			case 'signed':
				return typed({ kind: 'signed', value: expr.value, num: expr.num }, { kind: 'signed', num: expr.num }, span);
			case 'ident': {
				const binding = env.get(expr.name);
				if (binding) {
					if (!binding.ty) failQuietly();
					return typed({ kind: 'ident', name: expr.name }, binding.ty, span);
				}
				const constType = this.consts.get(expr.name);
				if (!constType) fail(`Unknown identifier '${expr.name}'`, span);
				return typed({ kind: 'ident', name: expr.name }, constType, span);
			}
			case 'array': {
				const elems = this.checkAll(expr.elems, env);
				const elemTy = dominantType(elems.map((e) => e.ty));
				for (const elem of elems) checkType(elem, elemTy);
				return typed({ kind: 'array', elems }, { kind: 'array', elem: elemTy, size: elems.length }, span);
			}
			case 'arrayRepeat': {
				const elem = this.checkExpr(expr.elem, env);
				return typed({ kind: 'arrayRepeat', elem, size: expr.size }, { kind: 'array', elem: elem.ty, size: expr.size }, span);
			}
			case 'arrayRepeatConst': {
				if (env.get(expr.size)) fail(`Array sizes must be constants, but '${expr.size}' is a variable`, span);
				const sizeType = this.consts.get(expr.size);
				if (!sizeType) fail(`Unknown identifier '${expr.size}'`, span);
				if (!typesEqual(sizeType, USIZE)) fail(unexpectedType(USIZE, sizeType), span);
				const elem = this.checkExpr(expr.elem, env);
				const ty: Type = { kind: 'arrayConst', elem: elem.ty, size: expr.size };
				return typed({ kind: 'arrayRepeatConst', elem, size: expr.size }, ty, span);
			}
			case 'index': {
				const array = this.checkExpr(expr.array, env);
				const index = this.checkExpr(expr.index, env);
				const elemTy = expectArray(array.ty, array.span);
				checkOrConstrainUnsigned(index, 'usize');
				return typed({ kind: 'index', array, index }, elemTy, span);
			}
			case 'tuple': {
				const elems = this.checkAll(expr.elems, env);
				return typed({ kind: 'tuple', elems }, { kind: 'tuple', elems: elems.map((e) => e.ty) }, span);
			}
			case 'tupleField': {
				const tuple = this.checkExpr(expr.tuple, env);
				const elems = expectTuple(tuple.ty, tuple.span);
				if (expr.index >= elems.length) fail(`The tuple only has ${elems.length} fields`, tuple.span);
				return typed({ kind: 'tupleField', tuple, index: expr.index }, elems[expr.index], span);
			}
			case 'unary': {
				const operand = this.checkExpr(expr.operand, env);
				if (expr.op === 'neg') expectSignedNumber(operand.ty, operand.span);
				else expectBoolOrNumber(operand.ty, operand.span);
				return typed({ kind: 'unary', op: expr.op, operand }, operand.ty, span);
			}
			case 'binary':
				return this.checkBinary(expr, env);
			case 'block':
				return env.scoped(() => {
					const block = this.checkBlock(expr.stmts, env);
					return typed({ kind: 'block', stmts: block.stmts }, block.ty, span);
				});
			case 'call':
				return this.checkCall(expr, env);
			case 'join':
				return this.checkJoin(expr, env);
			case 'if':
				return this.checkIf(expr, env);
			case 'cast': {
				const target = resolveType(expr.target, this.names);
				const operand = this.checkExpr(expr.operand, env);
				expectBoolOrNumber(operand.ty, span);
				expectBoolOrNumber(target, span);
				return typed({ kind: 'cast', target, operand }, target, span);
			}
			case 'range': {
				if (expr.from >= expr.to || expr.to - expr.from > 0xffff_ffffn) fail('Invalid range', span);
				const ty: Type = { kind: 'array', elem: { kind: 'unsigned', num: expr.num }, size: Number(expr.to - expr.from) };
				return typed({ kind: 'range', from: expr.from, to: expr.to, num: expr.num }, ty, span);
			}
			case 'enum':
				return this.checkEnumLiteral(expr, env);
			case 'match':
				return this.checkMatch(expr, env);
			case 'struct':
				return this.checkStructLiteral(expr, env);
			case 'structField': {
				const struct = this.checkExpr(expr.struct, env);
				const name = expectStruct(struct.ty, struct.span);
				return typed({ kind: 'structField', struct, field: expr.field }, this.fieldType(name, expr.field, span), span);
			}
		}
	}

	/** Checks all expressions, reporting the errors of each. */
	private checkAll(exprs: readonly UExpr[], env: Env): TExpr[] {
		const errors: Errors = [];
		const out: TExpr[] = [];
		for (const e of exprs) {
			const checked = attempt(errors, () => this.checkExpr(e, env));
			if (checked) out.push(checked);
		}
		throwIfAny(errors);
		return out;
	}

	private checkBinary(expr: Extract<UExpr, { kind: 'binary' }>, env: Env): TExpr {
		const { op, span } = expr;
		const left = this.checkExpr(expr.left, env);
		const right = this.checkExpr(expr.right, env);
		const make = (ty: Type): TExpr => typed({ kind: 'binary', op, left, right }, ty, span);
		switch (op) {
			case 'add': case 'sub': case 'mul': case 'div': case 'rem': {
				const ty = unify(left, right, span);
				expectNumber(ty, span);
				return make(ty);
			}
			case 'andand': case 'oror':
				for (const operand of [left, right]) {
					if (operand.ty.kind !== 'bool') fail(unexpectedType(BOOL, operand.ty), operand.span);
				}
				return make(BOOL);
			case 'and': case 'xor': case 'or': {
				const ty = unify(left, right, span);
				expectBoolOrNumber(ty, span);
				return make(ty);
			}
			case 'gt': case 'lt': case 'ge': case 'le':
				expectNumber(unify(left, right, span), span);
				return make(BOOL);
			case 'eq': case 'ne':
				unify(left, right, span);
				return make(BOOL);
			case 'shl': case 'shr':
				expectNumber(left.ty, left.span);
				checkOrConstrainUnsigned(right, 'u8');
				return make(left.ty);
		}
	}

	private checkCall(expr: Extract<UExpr, { kind: 'call' }>, env: Env): TExpr {
		const { name, span } = expr;
		const fn = this.ensureChecked(name);
		if (fn === undefined) fail(`Unknown identifier '${name}'`, span);
		if (env.get(name)) fail(`'${name}' is not a top level function`, span);
		if (fn === null) failQuietly();
		const args = this.checkAll(expr.args, env);
		const errors: Errors = [];
		if (fn.params.length !== args.length) errors.push({ message: wrongArgs(fn.params.length, args.length), span });
		fn.params.forEach((param, i) => {
			if (i < args.length) attempt(errors, () => checkType(args[i], param.type));
		});
		throwIfAny(errors);
		return typed({ kind: 'call', name, args }, fn.returnType, span);
	}

	private checkJoin(expr: Extract<UExpr, { kind: 'join' }>, env: Env): TExpr {
		const { span } = expr;
		const args = this.checkAll(expr.args, env);
		if (args.length !== 2) fail(wrongArgs(2, args.length), span);
		const [a, b] = args;
		const elemA = expectArray(a.ty, a.span);
		const elemB = expectArray(b.ty, b.span);
		let joinType: Type;
		let rowType: Type;
		let withData: boolean;
		if (elemA.kind === 'tuple' && elemB.kind === 'tuple') {
			if (elemA.elems.length === 0) fail('The tuple only has 1 fields', a.span);
			if (elemB.elems.length === 0) fail('The tuple only has 1 fields', b.span);
			if (!typesEqual(elemA.elems[0], elemB.elems[0])) fail(unexpectedType(elemA.elems[0], elemB.elems[0]), b.span);
			joinType = elemA.elems[0];
			rowType = { kind: 'tuple', elems: [BOOL, elemA, elemB] };
			withData = true;
		} else if (elemA.kind !== 'tuple' && elemB.kind === 'tuple') {
			fail(`Expected a tuple type, but found ${typeText(elemA)}`, a.span);
		} else if (elemA.kind === 'tuple') {
			fail(`Expected a tuple type, but found ${typeText(elemB)}`, b.span);
		} else {
			if (!typesEqual(elemA, elemB)) fail(unexpectedType(elemA, elemB), b.span);
			joinType = elemA;
			rowType = { kind: 'tuple', elems: [BOOL, elemA] };
			withData = false;
		}
		const ty: Type = { kind: 'arrayConstExpr', elem: rowType, size: joinSize(a.ty, b.ty, span) };
		return typed({ kind: 'join', args, joinType, withData }, ty, span);
	}

	private checkIf(expr: Extract<UExpr, { kind: 'if' }>, env: Env): TExpr {
		const errors: Errors = [];
		const cond = attempt(errors, () => this.checkExpr(expr.cond, env));
		const then = attempt(errors, () => this.checkExpr(expr.then, env));
		const otherwise = attempt(errors, () => this.checkExpr(expr.else, env));
		if (!cond || !then || !otherwise) throw new CheckFailure(errors);
		checkType(cond, BOOL);
		const ty = unify(then, otherwise, expr.span);
		return typed({ kind: 'if', cond, then, else: otherwise }, ty, expr.span);
	}

	private checkEnumLiteral(expr: Extract<UExpr, { kind: 'enum' }>, env: Env): TExpr {
		const { enumName, variant, span } = expr;
		const def = this.enums.get(enumName);
		if (!def) fail(`Unknown enum '${enumName}::${variant}'`, span);
		const declared = def.variants.find((v) => v.name === variant);
		if (!declared) fail(`Unknown enum variant '${enumName}::${variant}'`, span);
		const ty: Type = { kind: 'enum', name: enumName };
		if (expr.fields === null) {
			if (declared.fields !== null) fail('Expected a tuple variant, but found a variant without fields', span);
			return typed({ kind: 'enum', enumName, variant, fields: null }, ty, span);
		}
		if (declared.fields === null) fail('Expected a variant without fields, but found a tuple variant', span);
		const types = declared.fields;
		if (expr.fields.length !== types.length) fail(wrongArity(types.length, expr.fields.length), span);
		const errors: Errors = [];
		const fields: TExpr[] = [];
		expr.fields.forEach((field, i) => {
			const checked = attempt(errors, () => this.checkExpr(field, env));
			if (!checked) return;
			attempt(errors, () => checkType(checked, types[i]));
			fields.push(checked);
		});
		throwIfAny(errors);
		return typed({ kind: 'enum', enumName, variant, fields }, ty, span);
	}

	private checkMatch(expr: Extract<UExpr, { kind: 'match' }>, env: Env): TExpr {
		const { span } = expr;
		const scrutinee = this.checkExpr(expr.scrutinee, env);
		const ty = scrutinee.ty;
		if (isArrayType(ty)) fail(`Type ${typeText(ty)} does not support pattern matching`, span);
		const errors: Errors = [];
		const clauses: { pattern: TPattern; body: TExpr }[] = [];
		for (const clause of expr.clauses) {
			env.scoped(() => {
				const pattern = attempt(errors, () => this.checkPattern(clause.pattern, env, ty));
				const body = attempt(errors, () => this.checkExpr(clause.body, env));
				if (pattern && body) clauses.push({ pattern, body });
			});
		}
		throwIfAny(errors);
		const resultTy = dominantType(clauses.map((c) => c.body.ty));
		for (const { body } of clauses) {
			if (typesEqual(body.ty, resultTy)) continue;
			if (resultTy.kind === 'unsigned') checkOrConstrainUnsigned(body, resultTy.num);
			else if (resultTy.kind === 'signed') checkOrConstrainSigned(body, resultTy.num);
			else errors.push({ message: unexpectedType(resultTy, body.ty), span: body.span });
		}
		const missing = missingCases(
			clauses.map((c) => c.pattern),
			ty,
			this
		);
		if (missing.length > 0) {
			const cases = missing.map((m) => `  ${m}\n\n`).join('');
			errors.push({ message: `The patterns are not exhaustive. Missing cases:\n\n${cases}...in expression`, span });
		}
		throwIfAny(errors);
		return typed({ kind: 'match', scrutinee, clauses }, resultTy, span);
	}

	private checkStructLiteral(expr: Extract<UExpr, { kind: 'struct' }>, env: Env): TExpr {
		const { name, span } = expr;
		const fields = this.checkStructFields(name, span, expr.fields, true, (value, fieldTy) => {
			const checked = this.checkExpr(value, env);
			checkType(checked, fieldTy);
			return checked;
		});
		return typed({ kind: 'struct', name, fields }, { kind: 'struct', name }, span);
	}

	/** Checks the fields given for a struct (literal or pattern), reporting unknown and missing ones. */
	private checkStructFields<V, R>(
		name: string,
		span: Span,
		given: readonly (readonly [string, V])[],
		requireAll: boolean,
		checkField: (value: V, ty: Type) => R
	): [string, R][] {
		const def = this.structs.get(name);
		if (!def) fail(`Unknown struct '${name}'`, span);
		const declared = new Map(def.fields);
		const errors: Errors = [];
		const fields: [string, R][] = [];
		for (const [field, value] of given) {
			const fieldTy = declared.get(field);
			if (!fieldTy) {
				errors.push({ message: `Struct '${name}' does not have a field '${field}'`, span });
				continue;
			}
			const checked = attempt(errors, () => checkField(value, fieldTy));
			if (checked !== undefined) fields.push([field, checked]);
		}
		if (requireAll) {
			const present = new Set(given.map(([field]) => field));
			for (const [field] of def.fields) {
				if (!present.has(field)) errors.push({ message: `Field '${field}' is missing for struct '${name}'`, span });
			}
		}
		throwIfAny(errors);
		return fields;
	}

	/** Checks a pattern against the type of the value it destructures, binding its names. */
	private checkPattern(pattern: UPattern, env: Env, ty: Type | null): TPattern {
		const { span } = pattern;
		const needType = (): Type => (ty === null ? failQuietly() : ty);
		let checked: Fields<TPattern>;
		switch (pattern.kind) {
			case 'ident':
				env.declare(pattern.name, ty, false);
				checked = { kind: 'ident', name: pattern.name };
				break;
			case 'true':
			case 'false': {
				const actual = needType();
				if (actual.kind !== 'bool') fail(unexpectedType(BOOL, actual), span);
				checked = { kind: pattern.kind };
				break;
			}
			case 'unsigned':
			case 'unsignedRange':
				expectNumber(needType(), span);
				checked = pattern;
				break;
			case 'signed':
			case 'signedRange':
				expectSignedNumber(needType(), span);
				checked = pattern;
				break;
			case 'tuple':
				checked = { kind: 'tuple', elems: this.checkTuplePattern(pattern.elems, env, ty, span) };
				break;
			case 'struct':
				checked = { kind: 'struct', name: pattern.name, fields: this.checkStructPattern(pattern, env, ty), ignoreRest: pattern.ignoreRest };
				break;
			case 'enumUnit':
			case 'enumTuple':
				checked = this.checkEnumPattern(pattern, env, ty);
				break;
		}
		return typedPattern(checked, needType(), span);
	}

	private checkTuplePattern(elems: readonly UPattern[], env: Env, ty: Type | null, span: Span): TPattern[] {
		if (ty === null) {
			const errors: Errors = [null];
			for (const elem of elems) attempt(errors, () => this.checkPattern(elem, env, null));
			throw new CheckFailure(errors);
		}
		const types = expectTuple(ty, span);
		if (types.length !== elems.length) fail(wrongArity(types.length, elems.length), span);
		return this.checkPatterns(elems, env, types);
	}

	private checkPatterns(patterns: readonly UPattern[], env: Env, types: readonly Type[]): TPattern[] {
		const errors: Errors = [];
		const out: TPattern[] = [];
		patterns.forEach((p, i) => {
			const checked = attempt(errors, () => this.checkPattern(p, env, types[i]));
			if (checked) out.push(checked);
		});
		throwIfAny(errors);
		return out;
	}

	private checkStructPattern(pattern: Extract<UPattern, { kind: 'struct' }>, env: Env, ty: Type | null): [string, TPattern][] {
		const { name, span } = pattern;
		if (ty !== null && expectStruct(ty, span) !== name) fail(unexpectedType(ty, { kind: 'struct', name }), span);
		return this.checkStructFields(name, span, pattern.fields, !pattern.ignoreRest, (p, fieldTy) => this.checkPattern(p, env, fieldTy));
	}

	private checkEnumPattern(pattern: Extract<UPattern, { kind: 'enumUnit' | 'enumTuple' }>, env: Env, ty: Type | null): Fields<TPattern> {
		const { enumName, variant, span } = pattern;
		if (ty !== null && !(ty.kind === 'enum' && ty.name === enumName)) fail(unexpectedType({ kind: 'enum', name: enumName }, ty), span);
		const def = this.enums.get(enumName);
		if (!def) fail(`Unknown enum '${enumName}::${variant}'`, span);
		const declared = def.variants.find((v) => v.name === variant);
		if (!declared) fail(`Unknown enum variant '${enumName}::${variant}'`, span);
		if (pattern.kind === 'enumUnit') {
			if (declared.fields !== null) fail('Expected a tuple variant, but found a variant without fields', span);
			return { kind: 'enumUnit', enumName, variant };
		}
		if (declared.fields === null) fail('Expected a variant without fields, but found a tuple variant', span);
		if (declared.fields.length !== pattern.fields.length) fail(wrongArity(declared.fields.length, pattern.fields.length), span);
		return { kind: 'enumTuple', enumName, variant, fields: this.checkPatterns(pattern.fields, env, declared.fields) };
	}
}

function wrongArgs(expected: number, actual: number): string {
	return `The function expects ${expected} parameter(s), but was called with ${actual} argument(s)`;
}

function wrongArity(expected: number, actual: number): string {
	return `Expected a variant with ${expected} fields, but found ${actual} fields`;
}

/** `let mut x = 5;` makes `x` an i32, as do unsuffixed numbers directly inside arrays and tuples. */
function constrainToI32(value: TExpr): void {
	if (value.ty.kind === 'unsigned' || value.ty.kind === 'signed') {
		if (value.ty.num === 'unspecified') checkOrConstrainSigned(value, 'i32');
	}
	if (value.kind === 'array' || value.kind === 'tuple') value.elems.forEach(constrainToI32);
	else if (value.kind === 'arrayRepeat' || value.kind === 'arrayRepeatConst') constrainToI32(value.elem);
	const ty = value.ty;
	const isLiteralNum = (t: Type): boolean => isNumberType(t) && t.num === 'unspecified';
	if ((ty.kind === 'array' || ty.kind === 'arrayConst') && isLiteralNum(ty.elem)) value.ty = { ...ty, elem: { kind: 'signed', num: 'i32' } };
	if (ty.kind === 'tuple' && ty.elems.some(isLiteralNum)) {
		value.ty = { kind: 'tuple', elems: ty.elems.map((t) => (isLiteralNum(t) ? ({ kind: 'signed', num: 'i32' } as Type) : t)) };
	}
}

/** The size of `join(a, b)`: `a.len + b.len - 1`, spelled as garble-lang spells it. */
function joinSize(a: Type, b: Type, span: Span): ConstExpr {
	const size = (ty: Type): ConstExpr => {
		if (ty.kind === 'array') return { kind: 'unsigned', value: BigInt(ty.size), num: 'usize', span: NO_SPAN };
		if (ty.kind === 'arrayConst') return { kind: 'ident', name: ty.size, span: NO_SPAN };
		if (ty.kind === 'arrayConstExpr') return ty.size;
		return fail(`Expected an array type, but found ${typeText(ty)}`, span);
	};
	const sum: ConstExpr = { kind: 'add', left: size(a), right: size(b), span: NO_SPAN };
	return { kind: 'sub', left: sum, right: { kind: 'unsigned', value: 1n, num: 'usize', span: NO_SPAN }, span: NO_SPAN };
}
