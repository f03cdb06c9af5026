/**
 * Code generation: a checked function body → a word of output wires, with every panic site
 * recorded. Function calls are inlined and loops unrolled. Conditional code (`if`, `match`,
 * `&&`/`||`, joined rows) runs under a path condition: its panics only count when the path is
 * taken, and variables it assigns are merged afterwards, with gates only for bits that differ.
 */
import type { FnDef, TExpr, TPattern, TStmt } from '../ast';
import type { TypedProgram } from '../check/check';
import { enumTagBits, placed, variantIndex, type Layout } from '../layout';
import type { Span } from '../span';
import { BOOL, isArrayType, USIZE, type Type } from '../types';
import type { Gates, Wire } from '../circuit/gates';
import { Scopes, selectWord, type Var, type Word } from './env';
import { bitonicSort, mergeTables, type Table } from './join';
import { Panics, type PanicReason } from './panics';
import { coerce, isSigned } from './coerce';

const U8: Type = { kind: 'unsigned', num: 'u8' };

export class Codegen {
	readonly panics: Panics;
	private env = new Scopes();
	/** 1 when the code being generated is actually evaluated. */
	private path: Wire;

	constructor(
		private readonly gates: Gates,
		private readonly layout: Layout,
		private readonly program: TypedProgram,
		/** Values of the top-level constants. */
		private readonly consts: ReadonlyMap<string, Var>
	) {
		this.panics = new Panics(gates);
		this.path = gates.one;
	}

	/** The value of `fn` applied to arguments already laid out at the parameter types. */
	callFunction(fn: FnDef<Type>, args: readonly Word[]): Word {
		const callerEnv = this.env;
		this.env = new Scopes();
		try {
			fn.params.forEach((param, i) => this.env.bind(param.name, { wires: args[i], ty: param.type }));
			const { value, ty } = this.block(fn.body);
			return coerce(this.gates, this.layout, value, ty, fn.returnType);
		} finally {
			this.env = callerEnv;
		}
	}

	// ── statements ─────────────────────────────────────────────────────────────────────────

	/** Runs statements; the value is that of a final expression statement (else unit). */
	private block(stmts: readonly TStmt[]): { value: Word; ty: Type } {
		let result: { value: Word; ty: Type } = { value: [], ty: { kind: 'tuple', elems: [] } };
		// A value too large to lay out is reported at the innermost statement that makes it.
		stmts.forEach((stmt, i) =>
			placed(stmt.span, () => {
				if (stmt.kind === 'expr') {
					const value = this.expr(stmt.expr);
					if (i === stmts.length - 1) result = { value, ty: stmt.expr.ty };
				} else this.stmt(stmt);
			})
		);
		return result;
	}

	private stmt(stmt: Exclude<TStmt, { kind: 'expr' }>): void {
		switch (stmt.kind) {
			case 'let':
				this.bindPattern(stmt.pattern, this.expr(stmt.value));
				return;
			case 'letMut':
				this.env.bind(stmt.name, { wires: this.expr(stmt.value), ty: stmt.value.ty });
				return;
			case 'assign':
				this.assign(stmt);
				return;
			case 'for': {
				const iterable = stmt.iterable.ty;
				if (!isArrayType(iterable)) throw new Error('for loop over a non-array');
				const array = this.expr(stmt.iterable);
				const bits = this.layout.bits(iterable.elem);
				for (let i = 0; i < this.layout.arrayLength(iterable); i++) {
					this.env.scoped(() => {
						this.bindPattern(stmt.pattern, array.slice(i * bits, (i + 1) * bits));
						this.block(stmt.body);
					});
				}
				return;
			}
			case 'joinFor':
				this.joinLoop(stmt);
				return;
		}
	}

