/**
 * `npm run bench`: our engine against emp-wasm on the same circuits, all parties of a run in
 * one process over in-memory channels, each run in its own child process (for its peak RSS).
 *
 *   npm run bench                                   the table (add --quick, --no-emp, --backend t-table)
 *   npm run bench -- --bristol FILE --parties N --preprocessing ot|dealer --json
 *                                                   one run: {"ms":…,"andGates":…,"bytesSent":…}
 *
 * Every configuration runs cold (a fresh process) at two sizes of the circuit (chain length,
 * number of side-by-side copies, join rows); the line through both gives the marginal µs per
 * AND gate and the fixed cost (start-up, JIT warm-up, base OTs, set-up rounds). Wall time,
 * bytes and peak memory are those of the first size.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setBlockCipher } from '../src/lib/crypto/backend';
import { countGates } from '../src/lib/garble/circuit';
import { parseBristol } from '../src/lib/garble/circuit/bristol';
import { createAesNiCipher } from '../src/node/aesni';
import { buildCircuit, forParties, type CircuitKind } from './circuits';
import { runEmp } from './emp';
import { randomInputs, runEngine } from './run';

type Engine = 'dealer' | 'ot' | 'emp';

interface ChildSpec {
	engine: Engine;
	kind: CircuitKind;
	parties: number;
	size: number;
	backend: string;
}

interface Measurement {
	ms: number;
	andGates: number;
	bytesSent: number;
	peakMB: number;
}

const { values } = parseArgs({
	options: {
		bristol: { type: 'string' },
		parties: { type: 'string' },
		preprocessing: { type: 'string' },
		json: { type: 'boolean', default: false },
		child: { type: 'string' },
		quick: { type: 'boolean', default: false },
		'no-emp': { type: 'boolean', default: false },
		backend: { type: 'string', default: 'aes-ni' },
		timeout: { type: 'string', default: '900' }
	}
});

function useBackend(name: string): void {
	if (name === 'aes-ni') setBlockCipher(createAesNiCipher());
	else if (name !== 't-table') throw new Error(`--backend must be aes-ni or t-table, got ${name}`);
}

async function measureChild(spec: ChildSpec): Promise<void> {
	useBackend(spec.backend);
	const circuit = buildCircuit(spec.kind, spec.parties, spec.size);
	const inputs = randomInputs(circuit);
	let ms: number;
	let bytesSent: number;
	if (spec.engine === 'emp') {
		const run = await runEmp(circuit, inputs, spec.parties === 2 ? '2pc' : 'mpc');
		({ ms, bytesSent } = run);
	} else {
		({ ms, bytesSent } = await runEngine(circuit, inputs, spec.engine));
	}
	const result: Measurement = { ms, andGates: countGates(circuit).and, bytesSent, peakMB: process.resourceUsage().maxRSS / 1024 };
	console.log(JSON.stringify(result));
}

/** Runs one configuration in a fresh Node process; undefined if it failed or timed out. */
function measure(spec: ChildSpec): Measurement | string {
	const script = fileURLToPath(import.meta.url);
	const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', JSON.stringify(spec)], {
		encoding: 'utf8',
		timeout: Number(values.timeout) * 1000,
		maxBuffer: 1 << 24
	});
	if (child.error) return child.error.message.includes('ETIMEDOUT') ? 'timeout' : child.error.message;
	const line = child.stdout.trim().split('\n').pop() ?? '';
	if (child.status !== 0 || !line.startsWith('{')) return (child.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? `exit ${child.status}`).slice(0, 80);
	return JSON.parse(line) as Measurement;
}

const format = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

async function table(): Promise<void> {
	const circuits: { kind: CircuitKind; sizes: [number, number]; label: string }[] = [
		{ kind: 'chain', sizes: [10_000, 40_000], label: 'AND chain 10k' },
		{ kind: 'aes', sizes: [1, 4], label: 'AES-128' },
		{ kind: 'mul32', sizes: [1, 8], label: '32×32 multiplier' },
		...(values.quick ? [] : [{ kind: 'join' as const, sizes: [100, 50] as [number, number], label: 'join 100×100' }])
	];
	const engines: Engine[] = values['no-emp'] ? ['dealer', 'ot'] : ['dealer', 'ot', 'emp'];
	const backend = values.backend;
	console.log(`Polytune Web engine (AES backend ${backend}) and emp-wasm (ag2pc for 2 parties, agmpc for more), all parties in one process.`);
	console.log('µs/AND and fixed ms: line through two circuit sizes; wall ms, B/AND and peak MB: first size.');
	const header = ['circuit', 'ANDs', 'n', 'engine', 'wall ms', 'fixed ms', 'µs/AND', 'B/AND', 'peak MB', 'emp µs/AND ÷ ours'];
	const widths = [18, 7, 2, 6];
	const print = (row: string[]) => console.log(row.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]) : cell.padStart(i === 9 ? 18 : 9))).join('  '));
	print(header);
	for (const { kind, sizes, label } of circuits) {
		for (const parties of [2, 3, 5]) {
			const fits = new Map<Engine, { first: Measurement; marginal: number; fixed: number } | string>();
			for (const engine of engines) {
				const [a, b] = sizes.map((size) => measure({ engine, kind, parties, size, backend }));
				if (typeof a === 'string' || typeof b === 'string') {
					fits.set(engine, typeof a === 'string' ? a : (b as string));
					continue;
				}
				const marginal = (b.ms - a.ms) / (b.andGates - a.andGates);
				fits.set(engine, { first: a, marginal: marginal * 1000, fixed: a.ms - marginal * a.andGates });
			}
			const emp = fits.get('emp');
			for (const engine of engines) {
				const fit = fits.get(engine)!;
				if (typeof fit === 'string') {
					print([label, '', String(parties), engine, fit, '', '', '', '', '']);
					continue;
				}
				const { first } = fit;
				print([
					label,
					String(first.andGates),
					String(parties),
					engine,
					format(first.ms, 0),
					format(fit.fixed, 0),
					format(fit.marginal),
					format(first.bytesSent / first.andGates, 0),
					format(first.peakMB, 0),
					engine === 'emp' || typeof emp !== 'object' ? '' : `${format(emp.marginal / fit.marginal)}×`
				]);
			}
		}
	}
}

async function single(): Promise<void> {
	const parties = Number(values.parties ?? 2);
	const preprocessing = values.preprocessing ?? 'dealer';
	if (preprocessing !== 'dealer' && preprocessing !== 'ot') throw new Error(`--preprocessing must be ot or dealer, got ${preprocessing}`);
	if (!Number.isInteger(parties) || parties < 2) throw new Error(`--parties must be an integer ≥ 2, got ${values.parties}`);
	useBackend(values.backend);
	const circuit = forParties(parseBristol(readFileSync(values.bristol!, 'utf8')), parties);
	const { ms, andGates, bytesSent } = await runEngine(circuit, randomInputs(circuit), preprocessing);
	if (values.json) console.log(JSON.stringify({ ms: Math.round(ms * 10) / 10, andGates, bytesSent }));
	else console.log(`${values.bristol}: ${parties} parties, ${preprocessing} preprocessing: ${ms.toFixed(0)} ms, ${andGates} AND gates, ${bytesSent} bytes sent`);
}

if (values.child) await measureChild(JSON.parse(values.child) as ChildSpec);
else if (values.bristol) await single();
else await table();
