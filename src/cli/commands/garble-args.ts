/** Command-line pieces shared by `check`, `run` and `compile`: reading the program and its options. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { compile, formatErrors, GarbleCompileError, GarbleLiteralError, type ConstInputs, type Program } from '../../lib/garble';
import { EXIT_DATA, UsageError } from '../command';

export const FUNCTION_OPTION = { function: { type: 'string', short: 'f' }, fn: { type: 'string' } } as const;
const CONST_OPTION = { const: { type: 'string', multiple: true } } as const;

export const FUNCTION_HELP = '  -f, --function NAME     the function to use (default: main)';
const CONST_HELP = '  --const NS::NAME=VALUE  a constant of the program, e.g. --const PARTY_0::ROWS=3 (repeatable)';
/** The options of commands that compile. */
export const COMPILE_OPTIONS_HELP = ['Options:', FUNCTION_HELP, CONST_HELP];

/**
 * Parses arguments, turning node's errors into usage errors. A Garble literal that starts
 * with a minus (`-5i32`) is a value, never an option: see `literalsAsValues`.
 */
export function parse<T extends ParseArgsConfig['options']>(args: string[], options: T) {
	let parsed;
	try {
		parsed = parseArgs({ args: literalsAsValues(args, options ?? {}), options, allowPositionals: true, strict: true, tokens: true });
	} catch (error) {
		throw new UsageError(unknownOption(error, options ?? {}) ?? (error instanceof Error ? error.message : String(error)));
	}
	refuseRepeats(parsed.tokens, options ?? {});
	return parsed;
}

/** parseArgs' refusal of an unknown option, said with the known option it is closest to, if one is a typo away. */
function unknownOption(error: unknown, options: NonNullable<ParseArgsConfig['options']>): string | undefined {
	if ((error as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
	const given = /Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
	if (given === undefined) return undefined;
	const name = given.replace(/^-+/, '').split('=')[0];
	const closest = Object.keys(options)
		.map((known) => ({ known, distance: editDistance(name, known) }))
		.sort((a, b) => a.distance - b.distance)[0];
	return closest && closest.distance <= Math.min(2, name.length - 1, closest.known.length - 1)
		? `Unknown option '${given}': did you mean --${closest.known}?`
		: `Unknown option '${given}' (a value that starts with '-' goes at the end, after '--')`;
}

/** Levenshtein distance: insertions, deletions and substitutions from a to b. */
function editDistance(a: string, b: string): number {
	let row = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		row = next;
	}
	return row[b.length];
}

/** An option that takes one value, given twice, is a mistake (parseArgs would keep the last silently): say so. */
function refuseRepeats(tokens: readonly { kind: string; name?: string; value?: string }[], options: NonNullable<ParseArgsConfig['options']>): void {
	const given = new Map<string, string[]>();
	for (const token of tokens) {
		if (token.kind !== 'option' || !token.name || options[token.name]?.multiple) continue;
		given.set(token.name, [...(given.get(token.name) ?? []), token.value ?? '']);
	}
	for (const [name, values] of given) {
		if (values.length < 2) continue;
		const shown = values.some(Boolean) && !SECRET_OPTIONS.has(name) ? ` (${values.map((value) => `'${value}'`).join(', ')})` : '';
		throw new UsageError(`--${name} is given ${values.length} times${shown}: give it once`);
	}
}

/** Options whose values no message repeats. */
const SECRET_OPTIONS = new Set(['key', 'dealer-secret']);

/** A negative number literal (`-5`, `-5i32`, `-128i8`): no option of ours starts with a minus and a digit. */
const NEGATIVE_LITERAL = /^-\d/;

/**
 * The arguments with each negative literal put so that node's parseArgs takes it as the value
 * it is: by itself parseArgs reads `-5i32` as the options `-5`, `-i`… and refuses `--input -5i32`
 * as ambiguous. After an option that takes a value, the literal joins it (`--input=-5i32`,
 * `-i-5i32`), and so does any other argument starting with a minus that is not one of our
 * options (a session key in base64url may start with one: `--key -Rw…`); anywhere else a
 * literal is a positional, and the positionals then go, in their order, after a `--`.
 * Arguments after a `--` of the user's are positionals already.
 */
function literalsAsValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
	const flags: string[] = [];
	const positionals: string[] = [];
	let awaitingValue = false;
	let rewritten = false;
	for (const [index, arg] of args.entries()) {
		if (awaitingValue) {
			awaitingValue = false;
			if (NEGATIVE_LITERAL.test(arg) || (arg.startsWith('-') && !namesOption(arg, options))) {
				const option = flags.pop()!;
				flags.push(option.startsWith('--') ? `${option}=${arg}` : `${option}${arg}`);
				rewritten = true;
			} else flags.push(arg);
		} else if (arg === '--') {
			positionals.push(...args.slice(index + 1));
			break;
		} else if (NEGATIVE_LITERAL.test(arg)) {
			positionals.push(arg);
			rewritten = true;
		} else if (arg.startsWith('-') && arg !== '-') {
			flags.push(arg);
			awaitingValue = takesNextArgument(arg, options);
		} else {
			positionals.push(arg);
		}
	}
	return rewritten ? [...flags, '--', ...positionals] : [...args];
}

/** Whether `arg` is one of `options` (`--name`, `--name=…`, or `-` and short names only), as opposed to a value that starts with a minus. */
function namesOption(arg: string, options: NonNullable<ParseArgsConfig['options']>): boolean {
	if (arg === '-' || arg === '--') return true;
	if (arg.startsWith('--')) return arg.slice(2).split('=')[0] in options;
	const shorts = new Set(Object.values(options).map((option) => option.short));
	return [...arg.slice(1)].every((letter) => shorts.has(letter));
}

