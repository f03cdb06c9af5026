/**
 * `npm run bench:kernels`: the crypto kernels side by side in one run, then the engine on them.
 *
 *   npm run bench:kernels                      Node: t-table, wasm-simd and aes-ni, each in a fresh process
 *   npm run bench:kernels -- --browser         and Chromium: t-table and wasm-simd, each in a fresh Worker
 *   npm run bench:kernels -- --parties 2 --reps 5
 *   npm run bench:kernels -- --browser --parties 3 --profile DIR
 *                                              no kernel timings: CPU profiles of the engine runs in DIR
 *                                              (node-BACKEND.cpuprofile, chromium-BACKEND.cpuprofile),
 *                                              and the functions with the most self time in each
 *
 * Kernels: ns (base OTs: µs) per item, the fastest of 3 rounds of ≈ 200 ms after one warm-up call. Engine: all
 * parties of bench/programs/products-N.garble.rs (13,455 AND gates) in one thread over
 * in-memory channels with OT preprocessing, as `npm run bench` runs them; the median of --reps
 * runs, the first of which is cold (JIT and WebAssembly tiers warming up). The browser's
 * Worker fetches kernels.wasm as the app's Worker does; it needs `npm run build:wasm`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { KERNELS_WASM } from '../scripts/build-wasm.js';
import { installNodeKernels, NODE_BACKENDS, type NodeBackend } from '../src/node/kernels';
import { chromiumPath } from '../tests/helpers/browser';
import { timeEngine, timeKernels, type EngineTiming, type KernelTimings } from './kernel-timings';
import type { WorkerRequest } from './kernels-worker';
import { printProfile, profileWorker } from './worker-profiler';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
	options: {
		browser: { type: 'boolean', default: false },
		parties: { type: 'string', default: '2,3' },
		reps: { type: 'string', default: '3' },
		profile: { type: 'string' },
		child: { type: 'string' }
	}
});

interface Measured {
	/** Absent while profiling. */
	kernels?: KernelTimings;
	engine: EngineTiming[];
}

/** One column of the table: where the kernels ran and which. */
interface Column {
	label: string;
	result: Measured | string;
}

const reps = Number(values.reps);
const partyCounts = values.parties.split(',').map(Number);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
if (partyCounts.some((n) => ![2, 3, 5].includes(n))) throw new Error(`--parties: products programs exist for 2, 3 and 5 parties, got ${values.parties}`);
const programs = partyCounts.map((n) => readFileSync(join(ROOT, `bench/programs/products-${n}.garble.rs`), 'utf8'));
const profileDir = values.profile;

async function measureHere(backend: NodeBackend): Promise<Measured> {
	installNodeKernels(backend);
	const kernels = profileDir ? undefined : timeKernels();
	const engine: EngineTiming[] = [];
	const inspector = profileDir ? new Session() : undefined;
	if (inspector) {
		inspector.connect();
		await inspector.post('Profiler.enable');
		await inspector.post('Profiler.start');
	}
	for (const source of programs) engine.push(await timeEngine(source, reps));
	if (inspector) writeFileSync(join(profileDir!, `node-${backend}.cpuprofile`), JSON.stringify((await inspector.post('Profiler.stop')).profile));
	return { kernels, engine };
}

