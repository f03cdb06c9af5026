import type {
	Accessor,
	BinaryOp,
	ConstDef,
	ConstExpr,
	EnumDef,
	FnDef,
	MatchClause,
	Param,
	Program,
	StructDef,
	UExpr,
	UPattern,
	UStmt,
	Variant
} from './ast';
import { joinSpans, NO_SPAN, type Span } from './span';
import { isKeyword, isPunct, unsignedNumName, type Keyword, type Punct, type Token, type UnsignedNum } from './token';
import type { Type } from './types';

export interface ParseError {
	readonly message: string;
	readonly span: Span;
}

/** Thrown to unwind to the nearest recovery point; the error itself is already recorded. */
class ParseFailure {}
const FAILURE = new ParseFailure();

/**
 * How deep a program (or an input literal) may nest. Brackets, blocks, `else if`, unary
 * operators, types and patterns count one level each, and so does each operator of a chain
 * (`a + b + c` is two deep), each index or field access and each cast: what makes the syntax
 * tree deep. Parsing, type checking and compiling recurse over it, and this bound keeps every
 * stage within the stack of a browser's Worker (about 6,600 JavaScript frames in Chromium,
 * 11,400 in Node), the same for every party; real programs nest a few dozen levels.
 */
export const MAX_NESTING = 128;

/** Thrown where the program nests deeper than MAX_NESTING: ends the whole parse. */
class TooDeep {
	constructor(readonly span: Span) {}
}

const TOO_DEEP = `Nested more than ${MAX_NESTING} levels deep (brackets, blocks, unary operators and each operator of a chain count one level): split it with let bindings or functions`;

/** Runs a whole parse; where it nests too deep, the error and no result. */
function guarded<T>(parser: Parser, parse: () => T): T | undefined {
	try {
		return parse();
	} catch (error) {
		if (!(error instanceof TooDeep)) throw error;
		parser.errors.push({ message: TOO_DEEP, span: error.span });
		return undefined;
	}
}

const TOP_LEVEL_KEYWORDS: readonly Keyword[] = ['pub', 'fn', 'struct', 'enum', 'const'];

const COMPOUND_ASSIGN: Partial<Record<Punct, BinaryOp>> = {
	'+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '%=': 'rem',
	'^=': 'xor', '&=': 'and', '|=': 'or', '>>=': 'shr', '<<=': 'shl'
};

const MESSAGES = {
	invalidTopLevelDef: 'Not a valid top level declaration (struct/enum/const/fn)',
	invalidArraySize: `Invalid array size (must be a constant number <= ${0xffff_ffff_ffff_ffffn})`,
	invalidRangeExpr: 'Invalid range expression',
	invalidPattern: 'Invalid pattern',
	invalidLiteral: 'Invalid literal',
	invalidConstExpr: 'Invalid const expr',
	expectedStmt: 'Expected a statement',
	expectedExpr: 'Expected an expression',
	expectedIdentifier: 'Expected an identifier',
	expectedFieldAccess: 'Expected a method call or field access'
};

type Fields<N> = N extends unknown ? Omit<N, 'span' | 'ty'> : never;

/**
 * `fields`, a fresh object literal at every call, completed in place: a spread into a new object
 * takes V8's slow path once the expressions' many shapes meet in it, and a long input literal
 * is a node per element.
 */
function spanned(fields: Fields<UExpr>, span: Span): UExpr {
	return Object.assign(fields, { span, ty: undefined }) as UExpr;
}

function spannedPattern(fields: Fields<UPattern>, span: Span): UPattern {
	return { ...fields, span, ty: undefined } as UPattern;
}

/** Parses the tokens of a whole program. All parse errors are collected, as garble-lang does. */
export function parseProgram(tokens: Token[]): { program: Program<undefined>; errors: ParseError[] } {
	const parser = new Parser(tokens);
	const program = guarded(parser, () => parser.program()) ?? { consts: new Map(), structs: new Map(), enums: new Map(), fns: new Map() };
	return { program, errors: parser.errors };
}

/** Parses an input literal (`[1u8, 2u8]`, `Point { x: 1i32, y: 2i32 }`, …). */
export function parseLiteral(tokens: Token[]): { expr: UExpr | null; errors: ParseError[] } {
	const parser = new Parser(tokens);
	return { expr: guarded(parser, () => parser.literalInput()) ?? null, errors: parser.errors };
}

class Parser {
	readonly errors: ParseError[] = [];
	private pos = 0;
	private structLiteralsAllowed = true;
	/** Nesting levels open now (see MAX_NESTING). */
	private depth = 0;

	constructor(private readonly tokens: Token[]) {}

