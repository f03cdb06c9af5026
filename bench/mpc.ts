/**
 * `npm run bench`: our engine against emp-wasm on the same circuits, all parties of a run in
 * one process over in-memory channels, each run in its own child process (cold, and for its
 * peak RSS).
 *
 *   npm run bench                       the full table (about 40 minutes on 2 idle cores)
 *   npm run bench -- --quick            chain and AES for 2 and 3 parties, one run per size
 *   npm run bench -- --circuits chain,aes --parties 2 --no-emp --reps 5 --backend t-table,wasm-simd
 *   npm run bench -- --circuits aes --parties 3 --clock cpu
 *                                       CPU time instead of wall time (a machine shared with other jobs)
 *   npm run bench -- --bristol FILE --parties N --preprocessing ot|dealer [--backend t-table] --json
 *                                       one run: {"ms":…,"andGates":…,"bytesSent":…}
 *
 * The same method for every engine: each configuration runs at two sizes of the circuit at
 * least four times apart in AND gates, each size the median of the same number of runs, the
 * runs of all engines of one circuit and party count interleaved (so that they meet the same
 * load); the line through both sizes gives the marginal µs per AND gate and the fixed cost.
 * The clock runs from a ready circuit and loaded engine to the checked outputs
 * (`src/lib/bench/in-process.ts`, `emp.ts`). emp÷ours appears only where both do the same
 * work: our OT preprocessing. Last, our bytes per AND gate by part of the protocol (OT
 * preprocessing or the dealer's material, garbled tables, openings, inputs, outputs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countGates, evaluateCircuit } from '../src/lib/garble/circuit';
import { parseBristol } from '../src/lib/garble/circuit/bristol';
import { installNodeKernels, NODE_BACKENDS, type NodeBackend } from '../src/node/kernels';
import { forParties } from '../src/lib/bench/in-process';
import { buildCircuit, type CircuitKind } from './circuits';
import { prepareEmp, runEmp } from './emp';
import { randomInputs, runEngine, type RunResult } from '../src/lib/bench/in-process';
import { PROTOCOL_PARTS } from '../src/lib/mpc/streams';

/** Our engine with either preprocessing, or emp-wasm's ag2pc (2 parties) or agmpc. */
type Engine = 'dealer' | 'ot' | 'ag2pc' | 'agmpc';
/** Our kernels (src/node/kernels.ts): aes-ni (the CLI's), wasm-simd (the browser's), t-table (JavaScript only, the fallback). */
type Backend = NodeBackend;
const BACKENDS: readonly Backend[] = NODE_BACKENDS;

interface ChildSpec {
	engine: Engine;
	/** Ours only: emp-wasm has its own AES. */
	backend?: Backend;
	kind: CircuitKind;
	parties: number;
	size: number;
	/** What `ms` measures: wall time, or the process's CPU time over the same region (--clock cpu). */
	clock: Clock;
}

/** Wall time, or CPU time: every engine runs all its parties in one thread, so on a machine shared with other jobs CPU time counts its work without the waits for a core. */
type Clock = 'wall' | 'cpu';

interface Measurement {
	ms: number;
	andGates: number;
	bytesSent: number;
	/** Ours only: the bytes by part of the protocol. */
	bytesByPart?: RunResult['bytesByPart'];
	peakMB: number;
}

/** A measurement, or why there is none (one clean line). */
type Outcome = Measurement | string;

interface Fit {
	/** The median run at the size the label names. */
	named: Measurement;
	/** µs per AND gate: the slope between the two sizes, or an upper bound when `bound`. */
	marginal: number;
	/** ms that do not grow with the circuit; NaN when the slope is only a bound. */
	fixed: number;
	/** True when the two sizes gave no positive slope (noise): `marginal` is then total time ÷ ANDs of the larger run. */
	bound: boolean;
}

/** One line of the table: one engine (with its backend) on one circuit and party count. */
interface Contender {
	label: string;
	engine: Engine;
	backend?: Backend;
	/** The runs so far at the named size and at the other size. */
	runs: [Measurement[], Measurement[]];
	failure?: string;
}

const { values } = parseArgs({
	options: {
		bristol: { type: 'string' },
		parties: { type: 'string' },
		preprocessing: { type: 'string' },
		json: { type: 'boolean', default: false },
		child: { type: 'string' },
		quick: { type: 'boolean', default: false },
		circuits: { type: 'string' },
		reps: { type: 'string' },
		'no-emp': { type: 'boolean', default: false },
		backend: { type: 'string' },
		clock: { type: 'string', default: 'wall' },
		timeout: { type: 'string', default: '300' }
	}
});