/** One backend in a fresh Node process. */
function measureNode(backend: NodeBackend): Measured | string {
	const args = ['--child', backend, '--parties', values.parties, '--reps', values.reps, ...(profileDir ? ['--profile', profileDir] : [])];
	const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
		encoding: 'utf8',
		maxBuffer: 1 << 24
	});
	const line = child.stdout.trim().split('\n').pop() ?? '';
	return child.status === 0 && line.startsWith('{') ? (JSON.parse(line) as Measured) : `failed: ${(child.stderr || line).split('\n')[0]}`;
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Serves `dir` on 127.0.0.1 (any free port). */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
	const server = createServer((request, response) => {
		const name = (request.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
		try {
			const body = readFileSync(join(dir, name.replace(/[^\w.-]/g, '')));
			response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
		} catch {
			response.writeHead(404).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('bench:kernels: no server address');
	return { server, url: `http://127.0.0.1:${address.port}` };
}

/** Each browser backend in a fresh Worker of one headless Chromium page. */
async function measureBrowser(backends: WorkerRequest['backend'][]): Promise<Column[]> {
	const dir = mkdtempSync(join(tmpdir(), 'polytune-bench-kernels-'));
	const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
	let server: Server | undefined;
	try {
		await build({ entryPoints: [join(ROOT, 'bench/kernels-worker.ts')], outfile: join(dir, 'worker.js'), bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning', tsconfigRaw: {} });
		writeFileSync(join(dir, 'kernels.wasm'), readFileSync(join(ROOT, KERNELS_WASM)));
		writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench:kernels</title>');
		const served = await serve(dir);
		server = served.server;
		const version = browser.version();
		const columns: Column[] = [];
		for (const backend of backends) {
			const page = await browser.newPage();
			await page.goto(served.url);
			const profiler = profileDir ? await profileWorker(await page.context().newCDPSession(page)) : undefined;
			const request: WorkerRequest = { backend, kernels: !profileDir, wasmUrl: `${served.url}/kernels.wasm`, programs, reps };
			const running = page.evaluate(
				(request) =>
					new Promise<Measured | { error: string }>((resolve) => {
						// Closing the page ends the Worker, after the profiler stopped.
						const worker = new Worker('/worker.js', { type: 'module' });
						worker.onmessage = (event) => resolve(event.data);
						worker.onerror = (event) => resolve({ error: event.message });
						worker.postMessage(request);
					}),
				request
			);
			await profiler?.start();
			const result = await running;
			if (profileDir) await profiler?.stop(join(profileDir, `chromium-${backend}.cpuprofile`));
			await page.close();
			columns.push({ label: `Chromium ${version.split('.')[0]} ${backend}`, result: 'error' in result ? `failed: ${result.error}` : result });
		}
		return columns;
	} finally {
		server?.close();
		await browser.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const cell = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

function printTable(columns: Column[]): void {
	const width = Math.max(14, ...columns.map((c) => c.label.length)) + 2;
	const labelWidth = 44;
	const ok = (c: Column) => (typeof c.result === 'string' ? undefined : c.result);
	console.log(''.padEnd(labelWidth) + columns.map((c) => c.label.padStart(width)).join(''));
	const kernelRows: [string, keyof KernelTimings][] = [
		['AES-128 fixed key, ns/block', 'aesFixed'],
		['TCCR hash π(π(x)⊕T)⊕π(x), ns/block', 'tccr'],
		['AES-128-CTR keystream, ns/block', 'aesCtr'],
		['GF(2^128) Horner, ns/multiplication', 'horner'],
		['128-column transpose, ns/row', 'transpose'],
		['base OT (ristretto255, both sides), µs/OT', 'baseOt'],
		['ChaCha20-Poly1305 seal + open, ns/byte', 'aead']
	];
	for (const [label, key] of kernelRows) console.log(label.padEnd(labelWidth) + columns.map((c) => cell(ok(c)?.kernels?.[key]).padStart(width)).join(''));
	partyCounts.forEach((parties, i) => {
		const andGates = columns.map((c) => ok(c)?.engine[i]?.andGates).find((n) => n !== undefined);
		const label = `engine ${parties} parties, OT, ${andGates ?? '?'} ANDs: ms`;
		console.log(label.padEnd(labelWidth) + columns.map((c) => cell(ok(c) && median(ok(c)!.engine[i].runs), 0).padStart(width)).join(''));
		console.log('  (each run, first cold)'.padEnd(labelWidth) + columns.map((c) => (ok(c)?.engine[i].runs.map((ms) => ms.toFixed(0)).join(' ') ?? '').padStart(width)).join(''));
	});
	for (const c of columns) if (typeof c.result === 'string') console.log(`${c.label}: ${c.result}`);
}

/** a ÷ b for every kernel and engine row, as a line of ratios. */
function printRatios(title: string, a: Column | undefined, b: Column | undefined): void {
	if (!a || !b || typeof a.result === 'string' || typeof b.result === 'string') return;
	const [x, y] = [a.result, b.result];
	const kernelRatios = (['aesFixed', 'tccr', 'aesCtr', 'horner', 'transpose', 'baseOt', 'aead'] as const).map((key) => `${key} ${cell(x.kernels && y.kernels && x.kernels[key] / y.kernels[key], 2)}×`);
	const parts = x.kernels && y.kernels ? kernelRatios : [];
	partyCounts.forEach((parties, i) => parts.push(`engine ${parties}p ${cell(median(x.engine[i].runs) / median(y.engine[i].runs), 2)}×`));
	console.log(`${title}: ${parts.join(', ')}`);
}

function printProfiles(dir: string): void {
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) printProfile(file.replace('.cpuprofile', ''), join(dir, file));
}

async function main(): Promise<void> {
	if (values.child) {
		console.log(JSON.stringify(await measureHere(values.child as NodeBackend)));
		return;
	}
	if (profileDir) {
		rmSync(profileDir, { recursive: true, force: true });
		mkdirSync(profileDir, { recursive: true });
	}
	console.log(`bench:kernels, Node ${process.version}: ns per item (fastest of 3 rounds); engine ms (median of ${reps} runs, all parties in one thread, OT).`);
	const columns: Column[] = NODE_BACKENDS.map((backend) => ({ label: `Node ${backend}`, result: measureNode(backend) }));
	if (values.browser) columns.push(...(await measureBrowser(['t-table', 'wasm-simd'])));
	printTable(columns);
	const find = (label: string) => columns.find((c) => c.label.endsWith(label) && c.label.startsWith(label.split(' ')[0]));
	printRatios('Node t-table ÷ wasm-simd', find('Node t-table'), find('Node wasm-simd'));
	printRatios('Node wasm-simd ÷ aes-ni', find('Node wasm-simd'), find('Node aes-ni'));
	const chromium = columns.filter((c) => c.label.startsWith('Chromium'));
	printRatios('Chromium t-table ÷ wasm-simd', chromium.find((c) => c.label.endsWith('t-table')), chromium.find((c) => c.label.endsWith('wasm-simd')));
	printRatios('Chromium wasm-simd ÷ Node aes-ni', chromium.find((c) => c.label.endsWith('wasm-simd')), find('Node aes-ni'));
	if (profileDir) printProfiles(profileDir);
}

await main();