	private assign(stmt: Extract<TStmt, { kind: 'assign' }>): void {
		const variable = this.env.get(stmt.name);
		if (!variable) throw new Error(`assignment to unknown variable ${stmt.name}`);
		// Walk down to the assigned part, remembering how to put each level back together.
		const rebuild: ((inner: Word) => Word)[] = [];
		let current: Word = variable.wires;
		let ty: Type = variable.ty;
		for (const access of stmt.accessors) {
			const container = current;
			if (access.kind === 'index') {
				if (!isArrayType(ty)) throw new Error('index into a non-array');
				const elemBits = this.layout.bits(ty.elem);
				const index = this.exprAs(access.index, USIZE);
				current = this.arrayGet(container, elemBits, index, stmt.span);
				// Only the variable's own wires may be updated in place, checked once the value (which may read the variable) is built.
				const outermost = rebuild.length === 0;
				rebuild.push((inner) => this.arraySet(container, elemBits, index, inner, stmt.span, outermost && this.env.owns(container)));
				ty = ty.elem;
			} else if (access.kind === 'tupleField') {
				if (ty.kind !== 'tuple') throw new Error('field of a non-tuple');
				const offset = ty.elems.slice(0, access.index).reduce((sum, t) => sum + this.layout.bits(t), 0);
				const bits = this.layout.bits(ty.elems[access.index]);
				current = container.slice(offset, offset + bits);
				rebuild.push((inner) => [...container.slice(0, offset), ...inner, ...container.slice(offset + bits)]);
				ty = ty.elems[access.index];
			} else {
				if (ty.kind !== 'struct') throw new Error('field of a non-struct');
				const { offset, bits, fieldTy } = this.structField(ty.name, access.field);
				current = container.slice(offset, offset + bits);
				rebuild.push((inner) => [...container.slice(0, offset), ...inner, ...container.slice(offset + bits)]);
				ty = fieldTy;
			}
		}
		let value = this.exprAs(stmt.value, ty);
		for (let i = rebuild.length - 1; i >= 0; i--) value = rebuild[i](value);
		// Putting a part back builds a new container (or updates an owned one): the variable's alone.
		this.env.assign(stmt.name, value, rebuild.length > 0);
	}

	/** An array expression as a table of rows. */
	private table(e: TExpr): Table {
		if (!isArrayType(e.ty)) throw new Error('join of a non-array');
		return { wires: this.expr(e), rowBits: this.layout.bits(e.ty.elem), rows: this.layout.arrayLength(e.ty) };
	}

	private joinLoop(stmt: Extract<TStmt, { kind: 'joinFor' }>): void {
		const a = this.table(stmt.left);
		const b = this.table(stmt.right);
		for (const pair of mergeTables(this.gates, this.layout.bits(stmt.joinType), a, b)) {
			this.conditionally([
				{
					sel: pair.matched,
					run: () =>
						this.env.scoped(() => {
							this.bindPattern(stmt.pattern, [...pair.left, ...pair.right]);
							this.block(stmt.body);
						})
				}
			]);
		}
	}

	/**
	 * Runs alternative pieces of code, exactly one of which is really taken (the one whose
	 * `sel` is 1; the last one when none is), and merges the variables they assign. With a
	 * single piece, "the other alternative" is to do nothing.
	 */
	private conditionally<T>(branches: readonly { sel: Wire; run: () => T }[]): T[] {
		const before = this.env.snapshot();
		const outerPath = this.path;
		const results: T[] = [];
		const states: { sel: Wire; state: ReturnType<Scopes['snapshot']> }[] = [];
		try {
			for (const { sel, run } of branches) {
				this.env.restore(before);
				this.path = this.gates.and(outerPath, sel);
				results.push(run());
				states.push({ sel, state: this.env.snapshot() });
			}
		} finally {
			this.path = outerPath;
		}
		if (branches.length === 1) states.push({ sel: this.gates.not(branches[0].sel), state: before });
		this.env.merge(this.gates, before, states);
		return results;
	}

	// ── expressions ────────────────────────────────────────────────────────────────────────

	/** The value of `e` laid out at type `ty` (which may differ from `e.ty` in number widths). */
	private exprAs(e: TExpr, ty: Type): Word {
		return coerce(this.gates, this.layout, this.expr(e), e.ty, ty);
	}

	/**
	 * Variable or constant `name` laid out at `ty`. A value read `whole` may be kept by the
	 * reader; otherwise it is only read from, and a variable keeps its wires as its own.
	 */
	private identifier(name: string, ty: Type, whole: boolean): Word {
		const v = (whole ? this.env.read(name) : this.env.get(name)) ?? this.consts.get(name);
		if (!v) throw new Error(`unknown variable ${name}`);
		return coerce(this.gates, this.layout, v.wires, v.ty, ty);
	}

