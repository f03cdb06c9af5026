// Issue 14: the /bench page runs the engine in this browser's Worker and shows what it measured.
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { useTestbed } from './flows';

const testbed = useTestbed();

interface Row {
	circuit: string;
	parties: number;
	andGates: number;
	ms: number;
	usPerAnd: number;
	bytesSent: number;
	bytesPerAnd: number;
	kernels: string;
	/** The figures as the page prints them. */
	shown: { ms: string; usPerAnd: string; bytesPerAnd: string };
}

async function readRow(row: Locator): Promise<Row> {
	const cell = (id: string) => row.getByTestId(id);
	const value = async (id: string) => Number(await cell(id).getAttribute('data-value'));
	return {
		circuit: (await row.getAttribute('data-circuit'))!,
		parties: Number(await row.getAttribute('data-parties')),
		andGates: Number(await cell('and-gates').innerText()),
		ms: await value('ms'),
		usPerAnd: await value('us-per-and'),
		bytesSent: await value('bytes-sent'),
		bytesPerAnd: await value('bytes-per-and'),
		kernels: (await cell('row-kernels').innerText()).trim(),
		shown: { ms: await cell('ms').innerText(), usPerAnd: await cell('us-per-and').innerText(), bytesPerAnd: await cell('bytes-per-and').innerText() }
	};
}

/** Runs the page's benchmark on `kernels` and reads its table. */
async function runBench(page: Page, kernels: string): Promise<Row[]> {
	await page.getByTestId('kernels').selectOption(kernels);
	await page.getByTestId('run-bench').click();
	await page.getByTestId('bench-status').filter({ hasText: 'Done.' }).or(page.getByTestId('bench-error')).first().waitFor({ timeout: 150_000 });
	expect(await page.getByTestId('bench-error').count()).toBe(0);
	return Promise.all((await page.getByTestId('bench-row').all()).map(readRow));
}

function checkConsistent(rows: Row[], kernels: string): void {
	expect(rows.map((r) => `${r.circuit} ${r.parties}`)).toEqual(['aes-128 2', 'aes-128 3', 'chain 2', 'chain 3']);
	for (const row of rows) {
		expect(row.kernels).toBe(kernels);
		expect(row.andGates).toBeGreaterThan(0);
		expect(row.ms).toBeGreaterThan(0);
		expect(row.bytesSent).toBeGreaterThan(0);
		// The per-AND figures are the run's totals divided by its AND gates, printed as rounded.
		expect(row.usPerAnd).toBeCloseTo((row.ms * 1000) / row.andGates, 9);
		expect(row.bytesPerAnd).toBeCloseTo(row.bytesSent / row.andGates, 9);
		expect(row.shown.ms).toBe(`${row.ms.toFixed(0)} ms`);
		expect(row.shown.usPerAnd).toBe(row.usPerAnd.toFixed(2));
		expect(row.shown.bytesPerAnd).toBe(row.bytesPerAnd.toFixed(0));
	}
	for (const circuit of ['aes-128', 'chain']) {
		const [two, three] = rows.filter((r) => r.circuit === circuit);
		// The same circuit for either party count; a third party adds pairs, so more traffic per gate.
		expect(three.andGates).toBe(two.andGates);
		expect(three.bytesPerAnd).toBeGreaterThan(two.bytesPerAnd);
	}
}

test('the footer leads to /bench, which runs AES-128 and a chain with 2 and 3 parties in the Worker on either kernels and shows consistent figures', async () => {
	const { relay, browser } = testbed;
	const page = await browser.newTab();
	await page.goto(relay.url);
	await page.getByTestId('bench-link').click();
	await page.waitForURL(`${relay.url}/bench`);
	// The machine it ran on, as this browser tells it.
	const machine = await page.evaluate(() => ({ userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency }));
	expect(await page.getByTestId('user-agent').innerText()).toBe(machine.userAgent);
	expect(await page.getByTestId('cores').innerText()).toBe(String(machine.cores));

	const simd = await runBench(page, 'wasm-simd');
	checkConsistent(simd, 'wasm-simd');
	const js = await runBench(page, 't-table');
	checkConsistent(js, 't-table');
	// Both kernel sets run the same circuits and send the same messages.
	expect(js.map((r) => [r.andGates, r.bytesSent])).toEqual(simd.map((r) => [r.andGates, r.bytesSent]));
	await page.close();
});
