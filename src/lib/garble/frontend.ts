/** Source text → typed program: scanning, parsing and type checking, each stage's errors collected. */
import type { Program } from './ast';
import { typeCheck, type ExternalConst, type TypedProgram } from './check/check';
import { garbleError, type GarbleError } from './errors';
import { parseProgram } from './parse';
import { scan } from './scan';

export interface FrontendResult {
	/** The parsed program, when scanning and parsing succeeded. */
	readonly parsed: Program<undefined> | null;
	/** The typed program, when there were no errors at all. */
	readonly typed: TypedProgram | null;
	/** The constants the program takes from outside (`PARTY_0::ROWS`), once it parses. */
	readonly externalConsts: ReadonlyMap<string, ReadonlyMap<string, ExternalConst>>;
	readonly errors: readonly GarbleError[];
}

/** Like garble-lang, a stage only runs when the previous one had no errors. */
export function analyse(source: string): FrontendResult {
	const scanned = scan(source);
	if (scanned.errors.length > 0) {
		return { parsed: null, typed: null, externalConsts: new Map(), errors: scanned.errors.map((e) => garbleError('scan', e.message, e.span)) };
	}
	const parsed = parseProgram(scanned.tokens);
	if (parsed.errors.length > 0) {
		return { parsed: null, typed: null, externalConsts: new Map(), errors: parsed.errors.map((e) => garbleError('parse', e.message, e.span)) };
	}
	const checked = typeCheck(parsed.program);
	const errors = checked.errors.map((e) => garbleError('type', e.message, e.span));
	const typed = errors.length === 0 ? checked.program : null;
	return { parsed: parsed.program, typed, externalConsts: checked.program.externalConsts, errors };
}
