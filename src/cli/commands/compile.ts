import { closeSync, openSync, writeSync } from 'node:fs';
import { type Program } from '../../lib/garble';
import { bristolChunks } from '../../lib/garble/circuit/bristol';
import { countGates } from '../../lib/garble/circuit';
import { EXIT_CANT_CREATE, EXIT_OK, UsageError, type Command } from '../command';
import { COMPILE_OPTIONS_HELP, loadProgram } from './garble-args';

export const compile: Command = {
	help: [
		'Usage: polytune compile FILE [--function NAME] [--const NS::NAME=VALUE ...]',
		'',
		'Compiles the Garble program in FILE and prints one JSON line with the size of the circuit:',
		'{"andGates":…,"xorGates":…,"notGates":…,"inputBits":[…per party],"outputBits":…}.',
		'With --bristol OUT, also writes the circuit to OUT in Bristol Fashion (one input value per',
		'party; output values: the result, then the panic code if the program can panic).',
		'Program errors exit with 65.',
		'',
		...COMPILE_OPTIONS_HELP,
		'  --bristol OUT           write the circuit to the file OUT in Bristol Fashion'
	].join('\n'),
	async run(args) {
		const bristolAt = args.indexOf('--bristol');
		const out = bristolAt >= 0 ? args[bristolAt + 1] : undefined;
		if (bristolAt >= 0 && (out === undefined || out.startsWith('-'))) throw new UsageError('--bristol needs the OUT file');
		const loaded = loadProgram(bristolAt >= 0 ? [...args.slice(0, bristolAt), ...args.slice(bristolAt + 2)] : args);
		if ('exit' in loaded) return loaded.exit;
		const { program, rest } = loaded;
		if (rest.length > 0) throw new UsageError(`unexpected arguments after FILE: ${rest.join(' ')}`);
		if (out !== undefined) {
			try {
				writeBristol(out, program);
			} catch (error) {
				console.error(`polytune compile: cannot write --bristol ${out}: ${whyNot(error)}`);
				return EXIT_CANT_CREATE;
			}
		}
		const { and, xor, not } = countGates(program.circuit);
		const size = { andGates: and, xorGates: xor, notGates: not, inputBits: program.circuit.inputBits, outputBits: program.circuit.outputs.length };
		console.log(JSON.stringify(size));
		return EXIT_OK;
	}
};

/** What a failed file operation means, in words. */
function whyNot(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'EISDIR') return 'it is a directory';
	if (code === 'ENOENT') return 'its directory does not exist';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	return (error as Error).message;
}

function writeBristol(path: string, program: Program): void {
	const valueBits = program.circuit.outputs.length - program.panicCodeBits;
	const widths = program.panicCodeBits > 0 ? [valueBits, program.panicCodeBits] : [valueBits];
	const fd = openSync(path, 'w');
	try {
		for (const chunk of bristolChunks(program.circuit, widths)) writeSync(fd, chunk);
	} finally {
		closeSync(fd);
	}
}
