import type { GarbleError } from './errors';

/** At most this many of a literal's errors are named in one line. */
const MAX_NAMED = 3;

/**
 * A literal's errors in one line, each with its place, where a page has no room for
 * formatErrors' excerpts: "Unexpected input after the literal at column 3; …". garble-lang's
 * counters are exact only for where a parse or type error starts on the first line: a later
 * line is named by its number alone, and a scan error by its message, which names the text.
 */
export function literalErrorsInline(errors: readonly GarbleError[]): string {
	const named = errors.slice(0, MAX_NAMED).map((error) => {
		if (error.line <= 0 || error.phase === 'scan') return error.message;
		return `${error.message} ${error.line === 1 ? `at column ${error.column}` : `on line ${error.line}`}`;
	});
	const more = errors.length - named.length;
	return named.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

const QUOTES = /["'`]/g;
const OTHER_RADIX = /(?<![\w.])-?0[xXbBoO][0-9a-fA-F_]+/;

/**
 * What a newcomer most likely meant by a literal that does not parse, where it can be told:
 * Garble's values have no quotes, and its numbers are decimal. Empty where nothing fits.
 */
export function literalHint(literal: string): string {
	const radix = OTHER_RADIX.exec(literal)?.[0];
	const value = radix === undefined ? undefined : decimalOf(radix);
	if (value !== undefined) return `Numbers are written in decimal: ${value} for ${radix}.`;
	const unquoted = literal.replace(QUOTES, '');
	if (unquoted !== literal) return `Values are written without quotes: ${unquoted.trim() || 'e.g. 5'}.`;
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
