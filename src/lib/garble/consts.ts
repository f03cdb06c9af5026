/**
 * Constants supplied before compilation (`PARTY_0::ROWS`, `PARTIES::TOTAL`) and the values of
 * the program's top-level `const` declarations.
 */
import type { TypedProgram } from './check/check';
import { garbleError, type GarbleError } from './errors';
import { evaluateConstExpr } from './layout';
import { parseLiteralText } from './literal';
import { compareSpans, type Span } from './span';
import { SIGNED_MAX, SIGNED_MIN, UNSIGNED_MAX } from './token';
import { typeText, type Type } from './types';

/** Values by namespace and name, e.g. `{ PARTY_0: { ROWS: 3 } }`; strings are Garble literals. */
export type ConstInputs = Readonly<Record<string, Readonly<Record<string, string | number | bigint>>>>;

export interface ConstValues {
	/** Every constant's value (booleans as 0 and 1), by `NAME` or `PARTY::NAME`. */
	readonly values: Map<string, bigint>;
}

function fits(value: bigint, ty: Type): boolean {
	if (ty.kind === 'bool') return value === 0n || value === 1n;
	if (ty.kind === 'unsigned') return value >= 0n && value <= (ty.num === 'unspecified' ? UNSIGNED_MAX.u32 : UNSIGNED_MAX[ty.num]);
	if (ty.kind === 'signed') {
		const num = ty.num === 'unspecified' ? 'i32' : ty.num;
		return value >= SIGNED_MIN[num] && value <= SIGNED_MAX[num];
	}
	return false;
}

/** The supplied value of a constant as a number (booleans 0/1), or undefined if it is not of type `ty`. */
function suppliedValue(given: string | number | bigint, ty: Type, program: TypedProgram): bigint | undefined {
	let value: bigint | undefined;
	if (typeof given === 'string') {
		const parsed = parseLiteralText(given, ty, program);
		if (!('literal' in parsed)) return undefined;
		const lit = parsed.literal;
		if (lit.kind === 'bool') value = lit.value ? 1n : 0n;
		else if (lit.kind === 'unsigned' || lit.kind === 'signed') value = lit.value;
	} else if (ty.kind !== 'bool' && (typeof given === 'bigint' || Number.isSafeInteger(given))) {
		value = BigInt(given);
	}
	return value !== undefined && fits(value, ty) ? value : undefined;
}

/** Evaluates all constants, or reports the ones missing or of the wrong type. */
export function resolveConsts(program: TypedProgram, supplied: ConstInputs): ConstValues | { errors: GarbleError[] } {
	const values = new Map<string, bigint>();
	const missing: { message: string; span: Span }[] = [];
	const invalid: GarbleError[] = [];
	for (const [namespace, names] of program.externalConsts) {
		for (const [name, { type, span }] of names) {
			const given = Object.hasOwn(supplied, namespace) && Object.hasOwn(supplied[namespace], name) ? supplied[namespace][name] : undefined;
			if (given === undefined) {
				missing.push({ message: `The constant ${namespace}::${name} was declared in the program but never provided`, span });
				continue;
			}
			const value = suppliedValue(given, type, program);
			if (value === undefined) invalid.push(garbleError('compile', `The literal is not of type '${typeText(type)}': ${String(given)}`, span));
			else values.set(`${namespace}::${name}`, value);
		}
	}
	if (missing.length > 0) {
		return { errors: missing.sort((a, b) => compareSpans(a.span, b.span)).map((m) => garbleError('compile', m.message, m.span)) };
	}
	if (invalid.length > 0) return { errors: invalid };
	const inOrder = [...program.consts].sort(([, a], [, b]) => compareSpans(a.span, b.span));
	for (const [name, def] of inOrder) values.set(name, evaluateConstExpr(def.value, values, def.type.kind === 'signed'));
	return { values };
}
