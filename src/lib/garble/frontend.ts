/** Source text → typed program: scanning, parsing and type checking, each stage's errors collected. */
import type { Program } from './ast';
import { typeCheck, type TypedProgram } from './check/check';
import { garbleError, type GarbleError } from './errors';
import { parseProgram } from './parse';
import { scan } from './scan';

export interface FrontendResult {
	/** The parsed program, when scanning and parsing succeeded. */
	readonly parsed: Program<undefined> | null;
	/** The typed program, when there were no errors at all. */
	readonly typed: TypedProgram | null;
	readonly errors: readonly GarbleError[];
}

/** Like garble-lang, a stage only runs when the previous one had no errors. */
export function analyse(source: string): FrontendResult {
	const scanned = scan(source);
	if (scanned.errors.length > 0) {
		return { parsed: null, typed: null, errors: scanned.errors.map((e) => garbleError('scan', e.message, e.span)) };
	}
	const parsed = parseProgram(scanned.tokens);
	if (parsed.errors.length > 0) {
		return { parsed: null, typed: null, errors: parsed.errors.map((e) => garbleError('parse', e.message, e.span)) };
	}
	const checked = typeCheck(parsed.program);
	const errors = checked.errors.map((e) => garbleError('type', e.message, e.span));
	return { parsed: parsed.program, typed: errors.length === 0 ? checked.program : null, errors };
}
