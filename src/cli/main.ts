import { ENGINE_VERSION } from '../lib/version';
import { EXIT_OK, EXIT_USAGE, UsageError, type Command } from './command';
import { check } from './commands/check';
import { compile } from './commands/compile';
import { party } from './commands/party';
import { pre } from './commands/pre';
import { run } from './commands/run';
import { serve } from './commands/serve';

const commands: Record<string, Command> = {
	serve,
	pre,
	party,
	check,
	run,
	compile
};

function overview(): string {
	const width = Math.max(...Object.keys(commands).map((name) => name.length), 4);
	const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
	return [
		`polytune ${ENGINE_VERSION}: secure multi-party computation of Garble programs through one relay`,
		'',
		'Usage: polytune <command> [options]',
		'',
		'Commands:',
		...lines,
		'',
		'Run `polytune <command> --help` for the options of a command.'
	].join('\n');
}

export async function main(argv: string[]): Promise<number> {
	const [name, ...args] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		console.log(overview());
		return name === undefined ? EXIT_USAGE : EXIT_OK;
	}
	if (name === '--version' || name === '-V') {
		console.log(ENGINE_VERSION);
		return EXIT_OK;
	}
	const command = commands[name];
	if (!command) {
		console.error(`polytune: unknown command '${name}'\n\n${overview()}`);
		return EXIT_USAGE;
	}
	if (args.includes('--help') || args.includes('-h')) {
		console.log(command.help);
		return EXIT_OK;
	}
	try {
		return await command.run(args);
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`polytune ${name}: ${error.message}\nRun \`polytune ${name} --help\` for usage.`);
			return EXIT_USAGE;
		}
		throw error;
	}
}
