/**
 * The processes `npm run bench:relay` starts: the relay (`polytune serve`), the parties and
 * the dealer (`polytune party`, `polytune pre`, each with bench/relay-probe.js loaded for its
 * CPU time and peak memory), `polytune run` for the plaintext result, the in-process engine
 * on the same circuit (bench/relay-engine.ts), and the start-up timing of `polytune --help`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = `${ROOT}bin/polytune.js`;
const PROBE = new URL('relay-probe.js', import.meta.url).href;
const ENGINE = fileURLToPath(new URL('relay-engine.ts', import.meta.url));

/**
 * The environment bin/polytune.js gives itself in its first line (`#!/usr/bin/env -S NAME=VALUE…
 * node`): glibc's allocator settings, which a user's `polytune` runs with. The bench starts
 * `node` itself (for its probe and profiles), so it gives every process it starts the same, the
 * in-process engine and bare `node` included: all are compared on one allocator.
 */
export const CLI_ENV = shebangEnvironment(readFileSync(CLI, 'utf8'));

function shebangEnvironment(script: string): Record<string, string> {
	const line = script.slice(0, script.indexOf('\n'));
	const match = /^#!\/usr\/bin\/env -S ((?:\S+=\S+ )*)node$/.exec(line);
	if (!match) throw new Error(`bin/polytune.js: expected a first line \`#!/usr/bin/env -S NAME=VALUE… node\`, found \`${line}\``);
	return Object.fromEntries(match[1].trim().split(' ').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** Our environment with the CLI's and `extra` added. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return { ...process.env, ...CLI_ENV, ...extra };
}

/** A finished participant process. */
export interface ParticipantRun {
	/** performance.now() just before it was spawned. */
	spawnedAt: number;
	/** The same in ms since the epoch, to compare with its own clock. */
	spawnedAtEpoch: number;
	/** performance.now() when its stdout printed `The result is …` (undefined if it did not). */
	resultAt?: number;
	/** The literal after `The result is`. */
	result?: string;
	/** `machineBusyMs()` at `resultAt`: a dealer stays a while after the results, and so its exit is no end of the run. */
	machineBusyAtResultMs?: number;
	/** The relay's `cpuMs()` at `resultAt`, for a party started with the relay. */
	relayCpuAtResultMs?: number;
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** Its clock's origin (`performance.timeOrigin`: its start, in ms since the epoch), as the process reported it at exit, like the figures below. */
	timeOrigin?: number;
	/** CPU time (user + system), peak RSS and the time from its start to its first request. */
	cpuMs?: number;
	/** CPU time when its circuit was ready. */
	readyCpuMs?: number;
	peakRssKiB?: number;
	ownFirstRequestMs?: number;
	/** From the process's start to its circuit being ready (compiled, the run prepared), by its own clock; parties only. */
	ownReadyMs?: number;
	/** From the process's start to its handshake with its peers done (SET_UP_MARK), by its own clock; parties only. */
	ownSetUpMs?: number;
	/** Its HTTP requests, and the bytes of the connections they used, each way. */
	requests?: number;
	bytesUp?: number;
	bytesDown?: number;
}

/** What bench/relay-probe.js writes. */
type ProbeFigures = Pick<ParticipantRun, 'timeOrigin' | 'cpuMs' | 'readyCpuMs' | 'peakRssKiB' | 'ownFirstRequestMs' | 'ownReadyMs' | 'ownSetUpMs' | 'requests' | 'bytesUp' | 'bytesDown'>;

export interface StartedParticipant {
	child: ChildProcess;
	finished: Promise<ParticipantRun>;
}

/**
 * Starts `polytune <args>` with the probe, which writes its usage to `probeFile` at exit;
 * with `cpuProfile`, Node writes the process's CPU profile to that file as it exits.
 */
export function startParticipant(args: string[], probeFile: string, cpuProfile?: string, relay?: Relay): StartedParticipant {
	const spawnedAt = performance.now();
	const profiling = cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', dirname(cpuProfile), '--cpu-prof-name', basename(cpuProfile)] : [];
	const child = spawn(process.execPath, [...profiling, '--import', PROBE, CLI, ...args], {
		cwd: ROOT,
		env: childEnv({ POLYTUNE_BENCH_PROBE: probeFile }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const run: ParticipantRun = { spawnedAt, spawnedAtEpoch: performance.timeOrigin + spawnedAt, code: null, signal: null, stdout: '', stderr: '' };
	child.stdout!.setEncoding('utf8').on('data', (text: string) => {
		run.stdout += text;
		const match = /^The result is (.*)$/m.exec(run.stdout);
		if (match && run.resultAt === undefined) {
			run.resultAt = performance.now();
			run.machineBusyAtResultMs = machineBusyMs();
			run.relayCpuAtResultMs = relay?.cpuMs();
			run.result = match[1].trim();
		}
	});
	child.stderr!.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
	const finished = new Promise<ParticipantRun>((resolve) => {
		child.once('error', (error) => {
			run.stderr += `${error.message}\n`;
			resolve(run);
		});
		child.once('close', (code, signal) => {
			run.code = code;
			run.signal = signal;
			if (existsSync(probeFile)) Object.assign(run, JSON.parse(readFileSync(probeFile, 'utf8')) as ProbeFigures);
			resolve(run);
		});
	});
	return { child, finished };
}

export interface Relay {
	host: string;
	port: number;
	/** The relay process's CPU time so far (user + system, ms); undefined off Linux. */
	cpuMs(): number | undefined;
	stop(): Promise<void>;
}

/** Starts `polytune serve` on a free port of 127.0.0.1 (with `env` added to ours) and resolves once it listens. */
export function startRelay(env: Record<string, string> = {}): Promise<Relay> {
	const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
	let output = '';
	return new Promise((resolve, reject) => {
		const exited = new Promise<void>((done) => child.once('close', () => done()));
		const onData = (text: string) => {
			output += text;
			const match = /polytune relay listening on http:\/\/([\d.]+):(\d+)/.exec(output);
			if (!match) return;
			child.stdout!.off('data', onData);
			resolve({
				host: match[1],
				port: Number(match[2]),
				cpuMs: () => processCpuMs(child.pid),
				stop: async () => {
					child.kill('SIGTERM');
					await exited;
				}
			});
		};
		child.stdout!.setEncoding('utf8').on('data', onData);
		child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
		child.once('close', (code) => reject(new Error(`polytune serve exited (${code}) before listening:\n${output}`)));
	});
}

/** A CLI command run to its end: stdout, or an error with its output. */
function polytune(args: string[]): string {
	const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: childEnv() });
	if (result.status !== 0) throw new Error(`polytune ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
	return result.stdout.trim();
}

/** The program's result in plaintext (`polytune run`): what every party must print. */
export function plaintextResult(file: string, inputs: string[]): string {
	return polytune(['run', file, ...inputs]);
}

/** The in-process engine's wall time (ms) for the program's circuit with all its parties, in a fresh process. */
export function engineWallMs(file: string, mode: 'ot' | 'dealer'): number {
	const child = spawnSync(process.execPath, ['--import', 'tsx', ENGINE, file, mode], { cwd: ROOT, encoding: 'utf8', env: childEnv() });
	if (child.status !== 0) throw new Error(`the in-process engine failed on ${file} (${mode}, exit ${child.status ?? child.signal}):\n${child.stderr}`);
	return (JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number }).ms;
}

/** The program's AND gates (`polytune compile`). */
export function andGates(file: string): number {
	return (JSON.parse(polytune(['compile', file])) as { andGates: number }).andGates;
}

export interface StartupTimes {
	/** `node -e 0`: what any Node program costs to start on this machine now. */
	bareNodeMs: number[];
	/** `polytune --help`, from spawn to exit. */
	helpMs: number[];
}

/** Spawns `node -e 0` and `polytune --help` alternately, `reps` times each. */
export async function startupTimes(reps: number): Promise<StartupTimes> {
	const times: StartupTimes = { bareNodeMs: [], helpMs: [] };
	for (let rep = 0; rep < reps; rep++) {
		times.bareNodeMs.push(await timeToExit(['-e', '0']));
		times.helpMs.push(await timeToExit([CLI, '--help']));
	}
	return times;
}

function timeToExit(args: string[]): Promise<number> {
	const started = performance.now();
	const child = spawn(process.execPath, args, { stdio: 'ignore', env: childEnv() });
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node ${args.join(' ')} exited ${code}`))));
	});
}

