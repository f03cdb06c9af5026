/**
 * `npm run bench:relay -- --browser`: the parties of one run as tabs of the web app in headless
 * Chromium (Debian's, as in the browser tests), each in a browser of its own so that no two
 * share a connection pool or a process, as on separate machines; the dealer is a `polytune pre`
 * process given the session's dealer link, started first and waiting in the session when the
 * tabs join, as a session's dealer does (its start-up is not in the wall time; the CLI runs of
 * bench/relay.ts start it with the parties). Party 0's tab creates the session (so the run is
 * sealed end to end with the link's key), every tab loads the link and fills in its slot and
 * input, then all press Join at once; wall time runs from the first press to the last result
 * shown. Requests and bytes count from the first press. A tab's peak memory is the peak
 * resident set of its browser's renderer processes (its page and its Worker, Linux) from its
 * first page to the last result: checking the program, joining and the run.
 * CPU time and first-request times are not measured for tabs. Playwright sets the tabs up and
 * presses Join, then disconnects: the run goes on with no DevTools attached, as in a user's
 * browser, and the bench watches the tabs' titles (bench/unwatched-browser.ts). With
 * `profileDir`, each tab's Worker is profiled from the join to its result (CDP, attached for the
 * whole run; tab-N.cpuprofile there, one file per run, named after the configuration).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RelayClient } from '../src/lib/channel/relay-client';
import type { RunResult } from './relay';
import { busyShare, machineBusyMs, ROOT, spent, startParticipant, type Relay, type StartedParticipant } from './relay-processes';
import { startDelayProxy, writeTrace, type DelayProxy } from './relay-proxy';
import { launchUnwatched, type UnwatchedBrowser } from './unwatched-browser';
import { printProfile, profileWorker, type WorkerProfiler } from './worker-profiler';

const DEALER = 255;

interface BrowserConfig {
	file: string;
	parties: number;
	mode: 'ot' | 'dealer';
}

/** Requests and bytes through the proxy so far, over every participant. */
function totals(proxy: DelayProxy) {
	let requests = 0;
	let bytesUp = 0;
	let bytesDown = 0;
	for (const t of proxy.traffic().values()) {
		requests += t.requests;
		bytesUp += t.bytesUp;
		bytesDown += t.bytesDown;
	}
	return { requests, bytesUp, bytesDown };
}

/** The home page creates the session for `source`; resolves with its link (with the key). */
async function createSession(page: Page, url: string, source: string, mode: 'ot' | 'dealer'): Promise<string> {
	await page.goto(url);
	await page.getByTestId('program').fill(source);
	await page.getByText('The program checks.').waitFor();
	await page.getByTestId('preprocessing').selectOption(mode);
	await page.getByTestId('create').click();
	await page.waitForURL(/\/s\/[A-Za-z0-9_-]+#key=/);
	return page.url();
}

/** The session a link names (`…/s/{session}#key=…`). */
function sessionOf(link: string): string {
	return new URL(link).pathname.split('/').pop()!;
}

/** Resolves once `participant` has joined `session`: long polls on the relay itself (not through the proxy, whose traffic counts). */
async function joined(relay: Relay, session: string, participant: number): Promise<void> {
	const client = new RelayClient({ url: `http://${relay.host}:${relay.port}` });
	let known: number[] = [];
	while (!known.includes(participant)) known = await client.participants(session, undefined, { known, waitMs: 10_000 });
}

/** Opens the link in `page` and fills in the slot and the input, ready to join. */
async function prepareTab(page: Page, link: string, party: number, input: string): Promise<void> {
	if (page.url() !== link) await page.goto(link);
	const slot = page.getByTestId('party');
	await slot.locator(`option[value="${party}"]:not([disabled])`).waitFor({ state: 'attached' });
	await slot.selectOption(String(party));
	await page.getByTestId('input').fill(input);
}

/** The result the tab shows, and when it appeared; a page error is thrown. */
async function resultOf(page: Page, timeoutMs: number): Promise<{ text: string; at: number }> {
	const result = page.getByTestId('result');
	const error = page.getByTestId('run-error');
	await result.or(error).first().waitFor({ timeout: timeoutMs });
	const at = performance.now();
	if (await error.isVisible()) throw new Error(`a tab shows an error: ${await error.innerText()}`);
	return { text: (await result.innerText()).trim(), at };
}

/** How often the titles of unwatched tabs are read. */
const TITLE_POLL_MS = 50;

/**
 * The result of a tab that nothing is attached to: its title says when the run has ended, then
 * Playwright connects again to read what the tab shows.
 */
async function unwatchedResultOf(tab: UnwatchedBrowser, timeoutMs: number): Promise<{ text: string; at: number }> {
	const deadline = performance.now() + timeoutMs;
	while (!/^(Result|Stopped) · /.test(await tab.title())) {
		if (performance.now() > deadline) throw new Error(`no result in a tab after ${timeoutMs / 1000} s (its title: ${await tab.title()})`);
		await new Promise((resolve) => setTimeout(resolve, TITLE_POLL_MS));
	}
	const at = performance.now();
	const { browser, page } = await tab.connect();
	try {
		return { ...(await resultOf(page, 10_000)), at };
	} finally {
		await browser.close();
	}
}

/** Process id → parent process id, for every process (Linux); empty elsewhere. */
function parents(): Map<number, number> {
	const map = new Map<number, number>();
	if (!existsSync('/proc')) return map;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// pid (comm) state ppid …: the command name may hold spaces and parentheses.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// The process has exited meanwhile.
		}
	}
	return map;
}