	program(): Program<undefined> {
		const program: Program<undefined> = { consts: new Map(), structs: new Map(), enums: new Map(), fns: new Map() };
		let pubSpan: Span | null = null;
		for (let token = this.advance(); token !== undefined; token = this.advance()) {
			if (isKeyword(token, 'pub') && pubSpan === null) {
				pubSpan = token.span;
				continue;
			}
			const definition = (parse: () => void): void => {
				if (this.attempt(parse) === undefined) this.consumeUntilOneOf([], TOP_LEVEL_KEYWORDS);
				pubSpan = null;
			};
			if (isKeyword(token, 'const')) definition(() => this.constDef(token.span, program.consts));
			else if (isKeyword(token, 'struct')) definition(() => this.structDef(token.span, program.structs));
			else if (isKeyword(token, 'enum')) definition(() => this.enumDef(token.span, program.enums));
			else if (isKeyword(token, 'fn')) {
				const isPub = pubSpan !== null;
				const start = pubSpan ?? token.span;
				definition(() => {
					const fn = this.fnDef(isPub, start);
					program.fns.set(fn.name, fn);
				});
			} else {
				this.errorAt(MESSAGES.invalidTopLevelDef, token.span);
				this.consumeUntilOneOf([], TOP_LEVEL_KEYWORDS);
			}
		}
		return program;
	}

	literalInput(): UExpr | null {
		const first = this.advance();
		if (first === undefined) {
			this.errors.push({ message: MESSAGES.invalidLiteral, span: NO_SPAN });
			return null;
		}
		const expr = this.attempt(() => this.literal(first, true));
		if (expr === undefined) return null;
		const rest = this.peekToken();
		if (rest !== undefined) {
			this.errors.push({ message: 'Unexpected input after the literal', span: rest.span });
			return null;
		}
		return expr;
	}

	// ── top-level definitions ──────────────────────────────────────────────────────────────

	private constDef(start: Span, into: Map<string, ConstDef>): void {
		const [name] = this.expectIdentifier();
		this.expect(':');
		const [type] = this.type();
		this.expect('=');
		const expr = this.attempt(() => this.expr());
		if (expr === undefined) {
			this.errorAt(MESSAGES.invalidTopLevelDef, start);
			throw FAILURE;
		}
		const value = this.constExprOrReport(expr);
		const end = this.expect(';');
		into.set(name, { type, value, span: joinSpans(start, end) });
	}

	private structDef(start: Span, into: Map<string, StructDef>): void {
		const [name] = this.expectIdentifier();
		this.expect('{');
		const fields: [string, Type][] = [];
		const field = (): void => {
			const [fieldName] = this.expectIdentifier();
			this.expect(':');
			fields.push([fieldName, this.type()[0]]);
		};
		if (!this.peek('}')) {
			field();
			while (this.nextMatches(',') && !this.peek('}')) field();
		}
		const end = this.expect('}');
		fields.sort(([a], [b]) => compareNames(a, b));
		into.set(name, { fields, span: joinSpans(start, end) });
	}

	private enumDef(start: Span, into: Map<string, EnumDef>): void {
		const [name] = this.expectIdentifier();
		this.expect('{');
		const variants = [this.variant()];
		while (this.nextMatches(',') && !this.peek('}')) variants.push(this.variant());
		const end = this.expect('}');
		into.set(name, { variants, span: joinSpans(start, end) });
	}

	private variant(): Variant {
		const [name] = this.expectIdentifier();
		if (!this.nextMatches('(')) return { name, fields: null };
		const fields: Type[] = [];
		// garble-lang only starts the field list with a named type (not a tuple or array).
		if (this.peekToken()?.kind === 'ident') fields.push(this.type()[0]);
		while (this.nextMatches(',') && !this.peek(')')) fields.push(this.type()[0]);
		this.expect(')');
		return { name, fields };
	}

	private fnDef(isPub: boolean, start: Span): FnDef<undefined> {
		const [name] = this.expectIdentifier();
		this.expect('(');
		const params: Param[] = [];
		if (!this.peek(')')) {
			params.push(this.param());
			while (this.nextMatches(',') && !this.peek(')')) params.push(this.param());
		}
		this.expect(')');
		this.expect('->');
		const [returnType] = this.type();
		this.expect('{');
		const body = this.stmts();
		const end = this.expect('}');
		return { isPub, name, params, returnType, body, span: joinSpans(start, end) };
	}

	private param(): Param {
		const mutable = this.nextMatches('mut');
		const [name, nameSpan] = this.expectIdentifier();
		this.expect(':');
		const [type, typeSpan] = this.type();
		return { mutable, name, type, span: joinSpans(nameSpan, typeSpan) };
	}

	// ── statements ─────────────────────────────────────────────────────────────────────────

	private stmts(): UStmt[] {
		const stmts: UStmt[] = [];
		let failed = false;
		while (
			this.peekToken() !== undefined &&
			!this.peek('}') &&
			!this.peek(',') &&
			!this.peek('pub') &&
			!this.peek('fn') &&
			!this.peek('struct') &&
			!this.peek('enum')
		) {
			const stmt = this.attempt(() => this.stmt());
			if (stmt !== undefined) {
				stmts.push(stmt);
				continue;
			}
			failed = true;
			if (this.consumeUntilOneOf([';', '}'], [])) this.advance();
			if (this.peek(';')) this.advance();
		}
		if (failed) throw FAILURE;
		return stmts;
	}

