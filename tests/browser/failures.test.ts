// Failures a person meets in the web app, shown in words with what to do — never a result.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { expect, test } from 'vitest';
import { runCli, startRelay } from '../helpers';
import { createSession, join, useTestbed } from './flows';

const testbed = useTestbed();

test('a CLI party that runs another program makes the page and the CLI stop, saying what differs', async () => {
	const tab = await testbed.browser.newTab();
	const link = await createSession(tab, testbed.relay.url, { preprocessing: 'ot' });
	// Same signature, other body: only the circuit hash tells them apart.
	const other = joinPath(mkdtempSync(joinPath(tmpdir(), 'polytune-mismatch-')), 'product.garble.rs');
	writeFileSync(other, 'pub fn main(x: u32, y: u32, z: u32) -> u32 {\n    x * y * z\n}\n');
	const cli = runCli(['party', link, `--program=${other}`, '--party=2', '--input=3u32'], { timeoutMs: 120_000 });
	const second = await testbed.browser.newTab();
	await Promise.all([join(tab, link, 0, '1'), join(second, link, 1, '2')]);

	for (const page of [tab, second]) {
		const error = page.getByTestId('run-error');
		await error.waitFor({ timeout: 60_000 });
		expect(await error.innerText()).toContain('The parties do not agree on the computation');
		expect(await page.getByTestId('result').count()).toBe(0);
		expect(await page.getByTestId('run-status').innerText()).toContain('Stopped at this step');
	}
	await testbed.browser.screenshot(tab, 'session-mismatch');
	const finished = await cli;
	expect(finished.code, finished.stderr).toBe(1);
	expect(finished.stderr).toMatch(/circuit|program/i);
	expect(finished.stdout).not.toContain('The result is');
	await Promise.all([tab.close(), second.close()]);
});

test('a relay that went away is named when the person joins, with what to do', async () => {
	const relay = await startRelay();
	const tab = await testbed.browser.newTab();
	try {
		const link = await createSession(tab, relay.url, { preprocessing: 'ot' });
		await relay.stop();
		await tab.getByTestId('party').selectOption('0');
		await tab.getByTestId('input').fill('5');
		await tab.getByTestId('join').click();
		const error = tab.getByTestId('run-error');
		await error.waitFor({ timeout: 60_000 });
		expect(await error.innerText()).toContain('The relay cannot be reached');
		expect(await error.innerText()).toContain('npx polytune serve');
		expect(link).toContain('#key=');
		// Chromium logs each refused request itself, and a long poll (the participants') that the
		// stopping relay ended with 503; those are expected here, nothing else is.
		testbed.browser.expectProblems(/status of 503 \(Service Unavailable\)/);
		expect(testbed.browser.expectProblems(/net::ERR_CONNECTION_REFUSED/).length).toBeGreaterThan(0);
	} finally {
		await tab.close();
		await relay.stop();
	}
});

test('a link without its key says so, and the whole link pasted into the same tab opens the session', async () => {
	const creator = await testbed.browser.newTab();
	const link = await createSession(creator, testbed.relay.url, { preprocessing: 'ot' });
	const tab = await testbed.browser.newTab();
	try {
		await tab.goto(link.slice(0, link.indexOf('#')));
		await tab.getByText('The link has no key', { exact: true }).waitFor();
		expect(await tab.getByTestId('input').count()).toBe(0);
		// As a paste into the address bar does: only what follows # changes.
		await tab.evaluate((hash) => (location.hash = hash), new URL(link).hash);
		await tab.getByTestId('input').waitFor();
		expect(await tab.getByText('The link has no key', { exact: true }).count()).toBe(0);
	} finally {
		await Promise.all([creator.close(), tab.close()]);
	}
});
