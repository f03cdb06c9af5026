import type { Span } from './span';
import {
	KEYWORDS,
	SIGNED_MAX,
	SIGNED_MIN,
	UNSIGNED_MAX,
	numberRange,
	type Keyword,
	type Punct,
	type SignedNum,
	type Token
} from './token';

export interface ScanError {
	readonly message: string;
	readonly span: Span;
}

/** Operators that may continue with more characters, longest match first. */
const OPERATORS: readonly Punct[] = [
	'..=', '>>=', '<<=', '..', '&&', '&=', '||', '|=', '!=', '==', '=>', '::', '>>', '>=', '<<', '<=',
	'%=', '*=', '+=', '^=', '/=', '-=', '->',
	'(', ')', '{', '}', '[', ']', ',', ';', '.', '^', '&', '|', '!', '=', ':', '>', '<', '%', '*', '+', '/', '-'
];

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function isDigit(c: string | undefined): boolean {
	return c !== undefined && c >= '0' && c <= '9';
}

function isIdentChar(c: string | undefined): boolean {
	return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || isDigit(c));
}

const keywordSet: ReadonlySet<string> = new Set(KEYWORDS);

/**
 * Splits a program (or an input literal) into tokens. All scan errors are collected.
 *
 * Positions are computed with garble-lang's counters, quirks included, so that our messages
 * name the same places: on every line after the first the column counter runs one ahead, a
 * token starts where the previous whitespace or token ended (which for a token at the start
 * of a line is on an earlier line), and a one-character token at the very start of the
 * program nudges the counter.
 */
export function scan(source: string): { tokens: Token[]; errors: ScanError[] } {
	return new Scanner(source).run();
}

class Scanner {
	private readonly chars: string[];
	private i = 0;
	private line = 0;
	private column = 0;
	private startLine = 0;
	private startColumn = 0;
	private readonly tokens: Token[] = [];
	private readonly errors: ScanError[] = [];

	constructor(source: string) {
		this.chars = Array.from(source);
	}

	run(): { tokens: Token[]; errors: ScanError[] } {
		while (this.i < this.chars.length) {
			const c = this.chars[this.i++];
			if (c === ' ' || c === '\r' || c === '\t') {
				this.startLine = this.line;
				this.startColumn = this.column;
			} else if (c === '\n') {
				this.line++;
				this.column = 0;
			} else if (c === '/' && this.peek('/')) {
				while (this.i < this.chars.length && !this.peek('\n')) this.advance();
			} else if (c === '/' && this.peek('*')) {
				this.advance();
				this.skipBlockComment();
			} else if (c === '-' && isDigit(this.chars[this.i])) {
				this.scanNegativeNumber();
			} else if (isDigit(c)) {
				this.scanNumber(c);
			} else if (isIdentChar(c)) {
				let word = c;
				while (isIdentChar(this.chars[this.i])) word += this.take();
				const span = this.tokenSpan();
				this.tokens.push(keywordSet.has(word) ? { kind: 'keyword', keyword: word as Keyword, span } : { kind: 'ident', name: word, span });
			} else {
				this.scanOperator(c);
			}
			this.column++;
		}
		return { tokens: this.tokens, errors: this.errors };
	}

	private scanOperator(first: string): void {
		for (const op of OPERATORS) {
			if (op[0] !== first) continue;
			let matches = true;
			for (let k = 1; k < op.length; k++) {
				if (this.chars[this.i + k - 1] !== op[k]) {
					matches = false;
					break;
				}
			}
			if (!matches) continue;
			for (let k = 1; k < op.length; k++) this.advance();
			this.tokens.push({ kind: 'punct', punct: op, span: this.tokenSpan() });
			return;
		}
		this.error(`Unexpected character ${characterName(first)}`);
	}

	/** Nested block comments, consumed exactly as garble-lang does (which affects columns). */
	private skipBlockComment(): void {
		let level = 1;
		while (level > 0) {
			if (this.i >= this.chars.length) {
				this.error('Unterminated block comment');
				return;
			}
			if (this.nextMatches('/') && this.nextMatches('*')) level++;
			else if (this.nextMatches('*') && this.nextMatches('/')) level--;
			else if (this.nextMatches('\n')) {
				this.line++;
				this.column = 0;
			} else if (!this.peek('*') && !this.peek('/')) this.advance();
		}
	}

