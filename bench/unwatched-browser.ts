/**
 * Chromium for `bench:relay --browser`, with Playwright attached only while the bench sets a
 * tab up and presses its buttons. DevTools attached to a page attaches to its Worker too, and
 * there keeps the bodies of the Worker's requests and responses (up to 200 MB, for the Network
 * panel) and reports an event for each request: memory and work that a user's tab does not
 * have. So the bench disconnects once the run has started and follows the tabs by their titles
 * (the run's progress, then `Result` or `Stopped`), which the DevTools HTTP endpoint lists
 * without attaching to anything.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../tests/helpers/browser';

export interface UnwatchedBrowser {
	/** The browser's process: its renderers are its descendants. */
	readonly pid: number;
	/** Connects Playwright (again); the page of the browser's one tab. Close the returned browser to disconnect: the tab stays. */
	connect(): Promise<{ browser: Browser; page: Page }>;
	/** The title of the tab now, read without attaching to it. */
	title(): Promise<string>;
	/** Ends the browser and removes its profile. */
	close(): Promise<void>;
}

/** Starts Chromium with one blank tab and a DevTools endpoint on a free loopback port. */
export async function launchUnwatched(): Promise<UnwatchedBrowser> {
	const profile = mkdtempSync(join(tmpdir(), 'polytune-bench-chromium-'));
	const child = spawn(chromiumPath(), [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
		stdio: ['ignore', 'ignore', 'pipe'],
		// A process group of its own, so that close() ends its helper processes with it.
		detached: true
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const endpoint = await new Promise<string>((resolve, reject) => {
		let log = '';
		child.stderr!.setEncoding('utf8').on('data', (text: string) => {
			log += text;
			const match = /DevTools listening on (ws:\/\/\S+)/.exec(log);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code, signal) => reject(new Error(`Chromium exited (${code ?? signal}) before its DevTools endpoint was up:\n${log}`)));
	});
	const http = `http://${new URL(endpoint).host}`;
	return {
		pid: child.pid!,
		async connect() {
			const browser = await chromium.connectOverCDP(endpoint);
			const [context] = browser.contexts();
			const page = context.pages()[0] ?? (await context.newPage());
			return { browser, page };
		},
		async title() {
			const targets = (await (await fetch(`${http}/json/list`)).json()) as { type: string; title: string }[];
			return targets.find((target) => target.type === 'page')?.title ?? '';
		},
		async close() {
			process.kill(-child.pid!, 'SIGKILL');
			await exited;
			rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
		}
	};
}
