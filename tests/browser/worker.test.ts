// Issue 2: the party Worker answers in a production build (the built app served by `polytune serve`).
import { expect, test } from 'vitest';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../../src/lib/version';
import { useTestbed } from './flows';

const testbed = useTestbed();

test('the home page shows the engine version answered by the Worker', async () => {
	const { relay, browser } = testbed;
	const page = await browser.newTab();
	const kernels: string[] = [];
	page.on('response', (response) => {
		if (/\/kernels[^/]*\.wasm$/.test(response.url())) kernels.push(`${response.status()} ${response.url()}`);
	});
	const warnings: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'warning') warnings.push(message.text());
	});
	await page.goto(relay.url);
	const version = page.getByTestId('engine-version');
	await version.filter({ hasText: `engine ${ENGINE_VERSION}` }).waitFor({ timeout: 20_000 });
	expect(await version.textContent()).toContain(`protocol ${PROTOCOL_VERSION}`);
	// The answer comes from a module Worker that the production build emitted as its own file.
	const workers = page.workers().map((worker) => worker.url());
	expect(workers.some((url) => url.startsWith(relay.url) && /party\.worker[^/]*\.js$/.test(url))).toBe(true);
	// The Worker loaded the WebAssembly kernels, an asset of the build, and did not fall back to JavaScript.
	await expect.poll(() => kernels).toEqual([expect.stringMatching(new RegExp(`^200 ${relay.url}/.*kernels[^/]*\\.wasm$`))]);
	expect(warnings.filter((text) => /kernels/.test(text))).toEqual([]);
	await page.close();
});