	private stmt(): UStmt {
		const letToken = this.nextMatchesToken('let');
		if (letToken) return this.letStmt(letToken.span);
		const forToken = this.nextMatchesToken('for');
		if (forToken) {
			const pattern = this.pattern();
			this.expect('in');
			this.structLiteralsAllowed = false;
			const iterable = this.expr();
			this.structLiteralsAllowed = true;
			this.expect('{');
			const body = this.stmts();
			const end = this.expect('}');
			return { kind: 'for', pattern, iterable, body, span: joinSpans(forToken.span, end) };
		}
		const conditionalOrBlock = this.peek('if') || this.peek('match') || this.peek('{');
		const expr = this.expr();
		const place = placeOf(expr);
		if (place === null) {
			if (!conditionalOrBlock) this.optionalSemicolon();
			return { kind: 'expr', expr, span: expr.span };
		}
		if (this.nextMatches('=')) {
			const value = this.expr();
			this.optionalSemicolon();
			return { kind: 'assign', name: place.name, accessors: place.accessors, value, span: joinSpans(expr.span, value.span) };
		}
		const next = this.peekToken();
		const op = next?.kind === 'punct' ? COMPOUND_ASSIGN[next.punct] : undefined;
		if (op === undefined) {
			this.optionalSemicolon();
			return { kind: 'expr', expr, span: expr.span };
		}
		this.advance();
		const value = this.expr();
		const span = joinSpans(expr.span, value.span);
		this.optionalSemicolon();
		// `a[i] += v` reads the place again: every access of the read carries the statement's span.
		let target: UExpr = spanned({ kind: 'ident', name: place.name }, expr.span);
		for (const access of place.accessors) {
			if (access.kind === 'index') target = spanned({ kind: 'index', array: target, index: access.index }, span);
			else if (access.kind === 'tupleField') target = spanned({ kind: 'tupleField', tuple: target, index: access.index }, span);
			else target = spanned({ kind: 'structField', struct: target, field: access.field }, span);
		}
		const binary = spanned({ kind: 'binary', op, left: target, right: value }, span);
		return { kind: 'assign', name: place.name, accessors: place.accessors, value: binary, span };
	}

	/** `let <pattern> = …;` or `let mut <name> = …;` (with an optional type after the binder). */
	private letStmt(start: Span): UStmt {
		const mutable = this.nextMatches('mut');
		const binder = mutable ? this.expectIdentifier()[0] : this.pattern();
		const declared = this.nextMatches(':') ? this.type()[0] : null;
		this.expect('=');
		const value = this.attempt(() => this.expr());
		if (value !== undefined) {
			const span = joinSpans(start, value.span);
			this.expect(';');
			return typeof binder === 'string'
				? { kind: 'letMut', name: binder, declared, value, span }
				: { kind: 'let', pattern: binder, declared, value, span };
		}
		if (mutable) {
			this.errorForNext(MESSAGES.expectedStmt);
			this.consumeUntilOneOf([';'], []);
			this.advance();
			this.expr();
		} else {
			this.consumeUntilOneOf([';'], []);
		}
		this.expect(';');
		throw FAILURE;
	}

	/** Statements before `}` or `,` may omit their semicolon. */
	private optionalSemicolon(): void {
		if (!this.peek('}') && !this.peek(',')) this.expect(';');
	}

	// ── expressions ────────────────────────────────────────────────────────────────────────

	private expr(): UExpr {
		const depth = this.enter();
		try {
			const open = this.nextMatchesToken('{');
			if (!open) return this.binary(0);
			const stmts = this.stmts();
			const end = this.expect('}');
			return spanned({ kind: 'block', stmts }, joinSpans(open.span, end));
		} finally {
			this.depth = depth;
		}
	}

	/** Binary operators, loosest first; each level is left-associative. */
	private static readonly LEVELS: readonly (readonly [Punct, BinaryOp][])[] = [
		[['||', 'oror']],
		[['&&', 'andand']],
		[['==', 'eq'], ['!=', 'ne']],
		[['<', 'lt'], ['>', 'gt'], ['<=', 'le'], ['>=', 'ge']],
		[['|', 'or']],
		[['^', 'xor']],
		[['&', 'and']],
		[['<<', 'shl'], ['>>', 'shr']],
		[['+', 'add'], ['-', 'sub']],
		[['*', 'mul'], ['/', 'div'], ['%', 'rem']]
	];

	/**
	 * Operators of level `minLevel` (index in LEVELS) or tighter, by precedence climbing: one
	 * call per operand instead of one per level, so that brackets cost the stack little.
	 */
	private binary(minLevel: number): UExpr {
		let left = this.cast();
		// Each operator makes the tree one level deeper for what follows in the chain.
		const depth = this.depth;
		try {
			for (;;) {
				const next = this.peekToken();
				const level = next?.kind === 'punct' ? Parser.LEVELS.findIndex((ops) => ops.some(([punct]) => punct === next.punct)) : -1;
				if (level < minLevel) return left;
				const op = Parser.LEVELS[level].find(([punct]) => punct === (next as { punct: Punct }).punct)![1];
				this.enter();
				this.advance();
				const right = this.binary(level + 1);
				left = spanned({ kind: 'binary', op, left, right }, joinSpans(left.span, right.span));
			}
		} finally {
			this.depth = depth;
		}
	}

