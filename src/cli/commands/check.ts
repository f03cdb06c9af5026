import { check as checkProgram, formatErrors } from '../../lib/garble';
import { EXIT_DATA, EXIT_OK, UsageError, type Command } from '../command';
import { entryOf, FUNCTION_HELP, FUNCTION_OPTION, parse, readSource } from './garble-args';

export const check: Command = {
	help: [
		'Usage: polytune check FILE [--function NAME]',
		'',
		'Scans, parses and type-checks the Garble program in FILE and prints every error with the',
		'place in the source (exit 65), or "No type errors in the program." (exit 0), with a note',
		'on stderr when it has no function main.',
		'',
		'Options:',
		FUNCTION_HELP
	].join('\n'),
	async run(args) {
		const { values, positionals } = parse(args, FUNCTION_OPTION);
		if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
		const read = readSource(positionals[0]);
		if ('exit' in read) return read.exit;
		const entry = entryOf(values);
		const result = checkProgram(read.source, { entry });
		if (result.errors.length > 0) {
			console.error(formatErrors(result.errors, read.source, read.file));
			return EXIT_DATA;
		}
		if (entry !== undefined && !result.main) {
			console.error(`Could not find any function with name '${entry}'`);
			return EXIT_DATA;
		}
		console.log('No type errors in the program.');
		// As garble-lang, a program without main type-checks; it cannot run as it is, though.
		if (!result.main) console.error(`Note: ${read.file} has no function main, which \`polytune party\` and \`run\` call unless --function names another.`);
		return EXIT_OK;
	}
};