/** CPU time the whole machine has spent busy (all cores, every process), in ms; undefined where /proc/stat is missing. */
export function machineBusyMs(): number | undefined {
	if (!existsSync('/proc/stat')) return undefined;
	// cpu  user nice system idle iowait irq softirq steal …, in USER_HZ (1/100 s) ticks.
	const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	return (user + nice + system + irq + softirq + steal) * 10;
}

/** A running process's CPU time (user + system, ms) from /proc/PID/stat; undefined off Linux or once it is gone. */
export function processCpuMs(pid: number | undefined): number | undefined {
	const file = `/proc/${pid}/stat`;
	if (pid === undefined || !existsSync(file)) return undefined;
	// After the command's name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15, in USER_HZ ticks.
	const stat = readFileSync(file, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The share of the machine's cores that were busy between two `machineBusyMs()` readings `wallMs` apart. */
export function busyShare(before: number | undefined, after: number | undefined, wallMs: number): number | undefined {
	const busyMs = spent(before, after);
	return busyMs === undefined ? undefined : busyMs / (availableParallelism() * wallMs);
}

/** The CPU time between two readings of a clock that may be missing (`machineBusyMs`, `Relay.cpuMs`). */
export function spent(before: number | undefined, after: number | undefined): number | undefined {
	return before === undefined || after === undefined ? undefined : after - before;
}
