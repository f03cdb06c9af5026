/**
 * `npm run bench:relay`: the parties as separate processes (`polytune party`, and `polytune
 * pre` for the dealer), all started at once, through a real relay (`polytune serve`) on
 * loopback: straight to it without added latency, else behind a proxy that adds half the
 * round-trip time each way (bench/relay-proxy.ts).
 *
 *   npm run bench:relay                                   sum (3 parties) and products (2, 3, 5) × ot, dealer × RTT 0, 100 ms
 *   npm run bench:relay -- --programs sum --modes ot --rtt 0,50,100 --reps 3
 *   npm run bench:relay -- --parties 3 --json             one JSON document instead of the table
 *   npm run bench:relay -- --browser                      the parties as Chromium tabs of the web app
 *   npm run bench:relay -- --big                          the 5M-AND case: a join of two 1,200-row tables, 2 parties, ot and dealer, RTT 0
 *   npm run bench:relay -- --browser --profile DIR        and a CPU profile of each tab's Worker in DIR, summed up
 *   npm run bench:relay -- --profile DIR                  and of each party process and the dealer's (node --cpu-prof), summed up
 *   npm run bench:relay -- --trace DIR                    and every request and answer at the proxy (at RTT 0 too), with its time, one file per run in DIR
 *
 * Per configuration (program × parties × mode × RTT): wall time from the first process's start
 * to the last party's result (the best of --reps runs; the other figures are that run's),
 * flights = (wall at RTT r − wall at RTT 0) ÷ r (sequential one-way trips through the relay,
 * each costing a full RTT: sender → relay → receiver), requests and bytes through the relay,
 * CPU time and peak RSS of each party process, and its time from spawn to its first request;
 * and, for comparison, the in-process engine's wall time on the same circuit and parties
 * (bench/relay-engine.ts; the best of as many fresh processes as reps). The repetitions run in
 * turns: the engine, then each RTT, then again. Every party's result is checked against
 * `polytune run` (plaintext evaluation).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runInBrowser } from './relay-browser';
import {
	andGates,
	busyShare,
	engineWallMs,
	machineBusyMs,
	plaintextResult,
	ROOT,
	startParticipant,
	spent,
	startRelay,
	startupTimes,
	type ParticipantRun,
	type Relay,
	type StartupTimes
} from './relay-processes';
import { startDelayProxy, writeTrace } from './relay-proxy';
import { printProfile } from './worker-profiler';

const DEALER = 255;
/** A run that has not finished by then is stopped and reported as failed (the big case: an hour). */
const RUN_TIMEOUT_MS = 300_000;
const BIG_RUN_TIMEOUT_MS = 3_600_000;
/** Inputs longer than this go to the processes as files: one argument may hold 128 KiB on Linux. */
const INLINE_INPUT_CHARS = 4096;
/** Spawns of `polytune --help` (and of bare `node`) for the start-up figures. */
const STARTUP_REPS = 10;
/** From this share of busy cores on, a run's wall time is partly waiting for a core. */
const BUSY = 0.5;

type Mode = 'ot' | 'dealer';

interface BenchProgram {
	/** The Garble file for `parties` parties, relative to the repository root; undefined where the program has no variant. */
	file(parties: number): string | undefined;
	/** A random input. */
	input(): string;
}

const below = (bound: number) => Math.floor(Math.random() * bound);

const JOIN_ROWS = 1200;

/**
 * A shop's table for the join: JOIN_ROWS rows sorted by a 20-byte customer id, the ids drawn
 * from 2 · JOIN_ROWS possible ones (so the two tables share about half), each with a u32 amount.
 */
