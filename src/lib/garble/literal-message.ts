import type { GarbleError } from './errors';

/** At most this many of a literal's errors are named in one line. */
const MAX_NAMED = 3;
/** A marked text longer than this many characters is cut with `…`. */
const MARKED_WIDTH = 24;

/**
 * A literal's errors in one line, each with its place and the text it marks, where a page has
 * no room for formatErrors' excerpts: "Unexpected input after the literal at column 3 (`6`); …".
 */
export function literalErrorsInline(errors: readonly GarbleError[], literal: string): string {
	const lines = literal.split('\n');
	const named = errors.slice(0, MAX_NAMED).map((error) => {
		if (error.line <= 0) return error.message;
		const where = lines.length > 1 ? `line ${error.line}, column ${error.column}` : `column ${error.column}`;
		// A scan error marks no text (its message names the character), and its column is garble-lang's, one past it.
		const marked = error.endColumn === error.column && error.endLine === error.line ? '' : markedText(lines[error.line - 1] ?? '', error);
		return marked === '' ? `${error.message} at ${where}` : `${error.message} at ${where} (\`${marked}\`)`;
	});
	const more = errors.length - named.length;
	return named.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** The text an error marks on its first line (garble-lang's spans end on their last character): at least one character, at most MARKED_WIDTH. */
function markedText(line: string, error: GarbleError): string {
	const chars = Array.from(line.replace(/\r$/, ''));
	const from = error.column - 1;
	const to = error.endLine === error.line ? Math.max(error.endColumn, from + 1) : chars.length;
	const text = chars.slice(from, to).join('').trim();
	return text.length > MARKED_WIDTH ? `${Array.from(text).slice(0, MARKED_WIDTH - 1).join('')}…` : text;
}

const QUOTES = /["'`]/;
const OTHER_RADIX = /(?<![\w.])-?0[xXbBoO][0-9a-fA-F_]+/;

/**
 * What a newcomer most likely meant by a literal that does not parse, where it can be told:
 * Garble's values have no quotes, and its numbers are decimal. Empty where nothing fits.
 */
export function literalHint(literal: string): string {
	const radix = OTHER_RADIX.exec(literal)?.[0];
	const value = radix === undefined ? undefined : decimalOf(radix);
	if (value !== undefined) return `Numbers are written in decimal: ${value} for ${radix}.`;
	if (QUOTES.test(literal)) return `Values are written without quotes: ${literal.replace(/["'`]/g, '').trim() || 'e.g. 5'}.`;
	return '';
}

/** `-0x10` as `-16`; undefined where the digits do not fit the radix (`0b12`). */
function decimalOf(written: string): string | undefined {
	const negative = written.startsWith('-');
	try {
		return `${negative ? '-' : ''}${BigInt(written.slice(negative ? 1 : 0).replaceAll('_', ''))}`;
	} catch {
		return undefined;
	}
}
