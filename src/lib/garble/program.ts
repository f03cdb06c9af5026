/** Compiling a checked program to a circuit, with the input encoders and output decoder that go with it. */
import type { FnDef } from './ast';
import type { TypedProgram } from './check/check';
import type { Bits, Circuit } from './circuit';
import { CircuitTooLargeError } from './circuit/builder';
import { CircuitGates } from './circuit/gates';
import { Codegen } from './codegen/compile';
import type { Var, Word } from './codegen/env';
import { codeWidth, type PanicReason } from './codegen/panics';
import { resolveConsts, type ConstInputs } from './consts';
import { garbleError, GarbleCompileError, GarbleLiteralError, isStackOverflow, sourceExcerpt, STACK_OVERFLOW } from './errors';
import { analyse } from './frontend';
import { Layout, placed, TooLargeError } from './layout';
import { decodeLiteral, encodeLiteral, literalText, parseLiteralText } from './literal';
import { literalErrorsInline, literalHint } from './literal-message';
import type { Span } from './span';
import { typeText, type Type } from './types';

export interface CompileOptions {
	/** The function to compile (default `main`). */
	readonly entry?: string;
	/** Constants the program declares as `PARTY_0::ROWS` etc., e.g. `{ PARTY_0: { ROWS: 3 } }`. */
	readonly consts?: ConstInputs;
	/**
	 * The largest circuit to build, in input bits plus XOR and AND gates (default 2^26): a
	 * larger one is a compile error, found before it exhausts memory.
	 */
	readonly maxGates?: number;
}

/** 64 M gates: far beyond what an MPC run can afford, and about 1 GB while building. */
const MAX_GATES = 2 ** 26;

export interface PanicOutput {
	readonly kind: 'panic';
	/** 'Overflow', 'Division By Zero' or 'Array Access Out Of Bounds'. */
	readonly reason: PanicReason;
	readonly line: number;
	readonly column: number;
	/** garble-lang's message: `Panic due to Overflow on line 3:15.` */
	readonly message: string;
}

export type DecodedOutput = { readonly kind: 'value'; readonly text: string } | PanicOutput;

/** Where the circuit may panic, by the number it outputs for the site (number − 1). */
export interface PanicSiteInfo {
	readonly reason: PanicReason;
	readonly line: number;
	readonly column: number;
	readonly endLine: number;
	readonly endColumn: number;
}

export interface Program {
	/** Inputs grouped per party, in party order. */
	readonly circuit: Circuit;
	/** One party per parameter of the entry function, or one per element of its single array parameter. */
	readonly parties: readonly { readonly name: string; readonly type: string }[];
	readonly outputType: string;
	readonly panicSites: readonly PanicSiteInfo[];
	/** The last outputs of the circuit are the panic code, this many bits (0 when it cannot panic). */
	readonly panicCodeBits: number;
	/** The input bits of `party` for a literal of its parameter type; throws GarbleLiteralError. */
	encodeInput(party: number, literal: string): Bits;
	/** The result (or the panic) encoded in the circuit's output bits. */
	decodeOutput(bits: Bits): DecodedOutput;
}

interface Party {
	readonly name: string;
	readonly type: Type;
	/** The parameter it comes from. */
	readonly span: Span;
}

/** The most parties a program may have: what the MPC engine runs (party 255 is the dealer). */
export const MAX_PARTIES = 254;

/** Each parameter is a party, except that a single array parameter is one party per element. */
function partiesOf(main: FnDef<Type>, layout: Layout): Party[] {
	const [only] = main.params;
	if (main.params.length === 1 && (only.type.kind === 'array' || only.type.kind === 'arrayConst')) {
		const elem = layout.concrete(only.type.elem);
		const parties = layout.arrayLength(only.type);
		if (parties > MAX_PARTIES) {
			const message = `The parameter ${only.name}: ${typeText(layout.concrete(only.type))} makes one party per element: ${parties} parties, more than the ${MAX_PARTIES} a program may have`;
			throw new GarbleCompileError([garbleError('compile', message, only.span)]);
		}
		return Array.from({ length: parties }, (_, i) => ({ name: `${only.name}[${i}]`, type: elem, span: only.span }));
	}
	return main.params.map((p) => ({ name: p.name, type: layout.concrete(p.type), span: p.span }));
}

/** Checks and compiles `source`; throws GarbleCompileError listing every problem. */
export function compileProgram(source: string, options: CompileOptions = {}): Program {
	try {
		return compileChecked(source, options);
	} catch (error) {
		if (error instanceof TooLargeError) throw new GarbleCompileError([garbleError('compile', error.message, error.span)]);
		if (error instanceof CircuitTooLargeError) throw new GarbleCompileError([garbleError('compile', error.programMessage, null)]);
		if (isStackOverflow(error)) throw new GarbleCompileError([garbleError('compile', STACK_OVERFLOW, null)]);
		throw error;
	}
}

