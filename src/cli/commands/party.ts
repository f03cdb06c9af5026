import { formatErrors, formatPanic, GarbleCompileError, GarbleLiteralError } from '../../lib/garble';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ConstantsError, DEALER_TRUST, dealerFingerprint, NO_THIRD_PARTY, PartySetupError, runParty, UNAUTHENTICATED_DEALER, type PartyResult, type PersonalPass, type PreprocessingChoice } from '../../lib/party';
import { EXIT_DATA, EXIT_OK, EXIT_SOFTWARE, UsageError, type Command } from '../command';
import { describeFailure, installNodeBackend, interruptible, parseTimeout, partyCountOf, partyNumber, SESSION_HELP, SESSION_OPTIONS, sessionTarget, targetInfo } from '../session-args';
import { statusPrinter } from '../status-printer';
import { parse, readInput, readSource, refusedInputHint } from './garble-args';

const OPTIONS = {
	...SESSION_OPTIONS,
	program: { type: 'string' },
	party: { type: 'string' },
	input: { type: 'string', short: 'i' },
	const: { type: 'string', multiple: true },
	preprocessing: { type: 'string' },
	evaluator: { type: 'string' },
	'output-parties': { type: 'string' },
	parties: { type: 'string' }
} as const;

export const party: Command = {
	help: [
		'Usage: polytune party URL --session=S --program=FILE --party=I --input=LITERAL [options]',
		'       polytune party LINK --program=FILE [--party=I] --input=LITERAL [options]',
		'',
		'Joins session S on the relay at URL (or the session of a link from the web app, which',
		'carries its key) as party I, waits until every party has joined, checks that all run the',
		'same program and settings, and computes the program with the others: nobody learns your',
		'input. Prints "The result is <literal>" as its last line (exit 0). A program that',
		'panics exits 70; a bad program, input or option 65; a failed run (relay unreachable,',
		'timeout, mismatch, protocol abort) 1, with one line saying why.',
		'',
		`With a dealer: ${DEALER_TRUST}`,
		`With OT: ${NO_THIRD_PARTY}`,
		'',
		'Options:',
		'  --program FILE        the Garble program (every party runs the same one)',
		'  --party I             your party number: 0 for the first parameter of main, 1 for the next…',
		'                        (a personal link names it: then --party is not needed)',
		'  -i, --input LITERAL   your input as a Garble literal, e.g. 123u32 or -5i32 (or a file that holds one)',
		'  --const NAME=VALUE    a constant PARTY_I::NAME that your party supplies (repeatable)',
		...SESSION_HELP,
		'  --preprocessing MODE  auto (default): the trusted dealer when the session grants one (a',
		'                        session made with a dealer on the web or by `polytune pre` with a',
		'                        key), else OT; dealer or ot force a mode (all parties must agree).',
		'                        Without a key only dealer uses a dealer, and it is not authenticated.',
		'  --evaluator I         the party that evaluates the garbled circuit (default 0)',
		'  --output-parties L    the parties that learn the result, e.g. 0,2 (default: all)',
		'  --parties N           the number of parties, only for a program that cannot tell'
	].join('\n'),
	async run(args) {
		const { values, positionals } = parse(args, OPTIONS);
		const target = sessionTarget(positionals, values, process.env);
		if (target.dealerSecret) throw new UsageError("this is the dealer's link (it carries the dealer secret): parties join with the party link");
		if (values.program === undefined) throw new UsageError('missing --program FILE');
		if (values.input === undefined) throw new UsageError('missing --input LITERAL');
		const me = partyOf(target.personal, values.party);
		const settings = {
			party: me,
			input: readInput(values.input).trim(),
			consts: constants(values.const ?? []),
			preprocessing: preprocessingChoice(values.preprocessing),
			timeoutMs: parseTimeout(values.timeout),
			...(values.evaluator !== undefined ? { evaluator: partyNumber(values.evaluator, '--evaluator') } : {}),
			...(values['output-parties'] !== undefined ? { outputParties: partyList(values['output-parties']) } : {}),
			...(values.parties !== undefined ? { parties: partyCountOf(values.parties, '--parties') } : {})
		};
		const read = readSource(values.program, { command: 'party', option: '--program' });
		if ('exit' in read) return read.exit;
		const quiet = values.quiet ?? false;
		if (!target.key && !quiet) console.error('polytune party: no session key (--key): messages cross the relay in plaintext, readable by the relay');
		const printer = statusPrinter({ who: `party ${me}`, session: target.session, quiet });
		try {
			// The dealer the session grants and the parties' personal identities, if any: in the sealed session info, read with the key.
			const info = target.key ? await targetInfo({ ...target, key: target.key }) : undefined;
			const dealer = info?.dealer;
			if (target.personal && !info?.slotKeys) {
				throw new PartySetupError(`this is a personal link, but session '${target.session}' has no personal identities on the relay (its info is gone or was published again): ask for a new link`);
			}
			if (!quiet && (settings.preprocessing === 'dealer' || (settings.preprocessing === 'auto' && dealer))) {
				console.error(`polytune party: ${DEALER_TRUST}${dealer ? ` (Dealer key fingerprint ${dealerFingerprint(dealer)}.)` : ` ${UNAUTHENTICATED_DEALER}`}`);
			}
			installNodeBackend();
			let exit = EXIT_OK;
			// The result is shown as soon as it is known; leaving the session comes after.
			const onResult = (result: PartyResult) => {
				printer.finish();
				exit = showResult(result, me, read.source, quiet);
			};
			await interruptible((signal) =>
				runParty({
					...target,
					...settings,
					...(dealer ? { dealer } : {}),
					...(info?.slotKeys ? { slotKeys: info.slotKeys } : {}),
					...(target.personal ? { identity: { secret: bytesToHex(target.personal.secret) } } : {}),
					program: read.source,
					onStatus: (status) => printer.update(status),
					onResult,
					signal
				})
			);
			return exit;
		} catch (error) {
			printer.finish();
			return reportFailure(error, read, settings.input);
		}
	}
};

