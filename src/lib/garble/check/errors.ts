import type { Span } from '../span';
import { typeText, type Type } from '../types';

export interface TypeError {
	readonly message: string;
	readonly span: Span;
}

/**
 * garble-lang propagates "this failed, the cause is reported elsewhere" as an empty error;
 * `null` plays that role here and is dropped before errors are shown.
 */
export type Errors = (TypeError | null)[];

/** Thrown to abandon the check of the current expression or statement. */
export class CheckFailure {
	constructor(readonly errors: Errors) {}
}

export function fail(message: string, span: Span): never {
	throw new CheckFailure([{ message, span }]);
}

export function failQuietly(): never {
	throw new CheckFailure([null]);
}

/** Runs a check step; on failure its errors are appended to `errors` and undefined returned. */
export function attempt<T>(errors: Errors, step: () => T): T | undefined {
	try {
		return step();
	} catch (failure) {
		if (!(failure instanceof CheckFailure)) throw failure;
		errors.push(...failure.errors);
		return undefined;
	}
}

export function unexpectedType(expected: Type, actual: Type): string {
	return `Expected type ${typeText(expected)}, but found ${typeText(actual)}`;
}
