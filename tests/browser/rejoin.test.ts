// Issue 15, "Reload": a tab reloaded mid-run offers to rejoin its slot; the run starts again for
// every party with fresh randomness, and every page says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { plaintextResult, startCli } from '../helpers';
import { createSession, join, resultOf, useTestbed } from './flows';

/** A dot product of two private u32 vectors per party pair: tens of thousands of AND gates, so that preprocessing takes a while. */
const LENGTH = 8;
const DOT = `pub fn main(a: [u32; ${LENGTH}], b: [u32; ${LENGTH}], c: [u32; ${LENGTH}]) -> u32 {
    let mut sum = 0u32;
    for i in 0..${LENGTH} {
        sum = sum + a[i] * b[i] + c[i];
    }
    sum
}
`;
const vector = () => `[${Array.from({ length: LENGTH }, () => Math.floor(Math.random() * 4000)).join(', ')}]`;

const testbed = useTestbed();

/** What the tab keeps in its sessionStorage for rejoining. */
const kept = (tab: Page) => tab.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('polytune-rejoin:')));

/**
 * Resolves once `tab`'s rejoin entry holds all `parties` identities: its run's first hellos are
 * all in. Polled on a timer: a tab behind others gets no animation frames to poll on.
 */
async function knowsEveryone(tab: Page, parties: number): Promise<void> {
	await tab.waitForFunction(
		(count) => Object.entries(sessionStorage).some(([key, value]) => key.startsWith('polytune-rejoin:') && JSON.parse(value).identity?.known?.length === count),
		parties,
		{ timeout: 60_000, polling: 50 }
	);
}

/**
 * Reloads `tab` once its run reaches a stage `stages` names and it and the tabs `others` know
 * every party's identity (before, it could not rejoin, and a party that has not had every first
 * hello refuses to start again: docs/security.md, "Who rejoins is checked"), clicks "Rejoin as
 * party N", and waits for the run to go on.
 */
async function reloadAndRejoin(tab: Page, party: number, stages: string[], others: Page[]): Promise<void> {
	await tab.locator(stages.map((stage) => `[data-testid="run-status"][data-stage="${stage}"]`).join(', ')).first().waitFor({ timeout: 60_000 });
	await Promise.all([tab, ...others].map((each) => knowsEveryone(each, 3)));
	expect(await kept(tab)).toHaveLength(1);
	await tab.reload();
	const offer = tab.getByTestId('rejoin-offer');
	await offer.waitFor();
	expect(await offer.innerText()).toMatch(new RegExp(`Rejoin as party ${party}\\?[\\s\\S]*This tab left the run \\(it was reloaded`));
	await tab.getByTestId('rejoin').click();
	await tab.getByText(`You are party ${party}`).waitFor();
}

/**
 * Holds back what `tab` sends from `hold()` on until `release()`: with OT the online phase goes along
 * with preprocessing, so a run may reach its output phase (after which a reloaded tab may no
 * longer rejoin) while a test is about to reload a tab; held back, it cannot.
 */
async function sendsHeldBack(tab: Page): Promise<{ hold: () => void; release: () => void }> {
	let holding = false;
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await tab.route('**/exchange/**', async (route) => {
		if (holding && (route.request().postDataBuffer()?.length ?? 0) > 0) await released;
		await route.continue();
	});
	return {
		hold: () => (holding = true),
		release: () => {
			holding = false;
			release();
		}
	};
}

/** Every page says the run started again because party 2 rejoined; sessionStorage holds nothing once the run is over. */
async function expectRestartTold(tabs: Page[]): Promise<void> {
	for (const [party, tab] of tabs.entries()) {
		const notice = tab.getByTestId('restarted');
		expect(await notice.innerText(), `party ${party}'s page`).toMatch(party === 2 ? /This tab was reloaded during the run and rejoined as party 2/ : /Party 2 rejoined after its page was reloaded mid-run/);
		expect(await kept(tab), `party ${party}'s sessionStorage`).toEqual([]);
	}
}