	private cast(): UExpr {
		let expr = this.ifOrMatch();
		const depth = this.depth;
		try {
			while (this.peek('as')) {
				this.enter();
				this.advance();
				const [target, typeSpan] = this.type();
				expr = spanned({ kind: 'cast', target, operand: expr }, joinSpans(expr.span, typeSpan));
			}
			return expr;
		} finally {
			this.depth = depth;
		}
	}

	private ifOrMatch(): UExpr {
		const ifToken = this.nextMatchesToken('if');
		if (ifToken) return this.ifExpr(ifToken.span);
		const matchToken = this.nextMatchesToken('match');
		if (matchToken) return this.matchExpr(matchToken.span);
		return this.unary();
	}

	private ifExpr(start: Span): UExpr {
		this.structLiteralsAllowed = false;
		const cond = this.expr();
		this.structLiteralsAllowed = true;
		this.expect('{');
		const then = this.attempt(() => this.blockAsExpr());
		if (then === undefined) {
			this.consumeUntilOneOf(['}'], []);
			this.expect('}');
			this.expect('else');
			this.expect('{');
			this.blockAsExpr();
			this.expect('}');
			throw FAILURE;
		}
		const thenEnd = this.expect('}');
		if (!this.nextMatches('else')) {
			const span = joinSpans(start, thenEnd);
			const unit = spanned({ kind: 'tuple', elems: [] }, span);
			return spanned({ kind: 'if', cond, then, else: unit }, span);
		}
		if (this.peek('if')) {
			const elseIf = this.expr();
			return spanned({ kind: 'if', cond, then, else: elseIf }, joinSpans(start, elseIf.span));
		}
		this.expect('{');
		const otherwise = this.blockAsExpr();
		const end = this.expect('}');
		return spanned({ kind: 'if', cond, then, else: otherwise }, joinSpans(start, end));
	}

	private matchExpr(start: Span): UExpr {
		this.structLiteralsAllowed = false;
		const scrutinee = this.expr();
		this.structLiteralsAllowed = true;
		this.expect('{');
		const clauses: MatchClause<undefined>[] = [];
		let failed = false;
		let endedWithBrace = false;
		const clause = (): void => {
			const parsed = this.attempt(() => this.matchClause());
			if (parsed === undefined) {
				failed = true;
				this.consumeUntilOneOf([',', '}'], []);
				this.advance();
				return;
			}
			endedWithBrace = parsed.endsWithBrace;
			clauses.push(parsed.clause);
		};
		clause();
		while ((this.nextMatches(',') || endedWithBrace) && this.peekToken() !== undefined) {
			if (this.peek('}')) break;
			clause();
		}
		if (failed) throw FAILURE;
		const end = this.expect('}');
		return spanned({ kind: 'match', scrutinee, clauses }, joinSpans(start, end));
	}

	private matchClause(): { clause: MatchClause<undefined>; endsWithBrace: boolean } {
		const pattern = this.pattern();
		this.expect('=>');
		const stmt = this.stmt();
		const endsWithBrace =
			stmt.kind === 'expr' && (stmt.expr.kind === 'match' || stmt.expr.kind === 'block' || stmt.expr.kind === 'if');
		const body = spanned({ kind: 'block', stmts: [stmt] }, stmt.span);
		return { clause: { pattern, body }, endsWithBrace };
	}

	/** The body of an `if`/`else` branch: a single expression stays as it is. */
	private blockAsExpr(): UExpr {
		const stmts = this.stmts();
		if (stmts.length === 1 && stmts[0].kind === 'expr') return stmts[0].expr;
		if (stmts.length > 0) return spanned({ kind: 'block', stmts }, joinSpans(stmts[0].span, stmts[stmts.length - 1].span));
		return spanned({ kind: 'tuple', elems: [] }, this.peekToken()?.span ?? NO_SPAN);
	}

	private unary(): UExpr {
		for (const [punct, op] of [['!', 'not'], ['-', 'neg']] as const) {
			if (this.peek(punct)) {
				const depth = this.enter();
				try {
					const token = this.advance()!;
					const operand = this.unary();
					return spanned({ kind: 'unary', op, operand }, joinSpans(token.span, operand.span));
				} finally {
					this.depth = depth;
				}
			}
		}
		return this.primary();
	}

	private primary(): UExpr {
		const token = this.advance();
		if (token === undefined) {
			this.errorForNext(MESSAGES.expectedExpr);
			throw FAILURE;
		}
		let expr = this.primaryStart(token);
		// Each index or field access is one level deeper.
		const depth = this.depth;
		try {
			return this.accesses(expr);
		} finally {
			this.depth = depth;
		}
	}