function compileChecked(source: string, options: CompileOptions): Program {
	const front = analyse(source);
	if (!front.typed) throw new GarbleCompileError(front.errors);
	const program = front.typed;
	const resolved = resolveConsts(program, options.consts ?? {});
	if ('errors' in resolved) throw new GarbleCompileError(resolved.errors);
	const entry = options.entry ?? 'main';
	const main = program.fns.get(entry);
	if (!main) throw new GarbleCompileError([garbleError('compile', `Could not find any function with name '${entry}'`, null)]);
	const layout = new Layout(program, resolved.values);
	const parties = partiesOf(main, layout);
	const inputBits = parties.map((p) => placed(p.span, () => layout.bits(p.type)));
	const gates = new CircuitGates(inputBits, { maxNodes: options.maxGates ?? MAX_GATES });
	const consts = new Map<string, Var>();
	for (const [name, def] of program.consts) {
		consts.set(name, { wires: gates.constantWord(resolved.values.get(name)!, placed(def.span, () => layout.bits(def.type))), ty: def.type });
	}
	let next = 0;
	const inputWord = (bits: number): Word => Array.from({ length: bits }, () => gates.input(next++));
	const partyWords = inputBits.map(inputWord);
	const args = parties.length === main.params.length ? partyWords : [partyWords.flat()];
	const codegen = new Codegen(gates, layout, program, consts);
	const value = codegen.callFunction(main, args);
	const circuit = gates.build([...value, ...codegen.panics.codeBits()]);
	return new CompiledProgram(program, layout, parties, main.returnType, circuit, codegen.panics.sites.map((s) => ({
		reason: s.reason,
		line: s.span.startLine + 1,
		column: s.span.startColumn + 1,
		endLine: s.span.endLine + 1,
		endColumn: s.span.endColumn + 1
	})));
}

class CompiledProgram implements Program {
	readonly parties: readonly { readonly name: string; readonly type: string }[];
	readonly outputType: string;
	readonly panicCodeBits: number;
	/** The program with array sizes in struct fields and enum variants resolved, for input literals. */
	private readonly literalProgram: TypedProgram;

	constructor(
		private readonly program: TypedProgram,
		private readonly layout: Layout,
		private readonly partyTypes: readonly Party[],
		private readonly returnType: Type,
		readonly circuit: Circuit,
		readonly panicSites: readonly PanicSiteInfo[]
	) {
		this.parties = partyTypes.map((p) => ({ name: p.name, type: typeText(p.type) }));
		this.outputType = typeText(layout.concrete(returnType));
		this.panicCodeBits = codeWidth(panicSites.length);
		const concrete = (ty: Type) => layout.concrete(ty);
		this.literalProgram = {
			...program,
			structs: new Map([...program.structs].map(([name, def]) => [name, { ...def, fields: def.fields.map(([f, ty]) => [f, concrete(ty)] as const) }])),
			enums: new Map([...program.enums].map(([name, def]) => [name, { ...def, variants: def.variants.map((v) => ({ ...v, fields: v.fields?.map(concrete) ?? null })) }]))
		};
	}

	encodeInput(party: number, literal: string): Bits {
		const target = this.partyTypes[party];
		if (!target) throw new RangeError(`the program has ${this.partyTypes.length} parties, there is no party ${party}`);
		const parsed = parseLiteralText(literal, target.type, this.literalProgram);
		const type = typeText(target.type);
		if ('errors' in parsed) {
			const hint = literalHint(literal);
			const details = `${literalErrorsInline(parsed.errors)}${hint ? `. ${hint}` : ''}`;
			throw new GarbleLiteralError(`The input of party ${party} is not of type ${type}: ${details}`, type, parsed.errors, hint);
		}
		const bits = new Uint8Array(this.layout.bits(target.type));
		encodeLiteral(parsed.literal, target.type, this.layout, bits, 0);
		return bits;
	}

	decodeOutput(bits: Bits): DecodedOutput {
		const valueBits = this.layout.bits(this.returnType);
		const width = this.panicCodeBits;
		if (bits.length !== valueBits + width) {
			throw new RangeError(`expected ${valueBits + width} output bits, got ${bits.length}`);
		}
		let code = 0;
		for (let i = 0; i < width; i++) code = code * 2 + bits[valueBits + i];
		if (code > 0) {
			const site = this.panicSites[code - 1];
			if (!site) throw new RangeError(`output names panic site ${code}, which does not exist`);
			const message = `Panic due to ${site.reason} on line ${site.line}:${site.column}.`;
			return { kind: 'panic', reason: site.reason, line: site.line, column: site.column, message };
		}
		return { kind: 'value', text: literalText(decodeLiteral(bits, 0, this.returnType, this.layout)) };
	}
}

/** A panic as garble-lang's CLI prints it: the message and the marked source. */
export function formatPanic(program: Program, panic: PanicOutput, source: string): string {
	const site = program.panicSites.find((s) => s.line === panic.line && s.column === panic.column && s.reason === panic.reason);
	return `${panic.message}\n\n${site ? sourceExcerpt(source, site) : ''}`;
}