describe('a tab reloaded mid-run', () => {
	test('rejoins, and three tabs with OT end with the right result, each saying why the run started again', async () => {
		const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab(), await testbed.browser.newTab()];
		const link = await createSession(tabs[0], testbed.relay.url, { preprocessing: 'ot', program: DOT });
		const inputs = [vector(), vector(), vector()];
		const party0 = await sendsHeldBack(tabs[0]);
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));
		await Promise.all(tabs.map((tab) => knowsEveryone(tab, 3)));
		party0.hold();
		await reloadAndRejoin(tabs[2], 2, ['preprocessing', 'computing'], tabs.slice(0, 2));
		await Promise.all(tabs.slice(0, 2).map((tab) => tab.getByTestId('restarted').waitFor({ timeout: 60_000 })));
		party0.release();
		const expected = plaintextResult(DOT, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await expectRestartTold(tabs);
		await testbed.browser.screenshot(tabs[0], 'session-restarted');
		await Promise.all(tabs.map((tab) => tab.close()));
	});

	test('with a CLI party, which prints why the run started again', async () => {
		const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab()];
		const link = await createSession(tabs[0], testbed.relay.url, { preprocessing: 'ot', program: DOT });
		const inputs = [vector(), vector(), vector()];
		const dir = mkdtempSync(joinPath(tmpdir(), 'polytune-rejoin-'));
		const program = joinPath(dir, 'dot.garble.rs');
		writeFileSync(program, DOT);
		const cli = startCli(['party', link, `--program=${program}`, '--party=0', `--input=${inputs[0]}`]);
		try {
			const party1 = await sendsHeldBack(tabs[0]);
			await Promise.all(tabs.map((tab, i) => join(tab, link, i + 1, inputs[i + 1])));
			await Promise.all(tabs.map((tab) => knowsEveryone(tab, 3)));
			party1.hold();
			await reloadAndRejoin(tabs[1], 2, ['preprocessing', 'computing'], tabs.slice(0, 1));
			await tabs[0].getByTestId('restarted').waitFor({ timeout: 60_000 });
			party1.release();
			const expected = plaintextResult(DOT, inputs);
			expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected]);
			const { code } = await cli.exited;
			expect(code, cli.output()).toBe(0);
			expect(cli.stdout().trim().split('\n').at(-1)).toBe(`The result is ${expected}`);
			expect(cli.stderr()).toMatch(/party 0: the run starts again \(attempt 2\): party 2 rejoined after its page was reloaded mid-run; fresh randomness, your input is unchanged/);
			expect(await tabs[0].getByTestId('restarted').innerText()).toMatch(/Party 2 rejoined after its page was reloaded mid-run/);
			for (const tab of tabs) expect(await kept(tab)).toEqual([]);
		} finally {
			await cli.stop();
			rmSync(dir, { recursive: true, force: true });
			await Promise.all(tabs.map((tab) => tab.close()));
		}
	});

	test('with the dealer page, which deals again and says why', async () => {
		const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab(), await testbed.browser.newTab()];
		const link = await createSession(tabs[0], testbed.relay.url, { preprocessing: 'dealer', program: DOT });
		const dealerLink = await tabs[0].getByTestId('dealer-link').inputValue();
		const dealer = await testbed.browser.newTab();
		// The dealer's answers to the parties' calls are held back until party 2 has reloaded: with the dealer, the
		// parties begin the output phase as soon as their material is in, after which a run may not start again.
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let holding = true;
		await dealer.route('**/exchange/**', async (route) => {
			if (holding && (route.request().postDataBuffer()?.length ?? 0) > 0) await released;
			await route.continue();
		});
		await dealer.goto(dealerLink);
		await dealer.getByTestId('start-dealer').click();
		const inputs = [vector(), vector(), vector()];
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));
		await reloadAndRejoin(tabs[2], 2, ['handshake'], tabs.slice(0, 2));
		// Released once the others have started again too: the first attempt's material must find them gone.
		await Promise.all(tabs.slice(0, 2).map((tab) => tab.getByTestId('restarted').waitFor({ timeout: 60_000 })));
		holding = false;
		release();
		const expected = plaintextResult(DOT, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await expectRestartTold(tabs);
		// The reloaded tab said so where everyone looks (attempts.ts, restartCauseSession): the dealer names it too.
		expect(await dealer.getByTestId('restarted').innerText()).toMatch(/Party 2 rejoined after its page was reloaded mid-run: the dealer deals again/);
		await dealer.getByTestId('dealer-status').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
		await Promise.all([dealer, ...tabs].map((tab) => tab.close()));
	});

	test('after it began revealing the output, refuses to rejoin and forgets the input', async () => {
		const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab(), await testbed.browser.newTab()];
		const link = await createSession(tabs[0], testbed.relay.url, { preprocessing: 'ot', program: DOT });
		// Party 2's tab reloads the moment its page records that it begins revealing the output (which the
		// Worker awaits before the output phase's first message leaves), before its run can end.
		await tabs[2].addInitScript(() => {
			const setItem = Storage.prototype.setItem;
			Storage.prototype.setItem = function (key: string, value: string) {
				setItem.call(this, key, value);
				if (key.startsWith('polytune-rejoin:') && JSON.parse(value).revealing) location.reload();
			};
		});
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, vector())));
		const refusal = tabs[2].getByTestId('rejoin-refused');
		await refusal.waitFor({ timeout: 90_000 });
		expect(await refusal.innerText()).toMatch(/reloaded while it took part as party 2, but it had begun revealing the output/);
		expect(await tabs[2].getByTestId('rejoin-offer').count()).toBe(0);
		expect(await kept(tabs[2])).toEqual([]);
		await Promise.all(tabs.map((tab) => tab.close()));
	});
});