	/** `[i]` and `.field` after an expression. */
	private accesses(start: UExpr): UExpr {
		let expr = start;
		while (this.peek('[') || this.peek('.')) {
			this.enter();
			if (this.nextMatches('[')) {
				const next = this.peekToken();
				let index: UExpr;
				if (next?.kind === 'unsigned' && next.num === 'unspecified') {
					this.advance();
					index = spanned({ kind: 'unsigned', value: next.value, num: 'usize' as UnsignedNum }, next.span);
				} else {
					index = this.expr();
				}
				const end = this.expect(']');
				expr = spanned({ kind: 'index', array: expr, index }, joinSpans(expr.span, end));
			} else {
				this.advance();
				const next = this.peekToken();
				if (next?.kind === 'ident') {
					this.advance();
					expr = spanned({ kind: 'structField', struct: expr, field: next.name }, next.span);
				} else if (next?.kind === 'unsigned' && next.num === 'unspecified') {
					this.advance();
					expr = spanned({ kind: 'tupleField', tuple: expr, index: Number(next.value) }, joinSpans(expr.span, next.span));
				} else {
					this.errorForNext(MESSAGES.expectedFieldAccess);
					throw FAILURE;
				}
			}
		}
		return expr;
	}

	private primaryStart(token: Token): UExpr {
		if (token.kind !== 'ident' || token.name === 'true' || token.name === 'false' || this.peek('::')) {
			return this.literal(token, false);
		}
		if (this.nextMatches('(')) {
			const args: UExpr[] = [];
			if (!this.peek(')')) {
				args.push(this.expr());
				while (this.nextMatches(',') && !this.peek(')')) args.push(this.expr());
			}
			const span = joinSpans(token.span, this.expect(')'));
			return token.name === 'join'
				? spanned({ kind: 'join', args }, span)
				: spanned({ kind: 'call', name: token.name, args }, span);
		}
		if (this.peek('{') && this.structLiteralsAllowed) return this.literal(token, false);
		return spanned({ kind: 'ident', name: token.name }, token.span);
	}

	/**
	 * Literals: in programs their parts are expressions; in input literals (`onlyLiterals`)
	 * arrays, tuples and variants hold literals only.
	 */
	private literal(token: Token, onlyLiterals: boolean): UExpr {
		const child = (): UExpr => (onlyLiterals ? this.nestedLiteral() : this.expr());
		const { span } = token;
		switch (token.kind) {
			case 'ident':
				return this.namedLiteral(token.name, span, child);
			case 'unsigned': {
				if (!this.nextMatches('..')) return spanned({ kind: 'unsigned', value: token.value, num: token.num }, span);
				const end = this.peekToken();
				if (end?.kind !== 'unsigned') {
					this.errorForNext(MESSAGES.invalidRangeExpr);
					throw FAILURE;
				}
				this.advance();
				const rangeSpan = joinSpans(span, end.span);
				let num: UnsignedNum = token.num;
				if (token.num === 'unspecified') num = end.num;
				else if (end.num !== 'unspecified' && end.num !== token.num) {
					this.errorAt(
						`Start and end of range do not have the same type; ${unsignedNumName(token.num)} vs ${unsignedNumName(end.num)}`,
						rangeSpan
					);
				}
				return spanned({ kind: 'range', from: token.value, to: end.value, num }, rangeSpan);
			}
			case 'signed':
				return spanned({ kind: 'signed', value: token.value, num: token.num }, span);
			case 'punct':
				if (token.punct === '(') return this.tupleOrParens(span, child);
				if (token.punct === '[') return this.arrayLiteral(span, child);
				break;
		}
		this.errorAt(MESSAGES.expectedExpr, span);
		throw FAILURE;
	}

	private namedLiteral(name: string, span: Span, child: () => UExpr): UExpr {
		if (name === 'true' || name === 'false') return spanned({ kind: name }, span);
		if (this.nextMatches('::')) {
			const [variant, variantSpan] = this.expectIdentifier();
			let fields: UExpr[] | null = null;
			if (this.nextMatches('(')) {
				fields = [];
				if (!this.peek(')')) {
					fields.push(child());
					while (this.nextMatches(',') && !this.peek(')')) fields.push(child());
				}
				this.expect(')');
			}
			return spanned({ kind: 'enum', enumName: name, variant, fields }, joinSpans(span, variantSpan));
		}
		if (this.nextMatches('{') && this.structLiteralsAllowed) {
			const { fields } = this.structFields(
				(field, fieldSpan) => spanned({ kind: 'ident', name: field }, fieldSpan),
				() => this.expr(),
				false
			);
			return spanned({ kind: 'struct', name, fields }, span);
		}
		this.errorAt(MESSAGES.invalidLiteral, span);
		throw FAILURE;
	}

	private tupleOrParens(span: Span, child: () => UExpr): UExpr {
		// garble-lang leaves the `)` of `()` unconsumed (a parse error); we accept the unit value.
		const close = this.nextMatchesToken(')');
		if (close) return spanned({ kind: 'tuple', elems: [] }, span);
		const first = child();
		if (!this.peek(',')) {
			this.expect(')');
			return first;
		}
		const elems = [first];
		while (this.nextMatches(',') && !this.peek(')')) elems.push(child());
		const end = this.expect(')');
		return spanned({ kind: 'tuple', elems }, joinSpans(span, end));
	}

