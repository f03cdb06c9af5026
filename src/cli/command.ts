/** One `polytune` sub-command. `run` returns the process exit code. */
export interface Command {
	/** The full `--help` text (the one line for the command list is in main.ts, which loads a command only to run it). */
	help: string;
	run(args: string[]): Promise<number>;
}

/** Exit codes shared by all commands (sysexits-style, as garble-lang's CLI). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 64;
export const EXIT_DATA = 65;
export const EXIT_SOFTWARE = 70;
/** An output file that cannot be created (sysexits' EX_CANTCREAT). */
export const EXIT_CANT_CREATE = 73;

/** Thrown for bad command-line arguments; main prints the message and the usage hint. */
export class UsageError extends Error {
	override name = 'UsageError';
}
