/**
 * The Garble language (garble-lang.org) in TypeScript: the public API.
 *
 * ```ts
 * const result = check(source);                 // fast, never throws: errors and main's signature
 * const program = compile(source, { consts: { PARTY_0: { ROWS: 3 } } }); // throws GarbleCompileError
 * const bits = program.encodeInput(0, '[1u8, 2u8]');                     // throws GarbleLiteralError
 * const output = program.decodeOutput(evaluateCircuit(program.circuit, inputsOfAllParties));
 * ```
 *
 * - `check(source, { entry? })` → `CheckResult`: all errors (scan, parse or type), the entry
 *   function's parameters and return type (as written), and the party constants
 *   (`PARTY_i::NAME`) the program needs before it can be compiled.
 * - `compile(source, { entry?, consts? })` → `Program`: the circuit (inputs grouped per party:
 *   one party per parameter, or one per element of a single array parameter), the parties'
 *   types with array sizes resolved, input encoding and output decoding. `consts` maps a
 *   namespace to values, e.g. `{ PARTY_0: { ROWS: 3 }, PARTIES: { TOTAL: 3 } }`; values are
 *   numbers, bigints or Garble literals (`"3usize"`).
 * - `formatErrors(errors, source, fileName?)` prints errors as garble-lang does.
 * - `formatPanic(program, panic, source)` prints a panic as garble-lang does.
 *
 * The bit layout of values is garble-lang's (see layout.ts); the panic encoding is ours: the
 * circuit outputs the value's bits followed by the number of the first panic site reached
 * (0 for none) in ⌈log2(sites + 1)⌉ bits, which `decodeOutput` maps to reason and place.
 */
import { analyse } from './frontend';
import { isStackOverflow, STACK_OVERFLOW, type GarbleError } from './errors';
import { compileProgram, type CompileOptions, type Program } from './program';
import { typeText } from './types';

export { evaluateCircuit, type Bits, type Circuit } from './circuit';
export { formatErrors, GarbleCompileError, GarbleLiteralError, type GarbleError, type GarbleErrorKind } from './errors';
export { formatPanic, type CompileOptions, type DecodedOutput, type PanicOutput, type PanicSiteInfo, type Program } from './program';
export type { ConstInputs } from './consts';

export interface CheckResult {
	readonly errors: readonly GarbleError[];
	/** The entry function's signature, when the program defines it (even if it has errors). */
	readonly main?: {
		readonly params: readonly { readonly name: string; readonly type: string }[];
		readonly returnType: string;
	};
	/** The `PARTY_i::NAME` constants the program uses, each with the type it must have. */
	readonly partyConsts: readonly { readonly party: number; readonly name: string; readonly type: string }[];
	/** Whether the program uses `PARTIES::TOTAL`, the number of parties (supply it as `{ PARTIES: { TOTAL: n } }`). */
	readonly usesPartyCount: boolean;
}

const PARTY_NAMESPACE = /^PARTY_(\d+)$/;

/** Scans, parses and type-checks a program. Never throws. */
export function check(source: string, options: { entry?: string } = {}): CheckResult {
	let front;
	try {
		front = analyse(source);
	} catch (error) {
		const message = isStackOverflow(error) ? STACK_OVERFLOW : `internal compiler error: ${error instanceof Error ? error.message : String(error)}`;
		return { errors: [{ message, line: 0, column: 0, endLine: 0, endColumn: 0, kind: 'type' }], partyConsts: [], usesPartyCount: false };
	}
	const entry = front.parsed?.fns.get(options.entry ?? 'main');
	const main = entry && {
		params: entry.params.map((p) => ({ name: p.name, type: typeText(p.type) })),
		returnType: typeText(entry.returnType)
	};
	const partyConsts: { party: number; name: string; type: string }[] = [];
	let usesPartyCount = false;
	for (const [namespace, names] of front.externalConsts) {
		const party = PARTY_NAMESPACE.exec(namespace);
		if (namespace === 'PARTIES' && names.has('TOTAL')) usesPartyCount = true;
		if (!party) continue;
		for (const [name, { type }] of names) partyConsts.push({ party: Number(party[1]), name, type: typeText(type) });
	}
	partyConsts.sort((a, b) => a.party - b.party || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return { errors: front.errors, ...(main ? { main } : {}), partyConsts, usesPartyCount };
}

/** Checks and compiles a program to a circuit; throws GarbleCompileError with all errors. */
export function compile(source: string, options: CompileOptions = {}): Program {
	return compileProgram(source, options);
}