	private arrayLiteral(span: Span, child: () => UExpr): UExpr {
		const first = child();
		if (this.nextMatches(';')) {
			const size = this.peekToken();
			if (size?.kind === 'unsigned' && (size.num === 'unspecified' || size.num === 'usize')) {
				this.advance();
				const end = this.expect(']');
				return spanned({ kind: 'arrayRepeat', elem: first, size: Number(size.value) }, joinSpans(span, end));
			}
			if (size?.kind === 'ident') {
				this.advance();
				const end = this.expect(']');
				return spanned({ kind: 'arrayRepeatConst', elem: first, size: size.name }, joinSpans(span, end));
			}
			this.errorForNext(MESSAGES.invalidArraySize);
			throw FAILURE;
		}
		const elems = [first];
		while (this.nextMatches(',') && !this.peek(']')) elems.push(child());
		const end = this.expect(']');
		return spanned({ kind: 'array', elems }, joinSpans(span, end));
	}

	private nestedLiteral(): UExpr {
		const token = this.advance();
		if (token === undefined) {
			this.errors.push({ message: MESSAGES.invalidLiteral, span: this.endOfInput() });
			throw FAILURE;
		}
		const depth = this.enter(token.span);
		try {
			return this.literal(token, true);
		} finally {
			this.depth = depth;
		}
	}

	// ── patterns ───────────────────────────────────────────────────────────────────────────

	private pattern(): UPattern {
		const depth = this.enter();
		try {
			return this.patternAt();
		} finally {
			this.depth = depth;
		}
	}

	private patternAt(): UPattern {
		const token = this.peekToken();
		if (token === undefined) {
			this.errorForNext(MESSAGES.invalidPattern);
			throw FAILURE;
		}
		const { span } = token;
		if (token.kind === 'ident') {
			this.advance();
			if (token.name === 'true' || token.name === 'false') return spannedPattern({ kind: token.name }, span);
			if (this.nextMatches('::')) return this.enumPattern(token.name, span);
			if (this.nextMatches('{')) return this.structPattern(token.name, span);
			return spannedPattern({ kind: 'ident', name: token.name }, span);
		}
		if (token.kind === 'unsigned' || token.kind === 'signed') {
			this.advance();
			if (!this.peek('..') && !this.peek('..=')) {
				return token.kind === 'unsigned'
					? spannedPattern({ kind: 'unsigned', value: token.value, num: token.num }, span)
					: spannedPattern({ kind: 'signed', value: token.value, num: token.num }, span);
			}
			const inclusive = this.peek('..=');
			this.advance();
			const end = this.peekToken();
			// An exclusive unsigned range ending at 0 would underflow (garble-lang crashes on it).
			const underflows = !inclusive && token.kind === 'unsigned' && end?.kind === 'unsigned' && end.value === 0n;
			if (end === undefined || end.kind !== token.kind || end.num !== token.num || underflows) {
				this.errorForNext(MESSAGES.invalidRangeExpr);
				throw FAILURE;
			}
			this.advance();
			const max = inclusive ? end.value : end.value - 1n;
			const rangeSpan = joinSpans(span, end.span);
			return token.kind === 'unsigned'
				? spannedPattern({ kind: 'unsignedRange', min: token.value, max, num: token.num }, rangeSpan)
				: spannedPattern({ kind: 'signedRange', min: token.value, max, num: token.num }, rangeSpan);
		}
		if (isPunct(token, '(')) {
			const open = this.expect('(');
			const elems = this.patternList(')');
			const close = this.expect(')');
			return spannedPattern({ kind: 'tuple', elems }, joinSpans(open, close));
		}
		this.errorForNext(MESSAGES.invalidPattern);
		this.consumeUntilOneOf(['=>'], []);
		this.advance();
		throw FAILURE;
	}

	private patternList(close: Punct): UPattern[] {
		const elems: UPattern[] = [];
		if (!this.peek(close)) {
			elems.push(this.pattern());
			while (this.nextMatches(',') && !this.peek(close)) elems.push(this.pattern());
		}
		return elems;
	}

	private enumPattern(enumName: string, span: Span): UPattern {
		const [variant, variantSpan] = this.expectIdentifier();
		if (!this.peek('(')) return spannedPattern({ kind: 'enumUnit', enumName, variant }, joinSpans(span, variantSpan));
		const open = this.expect('(');
		const fields = this.patternList(')');
		const close = this.expect(')');
		return spannedPattern({ kind: 'enumTuple', enumName, variant, fields }, joinSpans(open, close));
	}

	private structPattern(name: string, span: Span): UPattern {
		const { fields, ignoreRest } = this.structFields(
			(field, fieldSpan) => spannedPattern({ kind: 'ident', name: field }, fieldSpan),
			() => this.pattern(),
			true
		);
		return spannedPattern({ kind: 'struct', name, fields, ignoreRest }, span);
	}

