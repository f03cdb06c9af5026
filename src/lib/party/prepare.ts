/**
 * Everything a party can check on its own before it joins: the program, its settings, its
 * constants and (when the program needs no party's constants) its input. A mistake here
 * never reaches the relay or the other parties.
 */
import { check, compile, GarbleCompileError, type Bits, type CheckResult, type Circuit, type ConstInputs, type GarbleError, type Program } from '../garble';
import { DEALER_PARTY, partyName } from '../channel/channel';
import { MismatchError, PartySetupError } from './errors';
import type { PartyTerms, PreprocessingChoice } from './messages';

export interface PartySettings {
	/** This party's index, 0 … (parties − 1). */
	party: number;
	/** The Garble program's source. */
	program: string;
	/** This party's input as a Garble literal, e.g. `123u32`. */
	input: string;
	/** This party's constants `PARTY_{party}::NAME`, by NAME (or by the full `PARTY_i::NAME`). */
	consts?: Readonly<Record<string, string | number | bigint>>;
	/** Constants of other namespaces every party compiles with (e.g. from the session info). */
	sharedConsts?: ConstInputs;
	/** The number of computing parties, needed only when the program cannot tell (one array parameter of unknown length). */
	parties?: number;
	/** `auto` (default): the dealer when the session grants one (`dealer`), else OT. */
	preprocessing?: PreprocessingChoice;
	/**
	 * The Ed25519 public key (hex) of the dealer the session's creator granted (the session
	 * info's `dealer`): only a dealer that signs with it can deal for this party.
	 */
	dealer?: string;
	/** The party that evaluates the garbled circuit (default 0). */
	evaluator?: number;
	/** The parties that learn the output (default: all). */
	outputParties?: readonly number[];
	/**
	 * Compiles `source` with `consts` (default: `compile`). The browser's Worker passes its
	 * cache: a program it compiled already to show the form is not compiled again, and a big
	 * program's circuit is in memory once.
	 */
	compiler?: (source: string, consts: ConstInputs) => Program;
}

export interface PreparedParty extends PartyTerms {
	/** Compiles with every party's constants (index = party). */
	compileWith(consts: readonly Readonly<Record<string, string>>[]): Program;
	/** Encodes this party's input for the compiled program; throws GarbleLiteralError. */
	encodeInput(program: Program): Bits;
	/** Compiled already, when no party constants are needed. */
	program?: Program;
}

const ARRAY_LENGTH = /;\s*(\d+)\]$/;

/**
 * Checks the settings and the program; throws PartySetupError, GarbleCompileError or
 * GarbleLiteralError. `keyed`: the run is sealed with a session key, where only a granted
 * dealer can deal.
 */
export function prepareParty(settings: PartySettings, { keyed = false } = {}): PreparedParty {
	const { checked, main } = checkProgram(settings.program);
	const parties = partyCount(main.params, settings.parties);
	const { party } = settings;
	if (!Number.isInteger(party) || party < 0 || party >= parties) {
		throw new PartySetupError(`there is no party ${party}: the program has ${parties} parties, numbered 0 to ${parties - 1}`);
	}
	const evaluator = settings.evaluator ?? 0;
	if (!Number.isInteger(evaluator) || evaluator < 0 || evaluator >= parties) {
		throw new PartySetupError(`the evaluator must be a party from 0 to ${parties - 1}, got ${evaluator}`);
	}
	const outputParties = [...(settings.outputParties ?? Array.from({ length: parties }, (_, p) => p))].sort((a, b) => a - b);
	if (outputParties.length === 0 || outputParties.some((p, i) => !Number.isInteger(p) || p < 0 || p >= parties || p === outputParties[i - 1])) {
		throw new PartySetupError(`the output parties must be distinct parties from 0 to ${parties - 1}, got ${outputParties.join(', ') || 'none'}`);
	}
	const preprocessing = settings.preprocessing ?? 'auto';
	if (settings.dealer !== undefined && !/^[0-9a-f]{64}$/.test(settings.dealer)) {
		throw new PartySetupError(`a dealer key is an Ed25519 public key in 64 hex digits, got '${settings.dealer.slice(0, 80)}'`);
	}
	if (keyed && preprocessing === 'dealer' && !settings.dealer) {
		throw new PartySetupError("this session grants no dealer: with a session key, only a dealer that the session's creator granted can deal");
	}
	const wanted = checked.partyConsts.filter((c) => c.party === party);
	const consts = ownConsts(settings.consts ?? {}, party, wanted);
	const compileWith = (all: readonly Readonly<Record<string, string>>[]) => {
		all.forEach((given, p) => compareConstNames(given, p, checked.partyConsts));
		try {
			return compileAs(settings.program, runConsts(checked, parties, settings.sharedConsts, all), settings.compiler);
		} catch (error) {
			if (!(error instanceof GarbleCompileError) || all.length === 0) throw error;
			const supplied = all.flatMap((c, p) => Object.entries(c).map(([name, value]) => `PARTY_${p}::${name}=${value}`)).join(', ');
			throw new ConstantsError(error.errors, `the program does not compile with the constants the parties supplied (${supplied}): ${error.message}`);
		}
	};
	const encodeInput = (program: Program) => program.encodeInput(party, settings.input);
	const prepared: PreparedParty = {
		party,
		parties,
		evaluator,
		outputParties,
		preprocessing,
		consts,
		...(settings.dealer ? { dealer: settings.dealer } : {}),
		compileWith,
		encodeInput
	};
	if (checked.partyConsts.length === 0) {
		prepared.program = compileWith([]);
		encodeInput(prepared.program);
	}
	return prepared;
}

