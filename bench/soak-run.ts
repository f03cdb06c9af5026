/**
 * The relay under a long load (issue 15's soak): many sessions of the seed's sum, 3 parties
 * each, one after another and then several at a time, through one real `polytune serve`.
 * Every session has its own key; in every few sessions one party is a `polytune party`
 * process, the others run in this process (the same `runParty` as the CLI and the browser).
 * Afterwards, once the sessions have expired, the relay's `/health` must show what it showed
 * before the load: no session, no queued byte, the same open handles and timers, and a heap
 * (collected first: the relay runs with --expose-gc) within `heapTolerance` of the start.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runParty } from '../src/lib/party';
import { installNodeBackend } from '../src/cli/session-args';
import { CLI, ROOT, startRelay } from './relay-processes';

const PROGRAM_FILE = join(ROOT, 'static/examples/sum.garble.rs');
const PARTIES = 3;

export interface SoakOptions {
	/** Sessions run one after another (after a warm-up of WARM_UP sessions, which count too). */
	sequential: number;
	/** Sessions run `concurrency` at a time after those. */
	concurrent: number;
	concurrency: number;
	/** Every `cliEvery`-th session has a CLI process as one of its parties. */
	cliEvery: number;
	/** Allowed relative change of the relay's collected heap. */
	heapTolerance: number;
	onProgress?: (done: number, total: number) => void;
}

export interface RelayHealthFigures {
	sessions: number;
	queuedBytes: number;
	process: { heapUsedBytes: number; rssBytes: number; collected: boolean; activeResources: Record<string, number> };
}

export interface SoakReport {
	sessions: number;
	withCli: number;
	wrongResults: string[];
	before: RelayHealthFigures;
	peak: { heapUsedBytes: number; rssBytes: number; sessions: number };
	after: RelayHealthFigures;
	wallMs: number;
	/** What differs between before and after beyond the tolerance; empty when the relay is back where it started. */
	leaks: string[];
}

/**
 * The relay under test forgets idle sessions soon, so that its end state comes soon after the
 * load: long polls are capped well below the TTL, and the TTL leaves room for parties whose
 * heartbeats (every 5 s) come late because many of them share this process's one thread.
 */
const SESSION_TTL_SECONDS = 30;
const MAX_WAIT_MS = 2000;
/** Sessions (three at once, one with a CLI party) before the relay's start level is taken: its code compiled, its pools filled. */
const WARM_UP = 3;

export async function soak(options: SoakOptions): Promise<SoakReport> {
	installNodeBackend();
	const program = readFileSync(PROGRAM_FILE, 'utf8');
	const relay = await startRelay({ NODE_OPTIONS: '--expose-gc', RELAY_SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS), RELAY_MAX_WAIT_MS: String(MAX_WAIT_MS), RELAY_SWEEP_SECONDS: '1' });
	const url = `http://${relay.host}:${relay.port}`;
	const total = WARM_UP + options.sequential + options.concurrent;
	const wrongResults: string[] = [];
	let done = 0;
	let withCli = 0;
	const peak = { heapUsedBytes: 0, rssBytes: 0, sessions: 0 };
	const sample = async () => {
		const health = await relayHealth(url);
		peak.heapUsedBytes = Math.max(peak.heapUsedBytes, health.process.heapUsedBytes);
		peak.rssBytes = Math.max(peak.rssBytes, health.process.rssBytes);
		peak.sessions = Math.max(peak.sessions, health.sessions);
	};
	const one = async (index: number) => {
		const cli = options.cliEvery > 0 && index % options.cliEvery === 0;
		if (cli) withCli++;
		const problem = await runSession(url, `soak-${index}`, program, cli);
		if (problem) wrongResults.push(`session ${index}: ${problem}`);
		options.onProgress?.(++done, total);
	};
	try {
		await Promise.all(Array.from({ length: WARM_UP }, (_, i) => one(i)));
		await idle(url);
		const before = await relayHealth(url);
		const started = performance.now();
		for (let i = 0; i < options.sequential; i++) {
			await one(WARM_UP + i);
			if (i % 10 === 0) await sample();
		}
		let next = WARM_UP + options.sequential;
		const worker = async () => {
			while (next < total) {
				await one(next++);
				await sample();
			}
		};
		await Promise.all(Array.from({ length: Math.min(options.concurrency, options.concurrent) }, worker));
		const wallMs = performance.now() - started;
		await idle(url);
		const after = await relayHealth(url);
		return { sessions: total, withCli, wrongResults, before, peak, after, wallMs, leaks: compare(before, after, options.heapTolerance) };
	} finally {
		await relay.stop();
	}
}