/** The party number: a personal link's, which --party may repeat but not contradict, else --party. */
function partyOf(personal: PersonalPass | undefined, given: string | undefined): number {
	if (!personal) return partyNumber(given, '--party');
	if (given !== undefined && partyNumber(given, '--party') !== personal.party) {
		throw new UsageError(`--party ${given} differs from the personal link's party ${personal.party}`);
	}
	return personal.party;
}

/** Prints a party's result (or its panic); the exit code. */
function showResult(result: PartyResult, me: number, source: string, quiet: boolean): number {
	if (!result.output) {
		if (!quiet) console.error(`polytune party: done; party ${me} is not an output party`);
		return EXIT_OK;
	}
	if (result.output.kind === 'panic') {
		console.error(formatPanic(result.program, result.output, source));
		return EXIT_SOFTWARE;
	}
	console.log(`The result is ${result.output.text}`);
	return EXIT_OK;
}

function reportFailure(error: unknown, program: { source: string; file: string }, input: string): number {
	if (error instanceof GarbleLiteralError) {
		console.error(`polytune party: --input is not a valid \`${error.expectedType}\`:\n${formatErrors(error.errors, input, 'input')}${refusedInputHint(input, error)}`);
		return EXIT_DATA;
	}
	if (error instanceof GarbleCompileError && !(error instanceof ConstantsError)) {
		console.error(formatErrors(error.errors, program.source, program.file));
		return EXIT_DATA;
	}
	const { message, exit } = describeFailure(error);
	console.error(`polytune party: ${message}`);
	return exit;
}

function partyList(text: string): number[] {
	return text.split(',').map((part) => partyNumber(part.trim(), '--output-parties'));
}

function preprocessingChoice(text: string | undefined): PreprocessingChoice {
	if (text === undefined) return 'auto';
	if (text === 'auto' || text === 'dealer' || text === 'ot') return text;
	throw new UsageError(`--preprocessing must be auto, dealer or ot, got '${text}'`);
}

/** `--const ROWS=3` (or `--const PARTY_1::ROWS=3`) as NAME → literal. */
function constants(values: readonly string[]): Record<string, string> {
	const consts: Record<string, string> = {};
	for (const value of values) {
		const match = /^((?:PARTY_\d+::)?[A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
		if (!match) throw new UsageError(`--const must look like ROWS=3, got '${value}'`);
		consts[match[1]] = match[2];
	}
	return consts;
}