/** Whether the option `arg` (`--name`, `-n` or a group `-qn`) takes the next argument as its value, as parseArgs decides. */
function takesNextArgument(arg: string, options: NonNullable<ParseArgsConfig['options']>): boolean {
	if (arg.startsWith('--')) return !arg.includes('=') && options[arg.slice(2)]?.type === 'string';
	const shorts = arg.slice(1);
	// In a group, the first letter that takes a value takes the rest of the group, or else the next argument.
	const first = [...shorts].findIndex((letter) => Object.values(options).some((option) => option.short === letter && option.type === 'string'));
	return first === shorts.length - 1;
}

/**
 * A Garble program read from a file; exits with EXIT_DATA (after a message) when it cannot be
 * read. `given` names the command and option it came from (`polytune party: --program …`); the
 * garble-compatible commands, which take it as their argument, say it as garble does.
 */
export function readSource(file: string | undefined, given?: { command: string; option: string }): { source: string; file: string } | { exit: number } {
	if (file === undefined) throw new UsageError('missing the program FILE');
	const problem = !existsSync(file) ? `Couldn't find "${file}"` : statSync(file).isDirectory() ? `"${file}" is a directory, not a program file` : undefined;
	const say = (message: string) => console.error(given ? `polytune ${given.command}: ${given.option}: ${message}` : message);
	if (problem) {
		say(problem);
		return { exit: EXIT_DATA };
	}
	const text = utf8Text(readFileSync(file));
	if (typeof text !== 'string') {
		say(`"${file}" is not UTF-8 text: byte 0x${text.byte.toString(16).padStart(2, '0')} on line ${text.line}:${text.column} (a Garble program is UTF-8)`);
		return { exit: EXIT_DATA };
	}
	return { source: text, file };
}

/** `bytes` as UTF-8 text (a byte-order mark dropped), or where the first byte that is not UTF-8 is. */
function utf8Text(bytes: Uint8Array): string | { byte: number; line: number; column: number } {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		const bad = firstNonUtf8(bytes);
		const lines = new TextDecoder().decode(bytes.subarray(0, bad)).split('\n');
		return { byte: bytes[bad], line: lines.length, column: Array.from(lines[lines.length - 1]).length + 1 };
	}
}

/** The index of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629), or the length. */
function firstNonUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const lead = bytes[i];
		if (lead < 0x80) {
			i++;
			continue;
		}
		const more = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
		if (more < 0 || i + more >= bytes.length) return i;
		// The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
		const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
		const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
		if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
		for (let k = 2; k <= more; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
		i += more + 1;
	}
	return bytes.length;
}

/** An input is a Garble literal, or the path of a file that holds one (as in garble-lang). */
export function readInput(input: string): string {
	return existsSync(input) && statSync(input).isFile() ? readFileSync(input, 'utf8') : input;
}

/**
 * What to add to a refused input: what its writer likely meant (the literal's hint), and for one
 * that may have been meant as a file, a directory or a name that looks like a path but is no
 * file (a Garble literal has no `/` and no `.txt`).
 */
export function refusedInputHint(input: string, error: GarbleLiteralError): string {
	const meant = error.hint ? `\n${error.hint}` : '';
	const found = statSync(input, { throwIfNoEntry: false });
	if (found?.isDirectory()) return `${meant}\n("${input}" is a directory: an input file must be a file)`;
	if (!found && /[/\\]|\.[A-Za-z]{2,4}$/.test(input)) return `${meant}\n(and there is no file "${input}")`;
	return meant;
}

/** `--const PARTY_0::ROWS=3` options as the compiler's constants. */
function constInputs(values: readonly string[] | undefined): ConstInputs {
	const consts: Record<string, Record<string, string>> = {};
	for (const value of values ?? []) {
		const match = /^([A-Za-z_][A-Za-z0-9_]*)::([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
		if (!match) throw new UsageError(`--const must look like PARTY_0::ROWS=3, got '${value}'`);
		const [, namespace, name, literal] = match;
		(consts[namespace] ??= {})[name] = literal;
	}
	return consts;
}

/** Compiles, printing errors as garble-lang does; a number is the exit code on failure. */
function compileOrReport(source: string, file: string, entry: string | undefined, consts: ConstInputs): Program | number {
	try {
		return compile(source, { entry, consts });
	} catch (error) {
		if (!(error instanceof GarbleCompileError)) throw error;
		console.error(formatErrors(error.errors, source, file));
		return EXIT_DATA;
	}
}

/** The entry function named by --function (or its alias --fn). */
export function entryOf(values: { function?: string; fn?: string }): string | undefined {
	return values.function ?? values.fn;
}

/**
 * Reads and compiles the program named by the first positional argument, with --function and
 * --const; `rest` are the positional arguments after it. On failure, the exit code.
 */
export function loadProgram(args: string[]): { program: Program; source: string; rest: string[] } | { exit: number } {
	const { values, positionals } = parse(args, { ...FUNCTION_OPTION, ...CONST_OPTION });
	const [file, ...rest] = positionals;
	const read = readSource(file);
	if ('exit' in read) return read;
	const program = compileOrReport(read.source, read.file, entryOf(values), constInputs(values.const));
	return typeof program === 'number' ? { exit: program } : { program, source: read.source, rest };
}