const CIRCUITS: { kind: CircuitKind; label: string; named: number; other: number }[] = [
	{ kind: 'chain', label: 'AND chain 10k', named: 10_000, other: 40_000 },
	{ kind: 'aes', label: 'AES-128', named: 1, other: 4 },
	{ kind: 'mul32', label: '32×32 multiplier', named: 1, other: 8 },
	{ kind: 'join', label: 'join 100×100', named: 100, other: 25 }
];

/** The two sizes of a fit must be this far apart in AND gates, or noise decides the slope. */
const MIN_SIZE_RATIO = 4;

function parseBackends(text: string): Backend[] {
	const names = text.split(',');
	const unknown = names.filter((name) => !BACKENDS.includes(name as Backend));
	if (unknown.length > 0) throw new Error(`--backend must be among ${BACKENDS.join(', ')} (comma-separated), got ${unknown.join(', ')}`);
	return names as Backend[];
}

function useBackend(backend: Backend): void {
	installNodeKernels(backend);
}

function positiveInteger(text: string, option: string): number {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${option} must be a positive integer, got ${text}`);
	return value;
}

const errorLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();

/** A child's failure, as one JSON line for the parent. */
function childFailed(error: unknown): never {
	console.log(JSON.stringify({ error: errorLine(error) }));
	process.exit(1);
}

async function measureChild(spec: ChildSpec): Promise<void> {
	// emp-wasm reports some failures as uncaught exceptions.
	process.on('uncaughtException', childFailed);
	process.on('unhandledRejection', childFailed);
	const circuit = buildCircuit(spec.kind, spec.parties, spec.size);
	const inputs = randomInputs(circuit);
	let ms: number;
	let bytesSent: number;
	let bytesByPart: Measurement['bytesByPart'];
	let cpu: NodeJS.CpuUsage;
	if (spec.engine === 'ag2pc' || spec.engine === 'agmpc') {
		const ready = await prepareEmp(circuit, spec.engine === 'ag2pc' ? '2pc' : 'mpc');
		const cpuBefore = process.cpuUsage();
		const run = await runEmp(ready, inputs);
		cpu = process.cpuUsage(cpuBefore);
		const want = evaluateCircuit(circuit, inputs).join('');
		if (run.outputs.some((out) => out.join('') !== want)) throw new Error(`emp-wasm ${spec.engine}: output differs from plaintext evaluation`);
		({ ms, bytesSent } = run);
	} else {
		useBackend(spec.backend!);
		const cpuBefore = process.cpuUsage();
		({ ms, bytesSent, bytesByPart } = await runEngine(circuit, inputs, spec.engine));
		cpu = process.cpuUsage(cpuBefore);
	}
	if (spec.clock === 'cpu') ms = (cpu.user + cpu.system) / 1000;
	const result: Measurement = { ms, andGates: countGates(circuit).and, bytesSent, bytesByPart, peakMB: process.resourceUsage().maxRSS / 1024 };
	console.log(JSON.stringify(result));
}

/** Runs one configuration in a fresh Node process. */
function measure(spec: ChildSpec): Outcome {
	const script = fileURLToPath(import.meta.url);
	const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', JSON.stringify(spec)], {
		encoding: 'utf8',
		timeout: Number(values.timeout) * 1000,
		maxBuffer: 1 << 24
	});
	if (child.error) return child.error.message.includes('ETIMEDOUT') ? `timeout after ${values.timeout} s` : errorLine(child.error);
	const line = child.stdout.trim().split('\n').pop() ?? '';
	if (line.startsWith('{')) {
		const parsed = JSON.parse(line) as Measurement | { error: string };
		if ('error' in parsed) return `failed: ${parsed.error}`.slice(0, 90);
		if (child.status === 0) return parsed;
	}
	if (child.signal) return `killed by ${child.signal}`;
	const message = child.stderr.split('\n').find((l) => /^\w*Error\b/.test(l));
	return (message ? `failed: ${message}` : `exit code ${child.status}`).slice(0, 90);
}

/** The median run by time (of an even number, the slower of the middle two). */
function median(runs: Measurement[]): Measurement {
	return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
}

function fit(named: Measurement, other: Measurement): Fit {
	const [small, large] = named.andGates < other.andGates ? [named, other] : [other, named];
	if (large.andGates < MIN_SIZE_RATIO * small.andGates) {
		throw new Error(`the two sizes have ${small.andGates} and ${large.andGates} AND gates, less than ${MIN_SIZE_RATIO}× apart`);
	}
	const slope = (large.ms - small.ms) / (large.andGates - small.andGates);
	if (!(slope > 0)) return { named, marginal: (1000 * large.ms) / large.andGates, fixed: NaN, bound: true };
	return { named, marginal: 1000 * slope, fixed: Math.max(0, small.ms - slope * small.andGates), bound: false };
}

/**
 * Runs every contender `reps` times at both sizes, interleaved: round r brings each live
 * contender to r + 1 runs, so a contender added in round r (a fallback) catches up at once.
 * A contender that fails once is out, with the failure as its line.
 */
function runRounds(
	contenders: Contender[],
	spec: (c: Contender, size: number) => ChildSpec,
	sizes: [number, number],
	reps: number,
	fallbackFor: (failed: Contender) => Contender | undefined
): void {
	for (let round = 0; round < reps; round++) {
		for (let i = 0; i < contenders.length; i++) {
			const contender = contenders[i];
			while (!contender.failure && contender.runs[0].length <= round) {
				for (const s of [0, 1] as const) {
					const outcome = measure(spec(contender, sizes[s]));
					if (typeof outcome === 'string') {
						contender.failure = outcome;
						const fallback = fallbackFor(contender);
						if (fallback) contenders.push(fallback);
						break;
					}
					contender.runs[s].push(outcome);
				}
			}
		}
	}
}

const format = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
/** emp ÷ ours, when both are positive (a fixed cost the fit clamped to 0 has no ratio). */
const ratio = (emp: number, ours: number, digits = 1) => (emp > 0 && ours > 0 ? `${format(emp / ours, digits)}×` : '–');

const HEADER = ['circuit', 'ANDs', 'n', 'engine', 'wall ms', 'fixed ms', 'µs/AND', 'B/AND', 'peak MB'];
const WIDTHS = [18, 7, 2, 16, 9, 9, 9, 7, 8];
const RATIO_HEADER = ['emp÷ours µs/AND', 'fixed', 'B/AND'];
const RATIO_WIDTHS = [16, 7, 7];

function printRow(row: string[], widths: number[]): void {
	console.log(row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

/** A contender's fit through the medians of its runs at both sizes, or why it has none. */
const summary = (contender: Contender): Fit | string => contender.failure ?? fit(median(contender.runs[0]), median(contender.runs[1]));

/** emp÷ours of µs/AND, fixed cost and bytes, where both have a fit. */
function empRatios(ours: Fit | string, emp: Fit | undefined): string[] {
	if (typeof ours === 'string' || !emp) return ['', '', ''];
	const marginal = `${emp.bound || ours.bound ? '~' : ''}${ratio(emp.marginal, ours.marginal)}`;
	return [marginal, ratio(emp.fixed, ours.fixed), ratio(emp.named.bytesSent, ours.named.bytesSent, 2)];
}

/** One line of a table, or the line's failure below its name; `ratios` adds the emp÷ours columns. */
function printLine(label: string, parties: number, engine: string, result: Fit | string, ratios?: string[]): void {
	const widths = ratios ? [...WIDTHS, ...RATIO_WIDTHS] : WIDTHS;
	if (typeof result === 'string') {
		printRow([label, '', String(parties), engine, ...widths.slice(4).map(() => '')], widths);
		console.log(`${''.padEnd(WIDTHS[0] + WIDTHS[1] + WIDTHS[2] + 6)}${result}`);
		return;
	}
	const { named, bound, fixed, marginal } = result;
	const row = [
		label,
		String(named.andGates),
		String(parties),
		engine,
		format(named.ms, 0),
		bound ? '–' : format(fixed, 0),
		`${bound ? '≤' : ''}${format(marginal, marginal < 10 ? 2 : 1)}`,
		format(named.bytesSent / named.andGates, 0),
		format(named.peakMB, 0)
	];
	printRow([...row, ...(ratios ?? [])], widths);
}

const SHOWN_PARTS = ['OT preprocessing', 'dealer', 'garbled tables', 'Beaver openings', 'inputs', 'outputs'] as const;
const PART_HEADER = ['circuit', 'ANDs', 'n', 'engine', 'B/AND', ...SHOWN_PARTS, 'other'];
const PART_WIDTHS = [18, 7, 2, 16, 7, ...SHOWN_PARTS.map((part) => Math.max(part.length, 7)), 7];

/** One line of the bytes-by-part table. */
function printParts(label: string, parties: number, engine: string, named: Measurement): void {
	const parts = named.bytesByPart ?? {};
	const perAnd = (bytes = 0) => format(bytes / named.andGates, 0);
	const other = PROTOCOL_PARTS.filter((part) => !(SHOWN_PARTS as readonly string[]).includes(part)).reduce((sum, part) => sum + (parts[part] ?? 0), parts.other ?? 0);
	printRow([label, String(named.andGates), String(parties), engine, perAnd(named.bytesSent), ...SHOWN_PARTS.map((part) => perAnd(parts[part])), perAnd(other)], PART_WIDTHS);
}

function empVersion(): string {
	const require = createRequire(import.meta.url);
	return (JSON.parse(readFileSync(require.resolve('emp-wasm/package.json'), 'utf8')) as { version: string }).version;
}

async function table(): Promise<void> {
	const started = performance.now();
	const quick = values.quick;
	const wanted = values.circuits?.split(',') ?? (quick ? ['chain', 'aes'] : CIRCUITS.map((c) => c.kind));
	const unknown = wanted.filter((k) => !CIRCUITS.some((c) => c.kind === k));
	if (unknown.length > 0) throw new Error(`--circuits: unknown ${unknown.join(', ')} (known: ${CIRCUITS.map((c) => c.kind).join(', ')})`);
	const partyCounts = values.parties ? values.parties.split(',').map((p) => positiveInteger(p, 'parties')) : quick ? [2, 3] : [2, 3, 5];
	const reps = positiveInteger(values.reps ?? (quick ? '1' : '3'), 'reps');
	const backends = parseBackends(values.backend ?? BACKENDS.join(','));
	const withEmp = !values['no-emp'];
	if (values.clock !== 'wall' && values.clock !== 'cpu') throw new Error(`--clock must be wall or cpu, got ${values.clock}`);
	const clock: Clock = values.clock;
	console.log(`Polytune Web engine (ot, dealer; kernels ${backends.join(', ')}) and emp-wasm ${empVersion()} (ag2pc for 2 parties, agmpc for more), Node ${process.version}.`);
	console.log('All parties of a run in one process over in-memory channels, each run in a fresh process (cold: JIT warm-up included).');
	console.log(`Timed for every engine alike (${clock === 'cpu' ? "the process's CPU time, user and system, in every ms column" : 'wall time'}): from a ready circuit and loaded engine to the checked outputs. Ours from the built circuit`);
	console.log('(validation, schedule and digest timed); emp-wasm from its binary circuit in one instantiated WebAssembly module per party');
	console.log('(reading that circuit timed; converting Bristol text and instantiating WebAssembly done before the clock, as our code is loaded).');
	console.log(`Every engine: each size the median of ${reps} run${reps === 1 ? '' : 's'}, the runs of one circuit and party count interleaved;`);
	console.log(`µs/AND and fixed ms: line through two sizes ≥ ${MIN_SIZE_RATIO}× apart in AND gates (≤: an upper bound where the slope drowned in noise).`);
	console.log('wall ms, B/AND (all parties, dealer included) and peak MB (max RSS of the process): the median run at the size the label names.');
	console.log('Kernels: aes-ni is AES through node:crypto (OpenSSL), GF(2^128), transposes and the base OTs\' ristretto255 in WebAssembly');
	console.log('(the CLI); wasm-simd is every kernel in WebAssembly, AES bitsliced in SIMD (the browser); t-table is JavaScript only, the');
	console.log('base OTs on field elements in doubles (the fallback without WebAssembly SIMD).');
	console.log('WebAssembly has no AES instructions, so emp-wasm computes AES in software.');
	console.log('');
	console.log('Against emp-wasm: our OT preprocessing does the work emp-wasm does (the whole protocol, no trusted party).');
	const header = clock === 'cpu' ? HEADER.map((title) => (title === 'wall ms' ? 'CPU ms' : title)) : HEADER;
	printRow([...header, ...RATIO_HEADER], [...WIDTHS, ...RATIO_WIDTHS]);
	const notes = new Set<string>();
	const dealerRows: Parameters<typeof printLine>[] = [];
	const partRows: Parameters<typeof printParts>[] = [];
	for (const { kind, label, named, other } of CIRCUITS.filter((c) => wanted.includes(c.kind))) {
		for (const parties of partyCounts) {
			const contender = (engine: Engine, backend?: Backend, mark = ''): Contender => ({
				label: `${engine}${backend ? ` ${backend}` : ''}${mark}`,
				engine,
				backend,
				runs: [[], []]
			});
			const ours = (engine: Engine) => backends.map((backend) => contender(engine, backend));
			const contenders = [...ours('ot'), ...(withEmp ? [contender(parties === 2 ? 'ag2pc' : 'agmpc')] : []), ...ours('dealer')];
			runRounds(
				contenders,
				(c, size) => ({ engine: c.engine, backend: c.backend, kind, parties, size, clock }),
				[named, other],
				reps,
				(failed) => {
					if (failed.engine !== 'ag2pc') return undefined;
					// emp-wasm's ag2pc fails with "FEQ error" above about 50k wires (a known emp-wasm
					// bug; emp-wasm itself defaults to agmpc for two parties): compare with agmpc.
					notes.add(`† emp-wasm ag2pc ${failed.failure}; agmpc instead (emp-wasm's own default for 2 parties).`);
					return contender('agmpc', undefined, '†');
				}
			);
			const emps = contenders.filter((c) => c.engine === 'ag2pc' || c.engine === 'agmpc');
			const emp = emps.map(summary).find((result): result is Fit => typeof result !== 'string');
			for (const c of contenders.filter((c) => c.engine === 'ot')) printLine(label, parties, c.label, summary(c), empRatios(summary(c), emp));
			for (const c of emps) printLine(label, parties, c.label, summary(c), ['', '', '']);
			for (const c of contenders.filter((c) => c.engine === 'dealer')) dealerRows.push([label, parties, c.label, summary(c)]);
			for (const engine of ['ot', 'dealer'] as const) {
				const first = contenders.map((c) => (c.engine === engine ? summary(c) : undefined)).find((result): result is Fit => typeof result === 'object');
				if (first) partRows.push([label, parties, engine, first.named]);
			}
		}
	}
	for (const note of notes) console.log(note);
	console.log('');
	console.log("Trusted dealer, for reference (no ratio: the dealer sends the parties their preprocessing, which emp-wasm's parties compute).");
	printRow(header, WIDTHS);
	for (const row of dealerRows) printLine(...row);
	console.log('');
	console.log('Our bytes per AND gate by part of the protocol (the stream of each message), all parties and the dealer: the median run at');
	console.log(`the named size with kernels ${backends[0]} (every set sends the same bytes); other: the runs' nonces and the base OTs.`);
	printRow(PART_HEADER, PART_WIDTHS);
	for (const row of partRows) printParts(...row);
	console.log(`(table took ${((performance.now() - started) / 60000).toFixed(1)} min)`);
}

