import { ENGINE_VERSION } from '../lib/version';
import { EXIT_OK, EXIT_USAGE, UsageError, type Command } from './command';

/**
 * The commands, each loaded only when it runs: a command's module brings what it needs (the
 * relay, the engine, the Garble compiler), and `polytune --help` or another command need not
 * parse and start all of it (the CLI bundle is split along these imports, scripts/build-cli.js).
 */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
	serve: {
		summary: 'run the relay and the web app (an HTTP server, like the original `polytune serve`)',
		load: async () => (await import('./commands/serve')).serve
	},
	pre: {
		summary: 'run the trusted dealer (party 255) that preprocesses for the parties of a session',
		load: async () => (await import('./commands/pre')).pre
	},
	party: {
		summary: 'join a session as a computing party with your private input',
		load: async () => (await import('./commands/party')).party
	},
	check: { summary: 'check a Garble program for errors', load: async () => (await import('./commands/check')).check },
	run: {
		summary: 'run a Garble program on plaintext inputs (no MPC), as garble-lang does',
		load: async () => (await import('./commands/run')).run
	},
	compile: {
		summary: 'compile a Garble program and print the size of its circuit',
		load: async () => (await import('./commands/compile')).compile
	}
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
	const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
	if (!entry) {
		console.error(`polytune: unknown command '${name}'\n\n${overview()}`);
		return EXIT_USAGE;
	}
	const command = await entry.load();
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
