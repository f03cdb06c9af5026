import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json and bin/ are). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `polytune` command, run as `node bin/polytune.js`. */
export const CLI = `${ROOT}bin/polytune.js`;

export interface ProcessOptions {
	/** Added to (or, with `undefined`, removed from) the test process's environment. */
	env?: Record<string, string | undefined>;
	/** Working directory; default: the repository root. */
	cwd?: string;
	/** Written to the child's stdin, which is then closed; default: stdin closed at once. */
	input?: string | Uint8Array;
}

export interface RunOptions extends ProcessOptions {
	/** Kill the child (SIGKILL) after this long; default 60 s. */
	timeoutMs?: number;
}

export interface ProcessResult {
	/** Exit code, or null if a signal ended it. */
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** True if `timeoutMs` passed and the child was killed. */
	timedOut: boolean;
}

/** A child process that is still running, with its output collected as it comes. */
export interface LiveProcess {
	readonly child: ChildProcess;
	stdout(): string;
	stderr(): string;
	/** stdout and stderr interleaved in arrival order, for failure messages. */
	output(): string;
	/** Resolves with the first match of `pattern` in stdout+stderr; rejects on exit or after `timeoutMs` (default 30 s). */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
	/** Resolves when the child has exited. */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Sends `signal` (default SIGTERM), then SIGKILL after `graceMs` (default 5 s); resolves on exit. */
	stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Children still running, killed when the test process exits so that none is left behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

function environment(env: ProcessOptions['env']): NodeJS.ProcessEnv {
	const merged: NodeJS.ProcessEnv = { ...process.env };
	for (const [name, value] of Object.entries(env ?? {})) {
		if (value === undefined) delete merged[name];
		else merged[name] = value;
	}
	return merged;
}

/** Starts `command` and collects its output; see `LiveProcess`. */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): LiveProcess {
	const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: environment(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
	running.add(child);
	let stdout = '';
	let stderr = '';
	let both = '';
	const listeners = new Set<() => void>();
	const notify = () => listeners.forEach((listener) => listener());
	child.stdout!.setEncoding('utf8').on('data', (text: string) => {
		stdout += text;
		both += text;
		notify();
	});
	child.stderr!.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
		both += text;
		notify();
	});
	child.stdin!.on('error', () => {}); // a child that exits without reading its input is fine
	child.stdin!.end(options.input);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.once('error', (error) => {
			stderr += `${error.message}\n`;
			both += `${error.message}\n`;
			running.delete(child);
			resolve({ code: null, signal: null });
		});
		child.once('close', (code, signal) => {
			running.delete(child);
			resolve({ code, signal });
			notify();
		});
	});
	let done = false;
	void exited.then(() => (done = true));

	const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
		new Promise<RegExpMatchArray>((resolve, reject) => {
			const check = () => {
				const match = both.match(pattern);
				if (match) finish(() => resolve(match));
				else if (done) finish(() => reject(new Error(`${command} exited before printing ${pattern}; its output:\n${both}`)));
			};
			const finish = (settle: () => void) => {
				clearTimeout(timer);
				listeners.delete(check);
				settle();
			};
			const timer = setTimeout(() => finish(() => reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms; its output:\n${both}`))), timeoutMs);
			listeners.add(check);
			check();
		});

	const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) => {
		if (!done) {
			child.kill(signal);
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		}
		return exited;
	};

	return { child, stdout: () => stdout, stderr: () => stderr, output: () => both, waitFor, exited, stop };
}

/** Runs `command` to its end (or its timeout) and returns its exit status and output. */
export async function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
	const live = startProcess(command, args, options);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		live.child.kill('SIGKILL');
	}, options.timeoutMs ?? 60_000);
	const { code, signal } = await live.exited;
	clearTimeout(timer);
	return { code, signal, stdout: live.stdout(), stderr: live.stderr(), timedOut };
}

/** Runs `polytune <args>` (as `node bin/polytune.js`) to its end; see `runProcess`. */
export function runCli(args: string[], options: RunOptions = {}): Promise<ProcessResult> {
	return runProcess(process.execPath, [CLI, ...args], options);
}

/** Starts `polytune <args>` and leaves it running; see `startProcess`. */
export function startCli(args: string[], options: ProcessOptions = {}): LiveProcess {
	return startProcess(process.execPath, [CLI, ...args], options);
}
