/**
 * A source location, 0-based, computed exactly as garble-lang's scanner computes it so that
 * error and panic messages name the same line and column as the original compiler.
 * (garble-lang's columns are quirky: a token at the very start of a line "starts" where the
 * previous token ended; see scan.ts.)
 */
export interface Span {
	readonly startLine: number;
	readonly startColumn: number;
	readonly endLine: number;
	readonly endColumn: number;
}

export const NO_SPAN: Span = { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };

export function joinSpans(first: Span, last: Span): Span {
	return { startLine: first.startLine, startColumn: first.startColumn, endLine: last.endLine, endColumn: last.endColumn };
}

/** Orders spans by start, then end (garble-lang sorts its type errors this way). */
export function compareSpans(a: Span, b: Span): number {
	return (
		a.startLine - b.startLine || a.startColumn - b.startColumn || a.endLine - b.endLine || a.endColumn - b.endColumn
	);
}