/** The renderer processes under `root`. */
function renderers(root: number): number[] {
	const tree = parents();
	const under = (pid: number): boolean => pid === root || (tree.has(pid) && pid > 1 && under(tree.get(pid)!));
	return [...tree.keys()].filter((pid) => {
		try {
			return under(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
		} catch {
			return false; // exited meanwhile
		}
	});
}

/** A `kB` figure of /proc/PID/status (VmRSS, VmHWM), in KiB; 0 once the process has exited. */
function statusKiB(pid: number, field: string): number {
	try {
		return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
	} catch {
		return 0;
	}
}

/**
 * The peak resident set of each browser's renderer processes (its page and its Worker), in
 * KiB: the resident set sampled every 250 ms, and VmHWM, whichever is larger (Chromium resets
 * VmHWM now and then for its own measurements, so it alone can miss the peak).
 */
function watchRenderers(roots: (number | undefined)[]): { stop(): (number | undefined)[] } {
	const peaks: (number | undefined)[] = roots.map(() => undefined);
	let pids = roots.map((root) => (root === undefined ? [] : renderers(root)));
	let ticks = 0;
	const sample = () => {
		if (++ticks % 8 === 0) pids = roots.map((root) => (root === undefined ? [] : renderers(root)));
		pids.forEach((list, i) => {
			for (const pid of list) peaks[i] = Math.max(peaks[i] ?? 0, statusKiB(pid, 'VmRSS'), statusKiB(pid, 'VmHWM'));
		});
	};
	sample();
	const timer = setInterval(sample, 250);
	return {
		stop: () => {
			sample();
			clearInterval(timer);
			return peaks;
		}
	};
}

/** Runs so far, to name their profiles and traces. */
let runNumber = 0;

export async function runInBrowser(relay: Relay, config: BrowserConfig, rttMs: number, inputs: string[], expected: string, timeoutMs: number, profileDir?: string, traceDir?: string): Promise<RunResult> {
	const proxy = await startDelayProxy(relay, rttMs / 2, { trace: !!traceDir });
	const tabs = await Promise.all(inputs.map(() => launchUnwatched()));
	let connected: Browser[] = [];
	const probes = mkdtempSync(join(tmpdir(), 'polytune-bench-relay-'));
	let dealer: StartedParticipant | undefined;
	const memory = watchRenderers(tabs.map(({ pid }) => pid));
	try {
		const sessions = await Promise.all(tabs.map((tab) => tab.connect()));
		connected = sessions.map(({ browser }) => browser);
		const pages = sessions.map(({ page }) => page);
		const link = await createSession(pages[0], proxy.url, readFileSync(join(ROOT, config.file), 'utf8'), config.mode);
		// The session grants the dealer of its dealer link (with the grant's secret), not a party link.
		const dealerLink = config.mode === 'dealer' ? await pages[0].getByTestId('dealer-link').inputValue() : undefined;
		await Promise.all(pages.map((page, party) => prepareTab(page, link, party, inputs[party])));
		if (profileDir) mkdirSync(profileDir, { recursive: true });
		const profilers: WorkerProfiler[] = profileDir ? await Promise.all(pages.map(async (page) => profileWorker(await page.context().newCDPSession(page)))) : [];
		await Promise.all(profilers.map((profiler) => profiler.start()));
		dealer = dealerLink ? startParticipant(['pre', dealerLink, '--parties', String(config.parties), '--quiet', '--timeout', '5m'], join(probes, 'dealer.json')) : undefined;
		const dealerFailed = dealer?.finished.then((run) => {
			if (run.code !== 0) throw new Error(`the dealer failed (exit ${run.code ?? run.signal}):\n${run.stderr}`);
			return new Promise<never>(() => {});
		});
		if (dealerFailed) await Promise.race([joined(relay, sessionOf(link), DEALER), dealerFailed]);
		const before = totals(proxy);
		const startedAt = performance.now();
		const busyBefore = machineBusyMs();
		const relayCpuBefore = relay.cpuMs();
		await Promise.all(pages.map((page) => page.getByTestId('join').click()));
		if (!profileDir) {
			await Promise.all(connected.map((browser) => browser.close()));
			connected = [];
		}
		const ended = profileDir ? pages.map((page) => resultOf(page, timeoutMs)) : tabs.map((tab) => unwatchedResultOf(tab, timeoutMs));
		// A dealer that fails leaves the tabs waiting: stop at once, saying why.
		const results = await Promise.race([Promise.all(ended), ...(dealerFailed ? [dealerFailed] : [])]);
		// Read before the dealer's exit, which comes a while after the results.
		const busyAfter = machineBusyMs();
		const relayCpuAfter = relay.cpuMs();
		const endedAt = performance.now();
		const peaks = memory.stop();
		const dealerRun = await dealer?.finished;
		const run = `${++runNumber}-${config.parties}p-${config.mode}-rtt${rttMs}`;
		if (traceDir) writeTrace(traceDir, `${run}-tabs`, proxy.trace());
		if (profileDir) {
			for (const [party, profiler] of profilers.entries()) {
				const file = join(profileDir, `${run}-tab-${party}.cpuprofile`);
				await profiler.stop(file);
				printProfile(`run ${run}, tab of party ${party} (${file})`, file, join(ROOT, 'build/client'));
			}
		}
		results.forEach(({ text }, party) => {
			if (text !== expected) throw new Error(`the tab of party ${party} shows ${text}, plaintext evaluation gives ${expected}`);
		});
		const after = totals(proxy);
		return {
			wallMs: Math.max(...results.map((r) => r.at)) - startedAt,
			busy: busyShare(busyBefore, busyAfter, endedAt - startedAt),
			relayCpuMs: spent(relayCpuBefore, relayCpuAfter),
			requests: after.requests - before.requests,
			bytesUp: after.bytesUp - before.bytesUp,
			bytesDown: after.bytesDown - before.bytesDown,
			participants: [
				...inputs.map((_, party) => ({ party, peakRssKiB: peaks[party] })),
				...(dealerRun ? [{ party: DEALER, cpuMs: dealerRun.cpuMs, peakRssKiB: dealerRun.peakRssKiB }] : [])
			]
		};
	} finally {
		// A run that failed may leave the dealer waiting for parties that are gone.
		memory.stop();
		if (dealer?.child.exitCode === null) dealer.child.kill('SIGKILL');
		await Promise.all(connected.map((browser) => browser.close()));
		await Promise.all(tabs.map((tab) => tab.close()));
		await proxy.close();
		rmSync(probes, { recursive: true, force: true });
	}
}
