// Issue 2: the party Worker answers in a production build (the built app served by `polytune serve`).
import { expect, test } from 'vitest';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../../src/lib/version';
import { useTestbed } from './flows';

const testbed = useTestbed();

test('the home page shows the engine version answered by the Worker', async () => {
	const { relay, browser } = testbed;
	const page = await browser.newTab();
	await page.goto(relay.url);
	const version = page.getByTestId('engine-version');
	await version.filter({ hasText: `engine ${ENGINE_VERSION}` }).waitFor({ timeout: 20_000 });
	expect(await version.textContent()).toContain(`protocol ${PROTOCOL_VERSION}`);
	// The answer comes from a module Worker that the production build emitted as its own file.
	const workers = page.workers().map((worker) => worker.url());
	expect(workers.some((url) => url.startsWith(relay.url) && /party\.worker[^/]*\.js$/.test(url))).toBe(true);
	await page.close();
});