/** One session of the sum; resolves with what went wrong, or undefined when every party printed the sum. */
async function runSession(url: string, session: string, program: string, withCli: boolean): Promise<string | undefined> {
	const key = randomBytes(32);
	const inputs = Array.from({ length: PARTIES }, () => randomInt(0, 2 ** 30));
	const expected = String(inputs.reduce((sum, x) => (sum + x) % 2 ** 32, 0));
	const runs = inputs.map((input, party) =>
		withCli && party === PARTIES - 1
			? cliParty(url, session, key, party, `${input}u32`)
			: runParty({ url, session, key, party, program, input: `${input}u32`, timeoutMs: 60_000 }).then((result) => (result.output?.kind === 'value' ? result.output.text : `no value: ${JSON.stringify(result.output)}`))
	);
	const results = await Promise.allSettled(runs);
	const wrong = results.map((r, party) => (r.status === 'rejected' ? `party ${party} failed: ${(r.reason as Error).message}` : r.value !== expected ? `party ${party} printed ${r.value}, expected ${expected}` : '')).filter(Boolean);
	return wrong.length > 0 ? wrong.join('; ') : undefined;
}

function cliParty(url: string, session: string, key: Uint8Array, party: number, input: string): Promise<string> {
	const args = [CLI, 'party', url, '--session', session, `--key=${Buffer.from(key).toString('base64url')}`, '--program', PROGRAM_FILE, '--party', String(party), '--input', input, '--quiet'];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
		child.once('close', (code) => {
			const printed = /The result is (\S+)/.exec(out);
			if (code === 0 && printed) resolve(printed[1].replace(/u32$/, ''));
			else reject(new Error(`polytune party exited ${code}: ${out.trim()}`));
		});
	});
}

async function relayHealth(url: string): Promise<RelayHealthFigures> {
	const response = await fetch(`${url}/health`);
	if (!response.ok) throw new Error(`/health answered ${response.status}: ${await response.text()}`);
	return (await response.json()) as RelayHealthFigures;
}

/** Sockets a relay at rest holds: the connection of the /health request that asks. */
const SOCKETS_AT_REST = 1;
/**
 * How long idle connections may stay open: `polytune serve` keeps them 65 s (serve.ts), the
 * parties' connection pools in this process keep theirs as long, and a few seconds' margin.
 */
const IDLE_CONNECTIONS_MS = 75_000;

/**
 * Waits until the relay holds no session (they expire SESSION_TTL_SECONDS after their last
 * request) and has closed the idle connections of the parties, so that the figures before
 * and after the load compare a relay at rest with a relay at rest.
 */
async function idle(url: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while ((await relayHealth(url)).sessions > 0) {
		if (Date.now() > deadline) throw new Error('the relay still holds sessions a minute after the load');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	const closed = Date.now() + IDLE_CONNECTIONS_MS;
	while (((await relayHealth(url)).process.activeResources.TCPSocketWrap ?? 0) > SOCKETS_AT_REST && Date.now() < closed) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

function compare(before: RelayHealthFigures, after: RelayHealthFigures, tolerance: number): string[] {
	const leaks: string[] = [];
	if (after.sessions !== 0) leaks.push(`${after.sessions} sessions left`);
	if (after.queuedBytes !== 0) leaks.push(`${after.queuedBytes} bytes still queued`);
	const change = after.process.heapUsedBytes / before.process.heapUsedBytes - 1;
	if (Math.abs(change) > tolerance) leaks.push(`heap ${mb(before.process.heapUsedBytes)} → ${mb(after.process.heapUsedBytes)} MB (${(100 * change).toFixed(1)} %)`);
	const kinds = new Set([...Object.keys(before.process.activeResources), ...Object.keys(after.process.activeResources)]);
	for (const kind of kinds) {
		const [was, is] = [before.process.activeResources[kind] ?? 0, after.process.activeResources[kind] ?? 0];
		if (is > was) leaks.push(`${kind}: ${was} → ${is}`);
	}
	return leaks;
}

export function mb(bytes: number): string {
	return (bytes / 2 ** 20).toFixed(1);
}
