/**
 * `npm run bench:versions -- REV REV…`: the engine of several commits of this repository side by
 * side, in CPU time per run, to measure what a change costs (issue 12: the security fixes,
 * before/after). Each commit is checked out in a worktree of its own under the system's temp
 * directory (this checkout's node_modules linked in, its WebAssembly kernels built where it has
 * them); then processes of every commit take turns, each running the same circuit several times
 * in one process over in-memory channels and timing every run after the first (warm: a fresh
 * process's first run is mostly JIT warm-up, which `npm run bench` measures).
 *
 *   npm run bench:versions -- 4da460b 10c8671 HEAD
 *   npm run bench:versions -- 4da460b HEAD --modes dealer --parties 2 --ands 300000 --rounds 5
 *
 * The circuit: one layer of independent AND gates over the parties' inputs, their outputs
 * XORed into one output bit (the width of AES or a join, not a chain's depth). CPU time is the
 * process's, all threads (garbage collection on helper threads included); the figures are the
 * minimum and the median per run over every round, and each commit's median against the first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);
/** Input bits of each party. */
const WIDTH = 64;

interface ChildSpec {
	root: string;
	mode: 'dealer' | 'ot';
	parties: number;
	ands: number;
	runs: number;
}

function git(args: string[], cwd = ROOT): string {
	const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
	return result.stdout.trim();
}

/** A worktree of `rev` (made once, reused), ready to import from. */
function checkout(rev: string): string {
	const commit = git(['rev-parse', '--verify', `${rev}^{commit}`]);
	const dir = join(tmpdir(), `polytune-bench-${commit.slice(0, 12)}`);
	if (!existsSync(join(dir, 'src'))) git(['worktree', 'add', '--force', '--detach', dir, commit]);
	if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
	if (existsSync(join(dir, 'scripts/build-wasm.js'))) {
		const built = spawnSync(process.execPath, ['scripts/build-wasm.js'], { cwd: dir, encoding: 'utf8' });
		if (built.status !== 0) throw new Error(`${rev}: building its WebAssembly kernels failed: ${built.stderr.trim()}`);
	}
	return dir;
}

/** In the child: `runs` runs of the engine of `spec.root`; prints the CPU ms of each as JSON. */
async function child(spec: ChildSpec): Promise<void> {
	const from = (path: string) => import(pathToFileURL(join(spec.root, path)).href);
	const { mpc, runDealer } = await from('src/lib/mpc/index.ts');
	const { MemoryNetwork } = await from('src/lib/channel/memory.ts');
	const { GATE_AND, GATE_XOR } = await from('src/lib/garble/circuit.ts');
	if (existsSync(join(spec.root, 'src/node/kernels.ts'))) (await from('src/node/kernels.ts')).installNodeKernels('aes-ni');
	else (await from('src/lib/crypto/backend.ts')).setBlockCipher((await from('src/node/aesni.ts')).createAesNiCipher());

	const { parties, ands } = spec;
	const inputs = parties * WIDTH;
	const kinds: number[] = [];
	const in0: number[] = [];
	const in1: number[] = [];
	let sum = -1;
	for (let g = 0; g < ands; g++) {
		const a = (g * 7) % inputs;
		const b = (g * 13 + 5) % inputs;
		kinds.push(GATE_AND);
		in0.push(a);
		in1.push(b === a ? (b + 1) % inputs : b);
		const product = inputs + kinds.length - 1;
		if (sum < 0) sum = product;
		else {
			kinds.push(GATE_XOR);
			in0.push(sum);
			in1.push(product);
			sum = inputs + kinds.length - 1;
		}
	}
	const circuit = { inputBits: Array(parties).fill(WIDTH), gateKinds: Uint8Array.from(kinds), gateIn0: Uint32Array.from(in0), gateIn1: Uint32Array.from(in1), outputs: Uint32Array.of(sum) };
	const ms: number[] = [];
	for (let r = 0; r < spec.runs; r++) {
		const network = new MemoryNetwork();
		const start = process.cpuUsage();
		const runs: Promise<unknown>[] = Array.from({ length: parties }, (_, party) => mpc(network.channel(party), circuit, new Uint8Array(WIDTH).fill(1), { party, preprocessing: spec.mode }));
		if (spec.mode === 'dealer') runs.push(runDealer(network.channel(255), { parties }));
		await Promise.all(runs);
		const used = process.cpuUsage(start);
		ms.push((used.user + used.system) / 1000);
	}
	console.log(JSON.stringify(ms));
}

function runChild(spec: ChildSpec): number[] {
	const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, '--child', JSON.stringify(spec)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
	if (result.status !== 0) throw new Error(`the engine of ${spec.root} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
	return JSON.parse(result.stdout.trim().split('\n').pop()!) as number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];

async function main(): Promise<void> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			child: { type: 'string' },
			modes: { type: 'string', default: 'dealer,ot' },
			parties: { type: 'string', default: '2,3' },
			ands: { type: 'string', default: '100000' },
			runs: { type: 'string', default: '4' },
			rounds: { type: 'string', default: '3' }
		}
	});
	if (values.child) return child(JSON.parse(values.child) as ChildSpec);
	if (positionals.length < 2) throw new Error('name two commits or more, e.g. npm run bench:versions -- 4da460b HEAD');
	const modes = values.modes.split(',') as ChildSpec['mode'][];
	if (modes.some((m) => m !== 'dealer' && m !== 'ot')) throw new Error(`--modes: dealer and/or ot, got ${values.modes}`);
	const partyCounts = values.parties.split(',').map(Number);
	const [ands, runs, rounds] = [values.ands, values.runs, values.rounds].map(Number);
	if (partyCounts.some((n) => !Number.isInteger(n) || n < 2) || !(ands >= 1) || !(runs >= 2) || !(rounds >= 1)) {
		throw new Error('--parties: integers ≥ 2; --ands ≥ 1; --runs ≥ 2 (the first is warm-up); --rounds ≥ 1');
	}
	const versions = positionals.map((rev) => ({ rev, root: checkout(rev) }));
	console.log(`Engine CPU ms per run (process CPU time, all threads), warm: runs 2–${runs} of each process; ${rounds} process(es) per commit and configuration, commits taking turns.`);
	console.log(`Circuit: ${ands} independent AND gates, XORed into one output; ${WIDTH} input bits per party; AES through node:crypto.`);
	console.log(`${'commit'.padEnd(12)} ${'mode'.padEnd(7)} n  ${'min ms'.padStart(8)} ${'median ms'.padStart(10)} ${'µs/AND'.padStart(7)}  vs ${positionals[0]}`);
	for (const mode of modes) {
		for (const parties of partyCounts) {
			const warm = versions.map(() => [] as number[]);
			for (let round = 0; round < rounds; round++) {
				versions.forEach((v, i) => warm[i].push(...runChild({ root: v.root, mode, parties, ands, runs }).slice(1)));
			}
			const base = median(warm[0]);
			versions.forEach((v, i) => {
				const mid = median(warm[i]);
				const ratio = i === 0 ? '' : `${((mid / base - 1) * 100).toFixed(1).replace(/^(?!-)/, '+')} %`;
				console.log(`${v.rev.slice(0, 12).padEnd(12)} ${mode.padEnd(7)} ${parties}  ${Math.min(...warm[i]).toFixed(0).padStart(8)} ${mid.toFixed(0).padStart(10)} ${((mid * 1000) / ands).toFixed(2).padStart(7)}  ${ratio}`);
			});
		}
	}
}

await main();