	private scanNumber(first: string): void {
		let digits = first;
		while (isDigit(this.chars[this.i])) digits += this.take();
		const n = BigInt(digits);
		if (n > U64_MAX) {
			this.literalError(`Invalid unsigned number: ${digits} is above ${U64_MAX}, the largest u64`);
			return;
		}
		const suffix = this.takeSuffix();
		if (suffix === 'i8' || suffix === 'i16' || suffix === 'i32' || suffix === 'i64') {
			if (n <= SIGNED_MAX[suffix]) {
				this.tokens.push({ kind: 'signed', value: n, num: suffix, span: this.tokenSpan() });
				return;
			}
		} else if (
			suffix === '' ||
			suffix === 'usize' ||
			suffix === 'u64' ||
			((suffix === 'u8' || suffix === 'u16' || suffix === 'u32') && n <= UNSIGNED_MAX[suffix])
		) {
			this.tokens.push({ kind: 'unsigned', value: n, num: suffix === '' ? 'unspecified' : suffix, span: this.tokenSpan() });
			return;
		}
		// Too large for its type, or an unknown suffix: reported, and kept as a u64 (as garble-lang does).
		this.literalError(`Invalid unsigned number: ${literalProblem(n, suffix)}`);
		this.tokens.push({ kind: 'unsigned', value: n, num: 'u64', span: this.tokenSpan() });
	}

	private scanNegativeNumber(): void {
		let digits = '-';
		while (isDigit(this.chars[this.i])) digits += this.take();
		const n = BigInt(digits);
		if (n < SIGNED_MIN.i64) {
			this.literalError(`Invalid signed number: ${digits} is below ${SIGNED_MIN.i64}, the smallest i64`);
			return;
		}
		const suffix = this.takeSuffix();
		let num: SignedNum | undefined;
		if (suffix === '') num = 'unspecified';
		else if (suffix === 'i8' || suffix === 'i16' || suffix === 'i32' || suffix === 'i64') {
			if (n >= SIGNED_MIN[suffix] && n <= SIGNED_MAX[suffix]) num = suffix;
		}
		if (num === undefined) {
			this.literalError(`Invalid unsigned number: ${literalProblem(n, suffix)}`);
			num = 'i64';
		}
		this.tokens.push({ kind: 'signed', value: n, num, span: this.tokenSpan() });
	}

	private takeSuffix(): string {
		let suffix = '';
		while (isIdentChar(this.chars[this.i])) suffix += this.take();
		return suffix;
	}

	private peek(c: string): boolean {
		return this.chars[this.i] === c;
	}

	private advance(): void {
		this.column++;
		this.i++;
	}

	private take(): string {
		const c = this.chars[this.i];
		this.advance();
		return c;
	}

	private nextMatches(c: string): boolean {
		if (!this.peek(c)) return false;
		this.advance();
		return true;
	}

	/** The span of the token that ends here; the next one starts where it ends. */
	private tokenSpan(): Span {
		if (this.startLine === this.line && this.startColumn === this.column) this.column++;
		const span = this.sinceTokenStart();
		this.startLine = this.line;
		this.startColumn = this.column;
		return span;
	}

	/** From the start of the token being scanned to here. */
	private sinceTokenStart(): Span {
		return { startLine: this.startLine, startColumn: this.startColumn, endLine: this.line, endColumn: this.column };
	}

	private error(message: string): void {
		const span: Span = { startLine: this.line, startColumn: this.column, endLine: this.line, endColumn: this.column };
		this.errors.push({ message, span });
	}

	/** An error on the literal scanned since its token's start: the whole literal is marked. */
	private literalError(message: string): void {
		this.errors.push({ message, span: this.sinceTokenStart() });
	}
}

/** A character as a message names it: `'$'`, or its code point where it does not print (`U+0000`). */
function characterName(c: string): string {
	return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c) ? `'${c}'` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why the literal n with `suffix` is invalid (garble-lang's message says only that it is). */
function literalProblem(n: bigint, suffix: string): string {
	if (Object.hasOwn(UNSIGNED_MAX, suffix) || Object.hasOwn(SIGNED_MAX, suffix)) return `${n}${suffix} does not fit ${numberRange(suffix as keyof typeof UNSIGNED_MAX)}`;
	return `'${suffix}' is not a number type (u8, u16, u32, u64, usize, i8, i16, i32, i64)`;
}
