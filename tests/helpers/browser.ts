// Drives Debian's Chromium through playwright-core for the browser tests. Never downloads a
// browser: it uses /usr/bin/chromium or $CHROMIUM_PATH, with a fresh profile per launch.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The flags the project runs Chromium with; Playwright adds only its debugging pipe. */
export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Where the tests keep their screenshots (committed, overwritten by every run). */
export const ARTIFACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export interface TestBrowser {
	/** Opens a new tab in the one browser window; console errors and page errors are recorded. */
	newTab(viewport?: { width: number; height: number }): Promise<Page>;
	/** Console errors and uncaught page errors seen so far, one line each, with the tab's URL. */
	problems(): string[];
	/** Removes the recorded problems that match `expected` (e.g. Chromium's log of a refused connection), returning them. */
	expectProblems(expected: RegExp): string[];
	/** Screenshot of the full page as `tests/artifacts/<name>.png`. */
	screenshot(page: Page, name: string): Promise<void>;
	close(): Promise<void>;
}

export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Launches headless Chromium with a temporary profile that `close()` removes. */
export async function launchBrowser(): Promise<TestBrowser> {
	const profile = mkdtempSync(join(tmpdir(), 'polytune-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: chromiumPath(),
			headless: true,
			// Our flags only: Playwright's own defaults would hide behaviour real browsers have.
			ignoreDefaultArgs: true,
			args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'],
			viewport: { width: 1200, height: 900 }
		});
	} catch (error) {
		rmSync(profile, { recursive: true, force: true });
		throw error;
	}
	const problems: string[] = [];
	const watch = (page: Page) => {
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(`console error in ${page.url()}: ${message.text()}`);
		});
		page.on('pageerror', (error) => problems.push(`page error in ${page.url()}: ${error.message}`));
	};
	const blank = context.pages();
	return {
		async newTab(viewport) {
			// Reuse the window's first blank tab, so every tab the test sees is one it opened.
			const page = blank.pop() ?? (await context.newPage());
			watch(page);
			if (viewport) await page.setViewportSize(viewport);
			return page;
		},
		problems: () => [...problems],
		expectProblems(expected) {
			const matching = problems.filter((problem) => expected.test(problem));
			const others = problems.filter((problem) => !expected.test(problem));
			problems.splice(0, problems.length, ...others);
			return matching;
		},
		async screenshot(page, name) {
			mkdirSync(ARTIFACTS_DIR, { recursive: true });
			// With several tabs, headless Chromium renders only the front one reliably.
			await page.bringToFront();
			await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
		},
		async close() {
			try {
				await context.close();
			} finally {
				rmSync(profile, { recursive: true, force: true });
			}
		}
	};
}