	/** The value of `e`, laid out at `e.ty`. */
	private expr(e: TExpr): Word {
		const g = this.gates;
		const ty = e.ty;
		switch (e.kind) {
			case 'true':
				return [g.one];
			case 'false':
				return [g.zero];
			case 'unsigned':
			case 'signed':
				return g.constantWord(e.value, this.layout.bits(ty));
			case 'ident':
				return this.identifier(e.name, ty, true);
			case 'array': {
				const elem = this.elemType(ty);
				return e.elems.flatMap((x) => this.exprAs(x, elem));
			}
			case 'arrayRepeat':
			case 'arrayRepeatConst': {
				if (!isArrayType(ty)) throw new Error('array literal of a non-array type');
				// Its size is checked before its wires are made.
				this.layout.bits(ty);
				const elem = this.exprAs(e.elem, ty.elem);
				const out: Wire[] = [];
				for (let i = 0; i < this.layout.arrayLength(ty); i++) out.push(...elem);
				return out;
			}
			case 'range': {
				this.layout.bits(ty);
				const bits = this.layout.bits(this.elemType(ty));
				const out: Wire[] = [];
				for (let n = e.from; n < e.to; n++) out.push(...g.constantWord(n, bits));
				return out;
			}
			case 'index': {
				const arrayTy = e.array.ty;
				if (!isArrayType(arrayTy)) throw new Error('index into a non-array');
				// arrayGet keeps nothing of the array: reading an element leaves a variable its wires.
				const array = e.array.kind === 'ident' ? this.identifier(e.array.name, arrayTy, false) : this.expr(e.array);
				const index = this.exprAs(e.index, USIZE);
				const value = this.arrayGet(array, this.layout.bits(arrayTy.elem), index, e.span);
				return coerce(g, this.layout, value, arrayTy.elem, ty);
			}
			case 'tuple': {
				if (ty.kind !== 'tuple') throw new Error('tuple literal of a non-tuple type');
				return e.elems.flatMap((x, i) => this.exprAs(x, ty.elems[i]));
			}
			case 'tupleField': {
				const tupleTy = e.tuple.ty;
				if (tupleTy.kind !== 'tuple') throw new Error('field of a non-tuple');
				const tuple = this.expr(e.tuple);
				const offset = tupleTy.elems.slice(0, e.index).reduce((sum, t) => sum + this.layout.bits(t), 0);
				const fieldTy = tupleTy.elems[e.index];
				return coerce(g, this.layout, tuple.slice(offset, offset + this.layout.bits(fieldTy)), fieldTy, ty);
			}
			case 'structField': {
				if (e.struct.ty.kind !== 'struct') throw new Error('field of a non-struct');
				const { offset, bits, fieldTy } = this.structField(e.struct.ty.name, e.field);
				return coerce(g, this.layout, this.expr(e.struct).slice(offset, offset + bits), fieldTy, ty);
			}
			case 'struct': {
				const given = new Map(e.fields);
				return this.layout.structDef(e.name).fields.flatMap(([name, fieldTy]) => this.exprAs(given.get(name)!, fieldTy));
			}
			case 'enum':
				return this.enumValue(e);
			case 'unary': {
				const operand = this.exprAs(e.operand, ty);
				return e.op === 'neg' ? g.negate(operand) : operand.map((w) => g.not(w));
			}
			case 'binary':
				return this.binary(e);
			case 'block':
				return this.env.scoped(() => {
					const { value, ty: valueTy } = this.block(e.stmts);
					return coerce(g, this.layout, value, valueTy, ty);
				});
			case 'call': {
				const fn = this.program.fns.get(e.name);
				if (!fn) throw new Error(`unknown function ${e.name}`);
				const args = e.args.map((arg, i) => this.exprAs(arg, fn.params[i].type));
				return coerce(g, this.layout, this.callFunction(fn, args), fn.returnType, ty);
			}
			case 'join':
				return this.joinCall(e);
			case 'if': {
				const cond = this.exprAs(e.cond, BOOL)[0];
				const [then, otherwise] = this.conditionally([
					{ sel: cond, run: () => this.exprAs(e.then, ty) },
					{ sel: g.not(cond), run: () => this.exprAs(e.else, ty) }
				]);
				return selectWord(g, otherwise, [{ sel: cond, value: then }]);
			}
			case 'match':
				return this.match(e);
			case 'cast':
				return this.cast(this.expr(e.operand), e.operand.ty, e.target);
		}
	}

	private elemType(ty: Type): Type {
		if (!isArrayType(ty)) throw new Error('expected an array type');
		return ty.elem;
	}

	private structField(structName: string, field: string): { offset: number; bits: number; fieldTy: Type } {
		let offset = 0;
		for (const [name, fieldTy] of this.layout.structDef(structName).fields) {
			const bits = this.layout.bits(fieldTy);
			if (name === field) return { offset, bits, fieldTy };
			offset += bits;
		}
		throw new Error(`no field ${field} in struct ${structName}`);
	}