/** What a dealer that knows the session's program needs to compile it as the parties do. */
export interface DealerProgram {
	/** The Garble program's source. */
	source: string;
	/** Constants of other namespaces every party compiles with (the session info's). */
	sharedConsts?: ConstInputs;
	/** As PartySettings.compiler. */
	compiler?: PartySettings['compiler'];
}

/**
 * The circuit of the session's program for `parties` parties, compiled as every party compiles
 * it, so that the dealer can deal for it (runDealer's `circuit`); null when the program takes
 * constants from the parties, which they exchange in a handshake the dealer does not see (the
 * dealer then deals triples). Throws GarbleCompileError or PartySetupError.
 */
export function dealerCircuit(program: DealerProgram, parties: number): Circuit | null {
	const checked = checkDealerProgram(program.source, parties);
	if (checked.partyConsts.length > 0) return null;
	return compileAs(program.source, runConsts(checked, parties, program.sharedConsts, []), program.compiler).circuit;
}

/** Checks a program the dealer is given for `parties` parties, without compiling it; throws GarbleCompileError or PartySetupError. */
export function checkDealerProgram(source: string, parties: number): CheckResult {
	const { checked, main } = checkProgram(source);
	partyCount(main.params, parties);
	return checked;
}

/** The program's checks, and its `main`; throws GarbleCompileError or PartySetupError. */
function checkProgram(source: string): { checked: CheckResult; main: NonNullable<CheckResult['main']> } {
	const checked = check(source);
	if (checked.errors.length > 0) throw new GarbleCompileError(checked.errors);
	if (!checked.main) throw new PartySetupError('the program has no `main` function');
	return { checked, main: checked.main };
}

/** The constants a run compiles with: the session's, the party count where the program asks for it, and each party's own (index = party). */
function runConsts(checked: CheckResult, parties: number, shared: ConstInputs | undefined, all: readonly Readonly<Record<string, string>>[]): ConstInputs {
	return {
		...shared,
		...(checked.usesPartyCount ? { PARTIES: { TOTAL: parties } } : {}),
		...Object.fromEntries(all.map((c, p) => [`PARTY_${p}`, c]))
	};
}

function compileAs(source: string, consts: ConstInputs, compiler: PartySettings['compiler']): Program {
	return compiler ? compiler(source, consts) : compile(source, { consts });
}

/** The program does not compile with the constants the parties supplied (e.g. one of the wrong type). */
export class ConstantsError extends GarbleCompileError {
	override name = 'ConstantsError';
	constructor(errors: readonly GarbleError[], message: string) {
		super(errors);
		this.message = message;
	}
}

/** A party supplied other constants than our program wants from it: it runs another program. */
function compareConstNames(given: Readonly<Record<string, string>>, party: number, wanted: readonly { party: number; name: string }[]): void {
	const names = wanted.filter((w) => w.party === party).map((w) => w.name);
	const missing = names.filter((name) => !(name in given));
	const extra = Object.keys(given).filter((name) => !names.includes(name));
	if (missing.length === 0 && extra.length === 0) return;
	const what = missing.length > 0 ? `supplied no ${missing.map((n) => `PARTY_${party}::${n}`).join(', ')}, which our program needs` : `supplied ${extra.map((n) => `PARTY_${party}::${n}`).join(', ')}, which our program does not declare`;
	throw new MismatchError('constants', party, `${partyName(party)} ${what}: does it run the same program?`);
}

/** The number of computing parties: one per parameter of `main`, or the length of its single array parameter. */
function partyCount(params: readonly { name: string; type: string }[], given: number | undefined): number {
	let parties: number | undefined = params.length;
	if (params.length === 1 && params[0].type.startsWith('[')) {
		const length = ARRAY_LENGTH.exec(params[0].type);
		parties = length ? Number(length[1]) : given;
		if (parties === undefined) {
			throw new PartySetupError(`the program takes one array '${params[0].name}: ${params[0].type}' whose length (the number of parties) it does not fix: give the number of parties`);
		}
	}
	if (given !== undefined && given !== parties) throw new PartySetupError(`the program has ${parties} parties, not ${given}`);
	if (parties < 2) throw new PartySetupError(`the program has ${parties} part${parties === 1 ? 'y' : 'ies'}; MPC needs at least 2`);
	if (parties >= DEALER_PARTY) throw new PartySetupError(`the program has ${parties} parties; at most ${DEALER_PARTY - 1} are supported`);
	return parties;
}

/** This party's constants by NAME; every one the program wants, and no other. */
function ownConsts(given: Readonly<Record<string, string | number | bigint>>, party: number, wanted: readonly { name: string; type: string }[]): Record<string, string> {
	const consts: Record<string, string> = {};
	for (const [key, value] of Object.entries(given)) {
		const qualified = /^PARTY_(\d+)::(.+)$/.exec(key);
		if (qualified && Number(qualified[1]) !== party) {
			throw new PartySetupError(`party ${party} cannot supply ${key}: each party supplies only its own constants (PARTY_${party}::…)`);
		}
		const name = qualified ? qualified[2] : key;
		if (!wanted.some((w) => w.name === name)) {
			const known = wanted.map((w) => `PARTY_${party}::${w.name}`).join(', ');
			throw new PartySetupError(`the program has no constant PARTY_${party}::${name}${known ? ` (it wants ${known})` : ' (it wants no constants from this party)'}`);
		}
		consts[name] = String(value);
	}
	const missing = wanted.filter((w) => !(w.name in consts));
	if (missing.length > 0) {
		throw new PartySetupError(`the program needs ${missing.map((w) => `PARTY_${party}::${w.name} (${w.type})`).join(', ')} from this party`);
	}
	return consts;
}
