import type { Span } from './span';

export type GarbleErrorKind = 'scan' | 'parse' | 'type' | 'literal' | 'compile';

/**
 * An error in a program or an input literal. Lines and columns are 1-based (as garble-lang
 * prints them); `endColumn` is the column just after the marked text. A `line` of 0 means the
 * error has no place in the source (e.g. a function name that does not exist).
 */
export interface GarbleError {
	readonly message: string;
	readonly line: number;
	readonly column: number;
	readonly endLine: number;
	readonly endColumn: number;
	readonly kind: GarbleErrorKind;
	/** For literal errors: the stage that failed, which names the error when printed. */
	readonly phase?: 'scan' | 'parse' | 'type';
}

export function garbleError(kind: GarbleErrorKind, message: string, span: Span | null, phase?: GarbleError['phase']): GarbleError {
	const at = span ?? { startLine: -1, startColumn: -1, endLine: -1, endColumn: -1 };
	return {
		message,
		line: at.startLine + 1,
		column: at.startColumn + 1,
		endLine: at.endLine + 1,
		endColumn: at.endColumn + 1,
		kind,
		...(phase ? { phase } : {})
	};
}

/**
 * The JavaScript engine ran out of stack (V8 and JavaScriptCore throw a RangeError, SpiderMonkey
 * an InternalError "too much recursion"). The parser's nesting bound (MAX_NESTING) keeps every
 * stage within a Worker's stack; this names the failure should a smaller stack still overflow.
 */
export function isStackOverflow(error: unknown): boolean {
	return error instanceof Error && /call stack|too much recursion/i.test(error.message);
}

export const STACK_OVERFLOW = 'The program nests too deeply for this JavaScript engine: split deep expressions with let bindings or functions';

/** Thrown by `compile` when the program has errors. */
export class GarbleCompileError extends Error {
	override name = 'GarbleCompileError';
	constructor(readonly errors: readonly GarbleError[]) {
		super(errors.map((e) => e.message).join('\n'));
	}
}

/** Thrown by `encodeInput` when a literal does not parse or does not have the expected type. */
export class GarbleLiteralError extends Error {
	override name = 'GarbleLiteralError';
	constructor(
		message: string,
		/** The type the literal should have had, as written in the program. */
		readonly expectedType: string,
		/** Where in the literal text it went wrong. */
		readonly errors: readonly GarbleError[],
		/** What the writer most likely meant, where that can be told (literalHint); else empty. */
		readonly hint = ''
	) {
		super(message);
	}
}

const HEADERS: Record<GarbleErrorKind, string> = {
	scan: 'Scan error',
	parse: 'Parse error',
	type: 'Type error',
	literal: 'Literal error',
	compile: 'Compiler error'
};

function header(error: GarbleError): string {
	return error.phase ? HEADERS[error.phase] : HEADERS[error.kind];
}

/**
 * Errors as garble-lang prints them: a header with line and column, the message, and the
 * source lines around the place with the marked text underlined by carets.
 */
export function formatErrors(errors: readonly GarbleError[], source: string, fileName?: string): string {
	let out = '';
	for (const error of errors.slice(0, MAX_SHOWN_ERRORS)) {
		const where = fileName ? ` of ${fileName}` : '';
		if (error.line > 0) out += `\n${header(error)} on line ${error.line}:${error.column}${where}.\n`;
		else out += `\n${header(error)}${where}:\n`;
		// The colon introduces the excerpt; an error without a place has none.
		out += error.line > 0 ? `${error.message}:\n${sourceExcerpt(source, error)}` : `${error.message}.\n`;
	}
	const more = errors.length - MAX_SHOWN_ERRORS;
	if (more > 0) out += `\n… and ${more} more error${more === 1 ? '' : 's'} (fix the ones above first).\n`;
	return out;
}

/** At most this many errors are shown: a file that is not a program at all would give thousands. */
const MAX_SHOWN_ERRORS = 20;
/** Excerpt lines longer than this many characters are shown as a window around the place. */
const EXCERPT_WIDTH = 120;

/** The lines around a place, the place marked with `>` and `^` (garble-lang's layout). */
export function sourceExcerpt(source: string, at: Pick<GarbleError, 'line' | 'column' | 'endLine' | 'endColumn'>): string {
	if (source === '') return '';
	const lines = sourceLines(source);
	const startLine = at.line - 1;
	const startColumn = at.column - 1;
	const endLine = at.endLine - 1;
	const endColumn = at.endColumn - 1;
	const shown = lines.slice(Math.max(0, startLine - 2), endLine + 2);
	// A long line (a minified file, a huge literal) shows the part around the place only.
	const offset = shown.some((line) => line.length > EXCERPT_WIDTH) ? Math.max(0, startColumn - EXCERPT_WIDTH / 3) : 0;
	const lead = offset > 0 ? 1 : 0;
	let out = '';
	for (let l = startLine - 2; l < endLine + 2; l++) {
		const marked = l >= startLine && (l < endLine || (l === endLine && endColumn > 0));
		const text = l >= 0 && l < lines.length ? lines[l] : undefined;
		if (text !== undefined) out += marked ? `${String(l + 1).padStart(4)} > | ${clipped(text, offset)}\n` : `       | ${clipped(text, offset)}\n`;
		if (marked) {
			const from = Math.min(EXCERPT_WIDTH, Math.max(0, (l === startLine ? startColumn : 0) - offset)) + lead;
			const to = Math.min(EXCERPT_WIDTH, Math.max(0, (l === endLine ? endColumn : Array.from(text ?? '').length) - offset)) + lead;
			out += `     > | ${' '.repeat(from)}${'^'.repeat(Math.max(0, to - from))}\n`;
		}
	}
	return out;
}

/** `text` from character `offset` on, at most EXCERPT_WIDTH characters of it, with `…` where it was cut. */
function clipped(text: string, offset: number): string {
	if (offset === 0 && text.length <= EXCERPT_WIDTH) return text;
	const chars = Array.from(text);
	return `${offset > 0 ? '…' : ''}${chars.slice(offset, offset + EXCERPT_WIDTH).join('')}${chars.length > offset + EXCERPT_WIDTH ? '…' : ''}`;
}

/** Lines as Rust's `str::lines` yields them (no final empty line, `\r\n` endings trimmed). */
function sourceLines(source: string): string[] {
	const lines = source.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
	if (source.endsWith('\n')) lines.pop();
	return lines;
}