	private enumValue(e: Extract<TExpr, { kind: 'enum' }>): Word {
		const g = this.gates;
		const def = this.layout.enumDef(e.enumName);
		const index = variantIndex(def, e.variant);
		const out = g.constantWord(index, enumTagBits(def));
		const fieldTypes = def.variants[index].fields ?? [];
		e.fields?.forEach((field, i) => out.push(...this.exprAs(field, fieldTypes[i])));
		const bits = this.layout.bits(e.ty);
		while (out.length < bits) out.push(g.zero);
		return out;
	}

	private cast(value: Word, from: Type, to: Type): Word {
		if (to.kind === 'bool') return [value[value.length - 1]];
		return this.gates.resize(value, this.layout.bits(to), isSigned(from));
	}

	private binary(e: Extract<TExpr, { kind: 'binary' }>): Word {
		const g = this.gates;
		const { op, span, ty } = e;
		switch (op) {
			case 'andand':
			case 'oror': {
				const x = this.exprAs(e.left, BOOL)[0];
				// The right operand's panics only count when it decides the result.
				const sel = op === 'andand' ? x : g.not(x);
				const [y] = this.conditionally([{ sel, run: () => this.exprAs(e.right, BOOL)[0] }]);
				return [op === 'andand' ? g.and(x, y) : g.or(x, y)];
			}
			case 'eq':
			case 'ne':
			case 'lt':
			case 'gt':
			case 'le':
			case 'ge': {
				const operandTy = e.left.ty;
				const x = this.expr(e.left);
				const y = this.exprAs(e.right, operandTy);
				return [this.compare(op, x, y, isSigned(operandTy))];
			}
			case 'shl':
			case 'shr': {
				const x = this.exprAs(e.left, ty);
				const amount = this.exprAs(e.right, U8);
				const { result, overflow } = g.shift(x, amount, op === 'shl', isSigned(ty));
				this.panicIf(overflow, 'Overflow', span);
				return result;
			}
		}
		const x = this.exprAs(e.left, ty);
		const y = this.exprAs(e.right, ty);
		const signed = isSigned(ty);
		switch (op) {
			case 'and':
				return x.map((w, i) => g.and(w, y[i]));
			case 'or':
				return x.map((w, i) => g.or(w, y[i]));
			case 'xor':
				return x.map((w, i) => g.xor(w, y[i]));
			case 'add':
			case 'sub':
			case 'mul': {
				const { result, overflow } = op === 'add' ? g.add(x, y, signed) : op === 'sub' ? g.sub(x, y, signed) : g.mul(x, y, signed);
				this.panicIf(overflow, 'Overflow', span);
				return result;
			}
			case 'div':
			case 'rem': {
				const { quotient, remainder, divByZero } = g.divRem(x, y, signed);
				this.panicIf(divByZero, 'Division By Zero', span);
				return op === 'div' ? quotient : remainder;
			}
		}
	}

	private compare(op: 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge', x: Word, y: Word, signed: boolean): Wire {
		const g = this.gates;
		switch (op) {
			case 'eq':
				return g.equal(x, y);
			case 'ne':
				return g.not(g.equal(x, y));
			case 'lt':
				return g.lessThan(x, y, signed);
			case 'gt':
				return g.lessThan(y, x, signed);
			case 'le':
				return g.not(g.lessThan(y, x, signed));
			case 'ge':
				return g.not(g.lessThan(x, y, signed));
		}
	}

	private arrayGet(array: Word, elemBits: number, index: Word, span: Span): Word {
		const { result, outOfBounds } = this.gates.arrayGet(array, elemBits, index);
		this.panicIf(outOfBounds, 'Array Access Out Of Bounds', span);
		return result;
	}

	private arraySet(array: Word, elemBits: number, index: Word, value: Word, span: Span, owned: boolean): Word {
		const { result, outOfBounds } = this.gates.arraySet(array, elemBits, index, value, owned);
		this.panicIf(outOfBounds, 'Array Access Out Of Bounds', span);
		return result;
	}

	private panicIf(cond: Wire, reason: PanicReason, span: Span): void {
		this.panics.record(cond, this.path, reason, span);
	}

	private match(e: Extract<TExpr, { kind: 'match' }>): Word {
		const g = this.gates;
		const scrutinee = this.expr(e.scrutinee);
		// A clause is taken when its pattern matches and no earlier one did.
		let earlier = g.zero;
		const branches = e.clauses.map((clause) => {
			const bindings = new Scopes();
			const matches = this.patternMatches(clause.pattern, scrutinee, bindings);
			const sel = g.and(matches, g.not(earlier));
			earlier = g.or(earlier, matches);
			return {
				sel,
				run: () =>
					this.env.scoped(() => {
						this.bindAll(bindings);
						return this.exprAs(clause.body, e.ty);
					})
			};
		});
		const values = this.conditionally(branches);
		const last = values[values.length - 1];
		return selectWord(
			g,
			last,
			values.slice(0, -1).map((value, i) => ({ sel: branches[i].sel, value }))
		);
	}

