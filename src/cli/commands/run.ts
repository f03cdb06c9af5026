import { evaluateCircuit, formatErrors, formatPanic, GarbleLiteralError, type Bits } from '../../lib/garble';
import { EXIT_DATA, EXIT_OK, EXIT_SOFTWARE, UsageError, type Command } from '../command';
import { COMPILE_OPTIONS_HELP, loadProgram, readInput, refusedInputHint } from './garble-args';

export const run: Command = {
	help: [
		'Usage: polytune run FILE INPUT... [--function NAME] [--const NS::NAME=VALUE ...]',
		'',
		'Compiles the Garble program in FILE and evaluates its circuit on the inputs, one Garble',
		'literal (or a file containing one) per party: one per parameter of the function, or one',
		'per element when its only parameter is an array; a negative one (-5i32) is an input, not an',
		'option. Prints the result (exit 0); a panic is printed as garble-lang prints it (exit 70);',
		'program and input errors exit with 65.',
		'',
		...COMPILE_OPTIONS_HELP
	].join('\n'),
	async run(args) {
		const loaded = loadProgram(args);
		if ('exit' in loaded) return loaded.exit;
		const { program, source, rest: inputs } = loaded;
		if (inputs.length === 0) throw new UsageError('missing the INPUT of each party');
		const literals = inputs.map(readInput);
		if (literals.length !== program.parties.length) {
			console.error(`Expected ${program.parties.length} inputs, but found ${literals.length}: ${JSON.stringify(literals)}`);
			return EXIT_DATA;
		}
		const bits: Bits[] = [];
		for (const [party, literal] of literals.entries()) {
			try {
				bits.push(program.encodeInput(party, literal));
			} catch (error) {
				if (!(error instanceof GarbleLiteralError)) throw error;
				console.error(`Input ${party} is not of type ${error.expectedType}!\n${formatErrors(error.errors, literal)}${refusedInputHint(inputs[party], error)}`);
				return EXIT_DATA;
			}
		}
		const output = program.decodeOutput(evaluateCircuit(program.circuit, bits));
		if (output.kind === 'panic') {
			console.error(formatPanic(program, output, source));
			return EXIT_SOFTWARE;
		}
		console.log(output.text);
		return EXIT_OK;
	}
};