	/**
	 * `{ a: v, b, .. }` after a struct name: `b` alone is shorthand for `b: b`; `..` (patterns
	 * only) ends the list. Fields come back sorted by name.
	 */
	private structFields<V>(
		shorthand: (field: string, span: Span) => V,
		value: () => V,
		allowRest: boolean
	): { fields: [string, V][]; ignoreRest: boolean } {
		const fields: [string, V][] = [];
		let ignoreRest = false;
		const field = (): void => {
			const [fieldName, fieldSpan] = this.expectIdentifier();
			if (this.peek(',') || this.peek('}')) {
				fields.push([fieldName, shorthand(fieldName, fieldSpan)]);
			} else {
				this.expect(':');
				fields.push([fieldName, value()]);
			}
		};
		if (!this.peek('}')) {
			field();
			while (this.nextMatches(',') && !this.peek('}')) {
				if (allowRest && this.nextMatches('..')) {
					ignoreRest = true;
					break;
				}
				field();
			}
		}
		this.expect('}');
		fields.sort(([a], [b]) => compareNames(a, b));
		return { fields, ignoreRest };
	}

	// ── types and constants ────────────────────────────────────────────────────────────────

	private type(): [Type, Span] {
		const depth = this.enter();
		try {
			return this.typeAt();
		} finally {
			this.depth = depth;
		}
	}

	private typeAt(): [Type, Span] {
		const open = this.nextMatchesToken('(');
		if (open) {
			const elems: Type[] = [];
			if (!this.peek(')')) {
				elems.push(this.type()[0]);
				while (this.nextMatches(',')) elems.push(this.type()[0]);
			}
			const end = this.expect(')');
			return [{ kind: 'tuple', elems }, joinSpans(open.span, end)];
		}
		const bracket = this.nextMatchesToken('[');
		if (bracket) return this.arrayType(bracket.span);
		const [name, span] = this.expectIdentifier();
		return [namedType(name, span), span];
	}

	private arrayType(start: Span): [Type, Span] {
		const [elem] = this.type();
		this.expect(';');
		const size = this.peekToken();
		if (size?.kind === 'unsigned' && (size.num === 'unspecified' || size.num === 'usize')) {
			this.advance();
			const end = this.expect(']');
			return [{ kind: 'array', elem, size: Number(size.value) }, joinSpans(start, end)];
		}
		if (size?.kind === 'ident') {
			this.advance();
			const end = this.expect(']');
			return [{ kind: 'arrayConst', elem, size: size.name }, joinSpans(start, end)];
		}
		if (isKeyword(size, 'const')) {
			this.advance();
			this.expect('{');
			const sizeExpr = this.constExprOrReport(this.expr());
			this.expect('}');
			const end = this.expect(']');
			return [{ kind: 'arrayConstExpr', elem, size: sizeExpr }, joinSpans(start, end)];
		}
		this.errorForNext(MESSAGES.invalidArraySize);
		throw FAILURE;
	}

	private constExprOrReport(expr: UExpr): ConstExpr {
		const problems: Span[] = [];
		const value = toConstExpr(expr, problems);
		if (problems.length === 0) return value;
		for (const span of problems) this.errorAt(MESSAGES.invalidConstExpr, span);
		throw FAILURE;
	}

	// ── nesting ────────────────────────────────────────────────────────────────────────────

	/**
	 * One level deeper (callers restore the depth it returns once they are done, in a
	 * `finally`: no closures, which would cost the stack what this guards); TooDeep, at `span`
	 * (by default the next token), beyond MAX_NESTING.
	 */
	private enter(span: Span = this.peekToken()?.span ?? NO_SPAN): number {
		const depth = this.depth;
		if (++this.depth > MAX_NESTING) throw new TooDeep(span);
		return depth;
	}

	// ── token helpers ──────────────────────────────────────────────────────────────────────

	/** Runs a parse step; undefined when it failed (its errors are recorded). */
	private attempt<T>(step: () => T): T | undefined {
		try {
			return step();
		} catch (failure) {
			if (failure instanceof ParseFailure) return undefined;
			throw failure;
		}
	}

	private peekToken(): Token | undefined {
		return this.tokens[this.pos];
	}

	private advance(): Token | undefined {
		const token = this.tokens[this.pos];
		if (token !== undefined) this.pos++;
		return token;
	}

	private peek(what: Punct | Keyword): boolean {
		const token = this.tokens[this.pos];
		if (token === undefined) return false;
		return token.kind === 'punct' ? token.punct === what : token.kind === 'keyword' && token.keyword === what;
	}

	private nextMatchesToken(what: Punct | Keyword): Token | undefined {
		return this.peek(what) ? this.advance() : undefined;
	}

	private nextMatches(what: Punct | Keyword): boolean {
		return this.nextMatchesToken(what) !== undefined;
	}

	private expect(what: Punct | Keyword): Span {
		const token = this.nextMatchesToken(what);
		if (token) return token.span;
		this.errorForNext(`Expected '${what}'`);
		throw FAILURE;
	}

