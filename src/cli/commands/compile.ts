import { countGates } from '../../lib/garble/circuit';
import { EXIT_OK, UsageError, type Command } from '../command';
import { COMPILE_OPTIONS_HELP, loadProgram } from './garble-args';

export const compile: Command = {
	summary: 'compile a Garble program and print the size of its circuit',
	help: [
		'Usage: polytune compile FILE [--function NAME] [--const NS::NAME=VALUE ...]',
		'',
		'Compiles the Garble program in FILE and prints one JSON line with the size of the circuit:',
		'{"andGates":…,"xorGates":…,"notGates":…,"inputBits":[…per party],"outputBits":…}.',
		'Program errors exit with 65.',
		'',
		...COMPILE_OPTIONS_HELP
	].join('\n'),
	async run(args) {
		const loaded = loadProgram(args);
		if ('exit' in loaded) return loaded.exit;
		const { program, rest } = loaded;
		if (rest.length > 0) throw new UsageError(`unexpected arguments after FILE: ${rest.join(' ')}`);
		const { and, xor, not } = countGates(program.circuit);
		const size = { andGates: and, xorGates: xor, notGates: not, inputBits: program.circuit.inputBits, outputBits: program.circuit.outputs.length };
		console.log(JSON.stringify(size));
		return EXIT_OK;
	}
};