async function single(): Promise<void> {
	const parties = Number(values.parties ?? 2);
	const preprocessing = values.preprocessing ?? 'dealer';
	if (preprocessing !== 'dealer' && preprocessing !== 'ot') throw new Error(`--preprocessing must be ot or dealer, got ${preprocessing}`);
	if (!Number.isInteger(parties) || parties < 2) throw new Error(`--parties must be an integer ≥ 2, got ${values.parties}`);
	const backends = parseBackends(values.backend ?? 'aes-ni');
	if (backends.length !== 1) throw new Error(`--bristol makes one run: give one --backend (${BACKENDS.join(', ')})`);
	useBackend(backends[0]);
	const circuit = forParties(parseBristol(readFileSync(values.bristol!, 'utf8')), parties);
	const { ms, andGates, bytesSent } = await runEngine(circuit, randomInputs(circuit), preprocessing);
	if (values.json) console.log(JSON.stringify({ ms: Math.round(ms * 10) / 10, andGates, bytesSent }));
	else console.log(`${values.bristol}: ${parties} parties, ${preprocessing} preprocessing, kernels ${backends[0]}: ${ms.toFixed(0)} ms, ${andGates} AND gates, ${bytesSent} bytes sent`);
}

if (values.child) await measureChild(JSON.parse(values.child) as ChildSpec).catch(childFailed);
else if (values.bristol) await single();
else await table();
