// Issue 2: the party Worker answers in a production build (the built app served by `polytune serve`).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startRelay, type StartedRelay } from '../helpers';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../../src/lib/version';

let relay: StartedRelay;
let browser: TestBrowser;

beforeAll(async () => {
	relay = await startRelay();
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await relay?.stop();
});

test('the home page shows the engine version answered by the Worker', async () => {
	const page = await browser.newTab();
	await page.goto(relay.url);
	const version = page.getByTestId('engine-version');
	await version.filter({ hasText: `engine ${ENGINE_VERSION}` }).waitFor({ timeout: 20_000 });
	expect(await version.textContent()).toContain(`protocol ${PROTOCOL_VERSION}`);
	// The answer comes from a module Worker that the production build emitted as its own file.
	const workers = page.workers().map((worker) => worker.url());
	expect(workers.some((url) => url.startsWith(relay.url) && /party\.worker[^/]*\.js$/.test(url))).toBe(true);
	expect(browser.problems()).toEqual([]);
});