	private expectIdentifier(): [string, Span] {
		const token = this.peekToken();
		if (token?.kind === 'ident') {
			this.advance();
			return [token.name, token.span];
		}
		this.errorForNext(MESSAGES.expectedIdentifier);
		throw FAILURE;
	}

	/** Records an error at `span` and skips one token (garble-lang's recovery step). */
	private errorAt(message: string, span: Span): void {
		this.errors.push({ message, span });
		this.advance();
	}

	/** Records an error at the next token, which is consumed. */
	private errorForNext(message: string): void {
		const token = this.advance();
		this.errors.push({ message, span: token?.span ?? this.endOfInput() });
	}

	/**
	 * Where the input ends, just past its last token, for what is missing there (an unclosed
	 * bracket, a truncated literal). garble-lang reports these at line 1, column 1.
	 */
	private endOfInput(): Span {
		const last = this.tokens[this.tokens.length - 1];
		if (last === undefined) return NO_SPAN;
		const { endLine, endColumn } = last.span;
		return { startLine: endLine, startColumn: endColumn, endLine, endColumn: endColumn + 1 };
	}

	/**
	 * Skips tokens until one of `puncts`/`keywords` at bracket depth 0; true if the brackets
	 * skipped were balanced.
	 */
	private consumeUntilOneOf(puncts: readonly Punct[], keywords: readonly Keyword[]): boolean {
		this.structLiteralsAllowed = true;
		const open: Punct[] = [];
		let balanced = true;
		for (let token = this.peekToken(); token !== undefined; token = this.peekToken()) {
			if (token.kind === 'punct') {
				const p = token.punct;
				if (p === '(' || p === '{' || p === '[') open.push(p);
				else if (p === ')' || p === '}' || p === ']') {
					const last = open.pop();
					if (last === undefined || CLOSING[last] !== p) balanced = false;
				}
				if (open.length === 0 && puncts.includes(p)) return balanced;
			} else if (token.kind === 'keyword' && open.length === 0 && keywords.includes(token.keyword)) {
				return balanced;
			}
			this.pos++;
		}
		return balanced;
	}
}

const CLOSING: Partial<Record<Punct, Punct>> = { '(': ')', '{': '}', '[': ']' };

/** Byte-wise order of names (Rust's `String` order; identifiers are ASCII). */
export function compareNames(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function namedType(name: string, span: Span): Type {
	switch (name) {
		case 'bool':
			return { kind: 'bool' };
		case 'usize':
		case 'u8':
		case 'u16':
		case 'u32':
		case 'u64':
			return { kind: 'unsigned', num: name };
		case 'i8':
		case 'i16':
		case 'i32':
		case 'i64':
			return { kind: 'signed', num: name };
		default:
			return { kind: 'named', name, span };
	}
}

/** The place an assignment writes to, or null when the expression is not a place. */
function placeOf(expr: UExpr): { name: string; accessors: Accessor<undefined>[] } | null {
	switch (expr.kind) {
		case 'ident':
			return { name: expr.name, accessors: [] };
		case 'index': {
			const inner = placeOf(expr.array);
			inner?.accessors.push({ kind: 'index', index: expr.index, span: expr.span, container: undefined });
			return inner;
		}
		case 'tupleField': {
			const inner = placeOf(expr.tuple);
			inner?.accessors.push({ kind: 'tupleField', index: expr.index, span: expr.span, container: undefined });
			return inner;
		}
		case 'structField': {
			const inner = placeOf(expr.struct);
			inner?.accessors.push({ kind: 'structField', field: expr.field, span: expr.span, container: undefined });
			return inner;
		}
		default:
			return null;
	}
}

/** Converts a parsed expression to a constant expression; invalid parts are added to `problems`. */
function toConstExpr(expr: UExpr, problems: Span[]): ConstExpr {
	const { span } = expr;
	switch (expr.kind) {
		case 'true':
		case 'false':
			return { kind: expr.kind, span };
		case 'unsigned':
			return { kind: 'unsigned', value: expr.value, num: expr.num, span };
		case 'signed':
			return { kind: 'signed', value: expr.value, num: expr.num, span };
		case 'enum':
			if (expr.fields === null) return { kind: 'external', party: expr.enumName, name: expr.variant, span };
			break;
		case 'ident':
			return { kind: 'ident', name: expr.name, span };
		case 'binary':
			if (expr.op === 'add' || expr.op === 'sub') {
				// Like garble-lang, only the first invalid operand is reported.
				const left = toConstExpr(expr.left, problems);
				if (problems.length > 0) return left;
				const right = toConstExpr(expr.right, problems);
				return { kind: expr.op, left, right, span };
			}
			break;
		case 'call':
			if (expr.name === 'max' || expr.name === 'min') {
				return { kind: expr.name, args: expr.args.map((arg) => toConstExpr(arg, problems)), span };
			}
			break;
	}
	problems.push(span);
	return { kind: 'true', span };
}
