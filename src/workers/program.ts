// Checking and compiling programs in the Worker, for the editor and the input field.
import { check, compile, GarbleCompileError, GarbleLiteralError, type CheckResult, type ConstInputs, type Program } from '../lib/garble';
import { countGates } from '../lib/garble/circuit';
import type { InputReport, PartyConst, ProgramReport } from './api';

/**
 * The last compiled program: the page asks about the same program many times in a row, and a
 * run compiles with the same constants as the form did (a big program takes seconds and
 * hundreds of megabytes to compile). Only one is kept, so that a circuit is in memory once.
 */
let last: { key: string; program: Program } | undefined;

/** Compiles `source` with `consts`, reusing the previous result; throws GarbleCompileError. */
export function compiled(source: string, consts: ConstInputs = {}): Program {
	const key = JSON.stringify([source, sortedConsts(consts)]);
	if (last?.key !== key) {
		// Dropped before compiling, so that the old circuit can go while the new one is built.
		last = undefined;
		last = { key, program: compile(source, { consts }) };
	}
	return last.program;
}

/** The constants with namespaces and names in order, so that equal ones make equal keys. */
function sortedConsts(consts: ConstInputs): [string, [string, string][]][] {
	return Object.entries(consts)
		.map(([space, values]): [string, [string, string][]] => [space, Object.entries(values).map(([name, value]): [string, string] => [name, String(value)]).sort()])
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The constants a program needs that `consts` does not give, as `NAMESPACE::NAME`. */
export function missingConsts(checked: CheckResult, consts: ConstInputs): string[] {
	const wanted = checked.partyConsts.map((c) => [`PARTY_${c.party}`, c.name]);
	if (checked.usesPartyCount) wanted.push(['PARTIES', 'TOTAL']);
	return wanted.filter(([space, name]) => consts[space]?.[name] === undefined).map(([space, name]) => `${space}::${name}`);
}

/** Errors, parties and (when it compiles without more constants) the size of a program. */
export function reportProgram(source: string, consts: ConstInputs = {}): ProgramReport {
	const checked = check(source);
	const report: ProgramReport = {
		errors: [...checked.errors],
		parties: checked.main?.params.map((p) => ({ ...p })) ?? [],
		...(checked.main ? { returnType: checked.main.returnType } : {}),
		partyConsts: checked.partyConsts.map((c) => ({ ...c }))
	};
	if (report.errors.length > 0 || missingConsts(checked, consts).length > 0) return report;
	try {
		const program = compiled(source, consts);
		const gates = countGates(program.circuit);
		report.parties = program.parties.map((p) => ({ ...p }));
		report.returnType = program.outputType;
		report.circuit = {
			andGates: gates.and,
			xorGates: gates.xor,
			inputBits: [...program.circuit.inputBits],
			outputBits: program.circuit.outputs.length
		};
	} catch (error) {
		if (!(error instanceof GarbleCompileError)) throw error;
		report.errors = [...error.errors];
	}
	return report;
}

/**
 * Party constants of the other parties are not known while one party types its input; a
 * parameter's type rarely depends on them, so stand-ins (1 or false) let the input be checked.
 */
function withStandIns(partyConsts: readonly PartyConst[], consts: ConstInputs): ConstInputs {
	const filled: Record<string, Record<string, string | number | bigint>> = {};
	for (const [space, values] of Object.entries(consts)) filled[space] = { ...values };
	for (const c of partyConsts) {
		const space = (filled[`PARTY_${c.party}`] ??= {});
		space[c.name] ??= c.type === 'bool' ? 'false' : 1;
	}
	return filled;
}

/** Whether `literal` is a valid input for `party`: checked in the Worker before anything is sent. */
export function checkInput(source: string, consts: ConstInputs, party: number, literal: string): InputReport {
	const program = compiled(source, withStandIns(check(source).partyConsts, consts));
	const type = program.parties[party]?.type ?? '?';
	if (literal.trim() === '') return { ok: false, message: `Type a value of type ${type}.`, expectedType: type };
	try {
		return { ok: true, bits: program.encodeInput(party, literal).length };
	} catch (error) {
		if (error instanceof GarbleLiteralError) return { ok: false, message: error.message, expectedType: error.expectedType };
		throw error;
	}
}