function joinTable(): string {
	const ids = new Set<number>();
	while (ids.size < JOIN_ROWS) ids.add(below(2 * JOIN_ROWS));
	const row = (id: number) => {
		const key = [...Array.from({ length: 16 }, (_, i) => 0x50 + i), (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255];
		return `([${key.map((b) => `${b}u8`).join(', ')}], ${below(100_000)}u32)`;
	};
	return `[${[...ids].sort((a, b) => a - b).map(row).join(', ')}]`;
}

const PROGRAMS: Record<string, BenchProgram> = {
	// The seed's example: three parties, one u32 each (below 2^30, so that the sum cannot overflow).
	sum: {
		file: (parties) => (parties === 3 ? 'static/examples/sum.garble.rs' : undefined),
		input: () => `${below(2 ** 30)}u32`
	},
	// Eight u32 products, 13,455 AND gates for any party count (inputs below 2^15: no overflow).
	products: {
		file: (parties) => ([2, 3, 5].includes(parties) ? `bench/programs/products-${parties}.garble.rs` : undefined),
		input: () => `[${Array.from({ length: 8 }, () => `${below(2 ** 15)}u32`).join(', ')}]`
	},
	// The big case (--big): two tables of 1,200 rows joined, 5,461,598 AND gates, 2 parties.
	join: {
		file: (parties) => (parties === 2 ? 'bench/programs/join-2.garble.rs' : undefined),
		input: joinTable
	}
};

interface Config {
	program: string;
	file: string;
	andGates: number;
	parties: number;
	mode: Mode;
}

/** One run of one configuration at one RTT. */
export interface RunResult {
	wallMs: number;
	/** The share of the machine's cores busy from the first spawn to the last result (these processes and any other job); undefined off Linux. */
	busy?: number;
	/** The relay's CPU time from the first spawn (for tabs, the first Join) to the last result; undefined off Linux. */
	relayCpuMs?: number;
	requests: number;
	bytesUp: number;
	bytesDown: number;
	/** Every participant: the computing parties, and the dealer (party 255) if there is one. */
	participants: {
		party: number;
		cpuMs?: number;
		/** CPU time from its circuit being ready to its exit: the run itself. */
		runCpuMs?: number;
		peakRssKiB?: number;
		/** From spawn to its first request: its own clock's figure plus the time from spawn to its start. */
		firstRequestMs?: number;
		/** From the process's start to its first request, by its own clock (without the cost of spawning it). */
		ownFirstRequestMs?: number;
		/** From spawn to its circuit being ready: its own clock's figure plus the time from spawn to its start. */
		readyMs?: number;
		/** From spawn to its handshake with its peers done (SET_UP_MARK), the same way. */
		setUpMs?: number;
	}[];
}

interface Row extends Config {
	/** The in-process engine's wall time on the same circuit and parties (ms): the best of its runs. */
	engineMs: number;
	rttMs: number;
	reps: RunResult[];
	/** The run with the least wall time; missing when a run failed. */
	best?: RunResult;
	flights?: number;
	/** The RTT 0 run that `flights` subtracts had the machine's cores at least half busy: its wall time is partly waiting for a core, and the count is unreliable. */
	busyBase?: boolean;
	/** Why a run of this configuration failed (a participant's exit, or a result that differs from plaintext). */
	error?: string;
}

function parseFlags() {
	const { values } = parseArgs({
		options: {
			programs: { type: 'string', default: 'sum,products' },
			parties: { type: 'string', default: '2,3,5' },
			modes: { type: 'string', default: 'ot,dealer' },
			rtt: { type: 'string', default: '0,100' },
			reps: { type: 'string', default: '1' },
			json: { type: 'boolean', default: false },
			browser: { type: 'boolean', default: false },
			big: { type: 'boolean', default: false },
			profile: { type: 'string' },
			trace: { type: 'string' }
		}
	});
	// --big: the 5M-AND join, 2 parties at RTT 0, unless --parties or --rtt say otherwise.
	if (values.big) {
		values.programs = 'join';
		if (!process.argv.some((arg) => arg.startsWith('--parties'))) values.parties = '2';
		if (!process.argv.some((arg) => arg.startsWith('--rtt'))) values.rtt = '0';
	}
	const list = (text: string) => text.split(',').map((item) => item.trim()).filter((item) => item !== '');
	const numbers = (flag: string, text: string, min: number) =>
		list(text).map((item) => {
			const value = Number(item);
			if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} takes whole numbers ≥ ${min}, got '${item}'`);
			return value;
		});
	const programs = list(values.programs);
	for (const name of programs) if (!(name in PROGRAMS)) throw new Error(`--programs: unknown program '${name}' (known: ${Object.keys(PROGRAMS).join(', ')})`);
	const modes = list(values.modes);
	for (const mode of modes) if (mode !== 'ot' && mode !== 'dealer') throw new Error(`--modes takes ot and dealer, got '${mode}'`);
	// Ascending, so that RTT 0 (the base of the flight count) runs first.
	const rtts = [...new Set(numbers('rtt', values.rtt, 0))].sort((a, b) => a - b);
	const reps = numbers('reps', values.reps, 1);
	if (reps.length !== 1) throw new Error('--reps takes one number');
	const timeoutMs = values.big ? BIG_RUN_TIMEOUT_MS : RUN_TIMEOUT_MS;
	return { programs, parties: numbers('parties', values.parties, 2), modes: modes as Mode[], rtts, reps: reps[0], json: values.json, browser: values.browser, timeoutMs, profile: values.profile, trace: values.trace };
}

let sessions = 0;

/** The inputs as command-line arguments: literals, or files in `dir` for long ones. */
function inputArguments(inputs: string[], dir: string): string[] {
	return inputs.map((input, party) => {
		if (input.length <= INLINE_INPUT_CHARS) return input;
		const file = join(dir, `input-${party}.txt`);
		writeFileSync(file, input);
		return file;
	});
}

/** Runs so far, to name their profiles and traces. */
let runNumber = 0;

/**
 * All parties (and the dealer) of one run as CLI processes, started at once: straight to the
 * relay at RTT 0 (a proxy on the same cores would copy every byte once more), through a fresh
 * proxy that adds the RTT otherwise or with `traceDir`. Each process counts its own requests
 * and bytes (bench/relay-probe.js).
 */
async function runCli(relay: Relay, config: Config, rttMs: number, inputs: string[], expected: string, timeoutMs: number, profileDir?: string, traceDir?: string): Promise<RunResult> {
	const proxy = rttMs > 0 || traceDir ? await startDelayProxy(relay, rttMs / 2, { trace: !!traceDir }) : undefined;
	const session = `bench-relay-${process.pid}-${++sessions}`;
	const probes = mkdtempSync(join(tmpdir(), 'polytune-bench-relay-'));
	const common = [proxy?.url ?? `http://${relay.host}:${relay.port}`, '--session', session, '--timeout', '5m', '--quiet'];
	const partyInputs = inputArguments(inputs, probes);
	const run = `${++runNumber}-${config.program}-${config.parties}p-${config.mode}-rtt${rttMs}`;
	const profileOf = (party: number) => (profileDir ? join(profileDir, `${run}-party-${party}.cpuprofile`) : undefined);
	const busyBefore = machineBusyMs();
	const relayCpuBefore = relay.cpuMs();
	const started = [
		...(config.mode === 'dealer'
			? [{ party: DEALER, process: startParticipant(['pre', ...common, '--parties', String(config.parties), '--program', config.file], join(probes, 'dealer.json'), profileOf(DEALER)) }]
			: []),
		...partyInputs.map((input, party) => ({
			party,
			process: startParticipant(
				['party', ...common, '--program', config.file, '--party', String(party), '--input', input, '--preprocessing', config.mode],
				join(probes, `${party}.json`),
				profileOf(party),
				relay
			)
		}))
	];
	const timer = setTimeout(() => started.forEach(({ process }) => process.child.kill('SIGKILL')), timeoutMs);
	let runs: ParticipantRun[];
	try {
		runs = await Promise.all(started.map(({ process }) => process.finished));
	} finally {
		clearTimeout(timer);
		rmSync(probes, { recursive: true, force: true });
	}
	if (proxy && traceDir) writeTrace(traceDir, run, proxy.trace());
	await proxy?.close();
	started.forEach(({ party }, i) => checkRun(party, runs[i], expected));
	for (const { party } of started) {
		const file = profileOf(party);
		if (file) printProfile(`run ${run}, party ${party} (${file})`, file);
	}
	const lastResult = runs.filter((_, i) => started[i].party !== DEALER).reduce((last, run) => (run.resultAt! > last.resultAt! ? run : last));
	const resultAt = lastResult.resultAt!;
	const sum = (figure: (run: ParticipantRun) => number | undefined) => runs.reduce((total, run) => total + (figure(run) ?? 0), 0);
	const firstSpawn = Math.min(...runs.map((run) => run.spawnedAt));
	return {
		wallMs: resultAt - firstSpawn,
		busy: busyShare(busyBefore, lastResult.machineBusyAtResultMs, resultAt - firstSpawn),
		relayCpuMs: spent(relayCpuBefore, lastResult.relayCpuAtResultMs),
		requests: sum((run) => run.requests),
		bytesUp: sum((run) => run.bytesUp),
		bytesDown: sum((run) => run.bytesDown),
		participants: started.map(({ party }, i) => ({
			party,
			cpuMs: runs[i].cpuMs,
			runCpuMs: runs[i].cpuMs === undefined || runs[i].readyCpuMs === undefined ? undefined : runs[i].cpuMs! - runs[i].readyCpuMs!,
			peakRssKiB: runs[i].peakRssKiB,
			firstRequestMs: sinceSpawn(runs[i], runs[i].ownFirstRequestMs),
			ownFirstRequestMs: runs[i].ownFirstRequestMs,
			readyMs: sinceSpawn(runs[i], runs[i].ownReadyMs),
			setUpMs: sinceSpawn(runs[i], runs[i].ownSetUpMs)
		}))
	};
}

/** A time by a participant's own clock (ms from its start) as ms from its spawn: its start is its clock's origin, since the epoch like the spawn's. */
function sinceSpawn(run: ParticipantRun, ownMs: number | undefined): number | undefined {
	return ownMs === undefined || run.timeOrigin === undefined ? undefined : run.timeOrigin + ownMs - run.spawnedAtEpoch;
}

/** A participant that failed, or a party whose result differs from plaintext evaluation, fails the benchmark. */
function checkRun(party: number, run: ParticipantRun, expected: string): void {
	const who = party === DEALER ? 'the dealer' : `party ${party}`;
	const explain = () => `exit ${run.code ?? run.signal}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
	if (run.code !== 0) throw new Error(`${who} failed: ${explain()}`);
	if (party !== DEALER && run.result !== expected) throw new Error(`${who} printed the result ${run.result}, plaintext evaluation gives ${expected}: ${explain()}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const known = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
const maxOf = (values: (number | undefined)[]) => (known(values).length > 0 ? Math.max(...known(values)) : undefined);
const meanOf = (values: (number | undefined)[]) => (known(values).length > 0 ? known(values).reduce((a, b) => a + b, 0) / known(values).length : undefined);
/** Scales a figure that may be missing. */
const scaled = (value: number | undefined, divisor: number) => (value === undefined ? undefined : value / divisor);

function fmt(value: number | undefined, digits: number): string {
	return value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
}

/**
 * A run without added latency against the in-process engine: (wall − start-up) ÷ engine
 * wall, the start-up being the slowest party's time from spawn to `until` (its ready circuit:
 * started, the relay asked, the program compiled, the run prepared, as the engine's clock starts
 * from a ready circuit; tabs have compiled before the Join that starts their clock; or its
 * handshake with its peers done, which the engine has no need of).
 */
function versusEngine(row: Row, until: 'readyMs' | 'setUpMs'): string {
	if (row.rttMs !== 0 || !row.best) return '';
	const parties = row.best.participants.filter((p) => p.party !== DEALER);
	const startup = until === 'readyMs' ? (maxOf(parties.map((p) => p.readyMs ?? p.firstRequestMs)) ?? 0) : maxOf(parties.map((p) => p.setUpMs));
	return startup === undefined ? '' : `${fmt((row.best.wallMs - startup) / row.engineMs, 2)}×`;
}

/** `outside / own clock` ms to the first request, the slowest party's; blank where not measured (browser tabs). */
function firstRequests(parties: RunResult['participants']): string {
	const outside = maxOf(parties.map((p) => p.firstRequestMs));
	return outside === undefined ? '' : `${fmt(outside, 0)} / ${fmt(maxOf(parties.map((p) => p.ownFirstRequestMs)), 0)}`;
}

function table(rows: Row[], startup: StartupTimes | undefined, browser: boolean): string {
	const lines: string[] = [];
	if (startup) {
		lines.push(
			`start-up (${STARTUP_REPS} spawns each, min / median ms): polytune --help ${fmt(Math.min(...startup.helpMs), 0)} / ${fmt(median(startup.helpMs), 0)}; ` +
				`bare node -e 0 ${fmt(Math.min(...startup.bareNodeMs), 0)} / ${fmt(median(startup.bareNodeMs), 0)}`
		);
	}
	lines.push(
		browser
			? 'parties: Chromium tabs of the web app (sealed end to end), the dealer a `polytune pre` process; wall from the first join click to the last result shown; no CPU or first-request figures for tabs'
			: 'parties: `polytune party` processes (the dealer `polytune pre`), started at once; wall from the first spawn to the last result',
		'wall: best of the reps; flights = (wall at RTT r − wall at RTT 0) ÷ r; requests and MB (both ways) through the relay;',
		`busy: share of the machine's cores busy from the first spawn to the last result (these processes and any other job); ~ flights: the RTT 0 run had them ${BUSY * 100} % busy or more,`,
		'  so its wall time is partly waiting for a core and the count is unreliable;',
		browser
			? 'peak MB: the largest peak resident set of a tab (its browser\'s renderer processes: the page and its Worker); no CPU figures for tabs;'
			: 'CPU s and peak MB per party process (mean and max over the parties, dealer apart); run CPU: from the circuit ready to the exit (mean);',
		'relay CPU: s of CPU the relay (`polytune serve`) spent from the first spawn (tabs: the first Join) to the last result;',
		'1st req: ms from spawn to the first request / from process start to the first request by its own clock (max over the parties);',
		'ready: ms from spawn to the circuit compiled and the run prepared (max over the parties);',
		'set up: ms from spawn to the handshake with the peers done: joined, hellos in, confirm out (max over the parties);',
		'engine s: all parties of the in-process engine on the same circuit (one process, in-memory channels, from a ready circuit; the best of --reps fresh processes); ÷ engine: (wall − ready) ÷ engine s, at RTT 0;',
		'  ÷ set up: (wall − set up) ÷ engine s, at RTT 0: the protocol through the relay (the dealer met and dealing, or OT) against the engine, without the set-up only separate participants need'
	);
	const header = ['program', 'ANDs', 'n', 'mode', 'RTT ms', 'wall s', 'busy', 'flights', 'requests', 'relay MB', 'CPU s/party', 'CPU max', 'run CPU', 'dealer CPU', 'relay CPU', 'peak MB', '1st req ms', 'ready ms', 'set up ms', 'engine s', '÷ engine', '÷ set up'];
	const cells = (row: Row): string[] => {
		const config = [row.program, String(row.andGates), String(row.parties), row.mode, String(row.rttMs)];
		if (!row.best) return config;
		const parties = row.best.participants.filter((p) => p.party !== DEALER);
		const dealer = row.best.participants.find((p) => p.party === DEALER);
		return [
			...config,
			fmt(row.best.wallMs / 1000, 2),
			row.best.busy === undefined ? '' : `${Math.round(row.best.busy * 100)} %`,
			`${row.busyBase ? '~' : ''}${fmt(row.flights, 1)}`,
			String(row.best.requests),
			fmt((row.best.bytesUp + row.best.bytesDown) / 2 ** 20, 2),
			fmt(scaled(meanOf(parties.map((p) => p.cpuMs)), 1000), 2),
			fmt(scaled(maxOf(parties.map((p) => p.cpuMs)), 1000), 2),
			fmt(scaled(meanOf(parties.map((p) => p.runCpuMs)), 1000), 2),
			fmt(scaled(dealer?.cpuMs, 1000), 2),
			fmt(scaled(row.best.relayCpuMs, 1000), 2),
			fmt(scaled(maxOf(parties.map((p) => p.peakRssKiB)), 1024), 0),
			firstRequests(parties),
			fmt(maxOf(parties.map((p) => p.readyMs)), 0),
			fmt(maxOf(parties.map((p) => p.setUpMs)), 0),
			fmt(row.engineMs / 1000, 2),
			versusEngine(row, 'readyMs'),
			versusEngine(row, 'setUpMs')
		];
	};
	const body = rows.map(cells);
	const widths = header.map((title, i) => Math.max(title.length, ...body.map((row) => row[i]?.length ?? 0)));
	const line = (row: string[]) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
	lines.push(line(header));
	rows.forEach((row, i) => lines.push(line(body[i]), ...(row.error ? [`    failed: ${row.error.split('\n').join('\n    ')}`] : [])));
	return lines.join('\n');
}

async function main(): Promise<void> {
	const flags = parseFlags();
	const configs: Config[] = [];
	for (const program of flags.programs) {
		for (const parties of flags.parties) {
			const file = PROGRAMS[program].file(parties);
			if (!file) continue;
			const ands = andGates(file);
			for (const mode of flags.modes) configs.push({ program, file, andGates: ands, parties, mode });
		}
	}
	if (configs.length === 0) throw new Error('no configuration: sum runs with 3 parties only, products with 2, 3 and 5, join (--big) with 2');
	const startup = flags.browser ? undefined : await startupTimes(STARTUP_REPS);
	const relay = await startRelay();
	const rows: Row[] = [];
	const progress = (text: string) => !flags.json && process.stderr.write(`${text}\n`);
	try {
		for (const config of configs) {
			// One set of inputs per configuration, for every RTT and repetition.
			const inputs = Array.from({ length: config.parties }, () => PROGRAMS[config.program].input());
			const inputsDir = mkdtempSync(join(tmpdir(), 'polytune-bench-relay-'));
			const expected = plaintextResult(config.file, inputArguments(inputs, inputsDir));
			rmSync(inputsDir, { recursive: true, force: true });
			// Repetition after repetition, the engine and every RTT in turn: a spell of a slower
			// host then falls on all of them alike, not on one RTT's runs (the flights are their
			// difference) or on the engine's (the ratio's divisor).
			const engineRuns: number[] = [];
			const runs = new Map<number, RunResult[]>(flags.rtts.map((rtt) => [rtt, []]));
			const errors = new Map<number, string>();
			for (let rep = 0; rep < flags.reps; rep++) {
				engineRuns.push(engineWallMs(config.file, config.mode));
				for (const rttMs of flags.rtts) {
					if (errors.has(rttMs)) continue;
					progress(`${config.program} ${config.parties} parties ${config.mode} RTT ${rttMs} ms, run ${rep + 1} of ${flags.reps}…`);
					try {
						runs.get(rttMs)!.push(flags.browser ? await runInBrowser(relay, config, rttMs, inputs, expected, flags.timeoutMs, flags.profile, flags.trace) : await runCli(relay, config, rttMs, inputs, expected, flags.timeoutMs, flags.profile, flags.trace));
					} catch (error) {
						// One failed configuration is reported in its row; the others still run.
						errors.set(rttMs, error instanceof Error ? error.message : String(error));
					}
				}
			}
			const engineMs = Math.min(...engineRuns);
			let base: RunResult | undefined;
			for (const rttMs of flags.rtts) {
				const reps = runs.get(rttMs)!;
				const error = errors.get(rttMs);
				if (error !== undefined) {
					rows.push({ ...config, engineMs, rttMs, reps, error });
					continue;
				}
				const best = reps.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
				if (rttMs === 0) base = best;
				rows.push({
					...config,
					engineMs,
					rttMs,
					reps,
					best,
					...(rttMs > 0 && base ? { flights: (best.wallMs - base.wallMs) / rttMs, busyBase: (base.busy ?? 0) >= BUSY } : {})
				});
			}
		}
	} finally {
		await relay.stop();
	}
	// Times to 0.1 ms: the digits beyond are noise.
	const rounded = (_: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value);
	if (flags.json) console.log(JSON.stringify({ startup, browser: flags.browser, rows }, rounded, 1));
	else console.log(table(rows, startup, flags.browser));
	if (rows.some((row) => row.error)) process.exitCode = 1;
}

await main().catch((error: unknown) => {
	console.error(`bench:relay: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