	// ── patterns ───────────────────────────────────────────────────────────────────────────

	/** Binds the names of an irrefutable pattern (`let`, `for`) to parts of `value`. */
	private bindPattern(pattern: TPattern, value: Word): void {
		const bindings = new Scopes();
		this.patternMatches(pattern, value, bindings);
		this.bindAll(bindings);
	}

	private bindAll(bindings: Scopes): void {
		for (const scope of bindings.snapshot()) for (const [name, v] of scope) this.env.bind(name, v);
	}

	/** The wire that is 1 when `value` matches `pattern`; the pattern's names go to `bindings`. */
	private patternMatches(pattern: TPattern, value: Word, bindings: Scopes): Wire {
		const g = this.gates;
		const ty = pattern.ty;
		switch (pattern.kind) {
			case 'ident':
				bindings.bind(pattern.name, { wires: value, ty });
				return g.one;
			case 'true':
				return value[0];
			case 'false':
				return g.not(value[0]);
			case 'unsigned':
			case 'signed':
				return g.equal(value, g.constantWord(pattern.value, value.length));
			case 'unsignedRange':
			case 'signedRange':
				return this.inRange(value, pattern.min, pattern.max, ty);
			case 'tuple': {
				if (ty.kind !== 'tuple') throw new Error('tuple pattern of a non-tuple');
				let offset = 0;
				let all = g.one;
				pattern.elems.forEach((elem, i) => {
					const bits = this.layout.bits(ty.elems[i]);
					all = g.and(all, this.patternMatches(elem, value.slice(offset, offset + bits), bindings));
					offset += bits;
				});
				return all;
			}
			case 'struct': {
				let all = g.one;
				for (const [field, sub] of pattern.fields) {
					const { offset, bits } = this.structField(pattern.name, field);
					all = g.and(all, this.patternMatches(sub, value.slice(offset, offset + bits), bindings));
				}
				return all;
			}
			case 'enumUnit':
			case 'enumTuple': {
				const def = this.layout.enumDef(pattern.enumName);
				const index = variantIndex(def, pattern.variant);
				const tagBits = enumTagBits(def);
				let all = g.equal(value.slice(0, tagBits), g.constantWord(index, tagBits));
				if (pattern.kind === 'enumTuple') {
					let offset = tagBits;
					pattern.fields.forEach((field, i) => {
						const bits = this.layout.bits(def.variants[index].fields![i]);
						all = g.and(all, this.patternMatches(field, value.slice(offset, offset + bits), bindings));
						offset += bits;
					});
				}
				return all;
			}
		}
	}

	/** min ≤ value ≤ max, skipping a bound that holds for every value of the type. */
	private inRange(value: Word, min: bigint, max: bigint, ty: Type): Wire {
		const g = this.gates;
		const bits = value.length;
		const signed = isSigned(ty);
		const lowest = signed ? -(1n << BigInt(bits - 1)) : 0n;
		const highest = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
		if (max < min || min > highest || max < lowest) return g.zero;
		const aboveMin = min <= lowest ? g.one : g.not(g.lessThan(value, g.constantWord(min, bits), signed));
		const belowMax = max >= highest ? g.one : g.not(g.lessThan(g.constantWord(max, bits), value, signed));
		return g.and(aboveMin, belowMax);
	}

	// ── the join built-in ──────────────────────────────────────────────────────────────────

	private joinCall(e: Extract<TExpr, { kind: 'join' }>): Word {
		const g = this.gates;
		if (!e.joinType) throw new Error('join without a join type');
		const a = this.table(e.args[0]);
		const b = this.table(e.args[1]);
		// Each pair becomes (joined?, row of a[, row of b]), zeroed when not joined; sorting on the
		// flag then hides where the joined rows were.
		const rows: Word[] = mergeTables(g, this.layout.bits(e.joinType), a, b).map(({ matched, left: x, right: y }) => {
			const data = e.withData ? [...x, ...y] : x;
			return [matched, ...data.map((w) => g.and(w, matched))];
		});
		bitonicSort(g, 1, rows);
		return rows.flat();
	}
}
