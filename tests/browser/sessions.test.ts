// Browser parties end to end: tabs of one Chromium (and a CLI party) against the built relay.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEALER_TRUST, NO_THIRD_PARTY } from '../../src/lib/party/trust';
import { joinedParties, plaintextResult, ROOT, runCli } from '../helpers';
import { createSession, join, resultOf, sessionOf, useTestbed } from './flows';

const SUM = readFileSync(`${ROOT}static/examples/sum.garble.rs`, 'utf8');

/** A random u32 literal small enough that three of them never overflow. */
const randomInput = () => String(Math.floor(Math.random() * 1_000_000_000));

const testbed = useTestbed();

/** A session where party 0 waits in one tab and party 1 has joined in another, and party 0's page shows it. */
async function partiesZeroAndOneWaiting(inputs: readonly string[]) {
	const first = await testbed.browser.newTab();
	const link = await createSession(first, testbed.relay.url, { preprocessing: 'ot' });
	const session = sessionOf(link);
	await join(first, link, 0, inputs[0]);
	const leaving = await testbed.browser.newTab();
	await join(leaving, link, 1, inputs[1]);
	await expect.poll(() => joinedParties(testbed.relay.url, session)).toEqual([0, 1]);
	await expect.poll(() => first.getByTestId('slot-1').innerText()).toBe('Joined');
	return { first, leaving, link, session };
}

describe('sessions in browser tabs', () => {
	test('three tabs compute the three-party sum with OT preprocessing', async () => {
		const home = await testbed.browser.newTab();
		await home.goto(testbed.relay.url);
		await home.getByText('The program checks.').waitFor();
		await testbed.browser.screenshot(home, 'home');
		const link = await createSession(home, testbed.relay.url, { preprocessing: 'ot' });
		const inputs = [randomInput(), randomInput(), randomInput()];
		const tabs = [home, await testbed.browser.newTab(), await testbed.browser.newTab()];

		await join(tabs[0], link, 0, inputs[0]);
		await tabs[0].getByText('Waiting for parties 1 and 2 to join').waitFor();
		await testbed.browser.screenshot(tabs[0], 'session-waiting');
		await join(tabs[1], link, 1, inputs[1]);
		await join(tabs[2], link, 2, inputs[2]);

		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await testbed.browser.screenshot(tabs[0], 'session-result');
		// The link opened after the run says so: a newcomer would otherwise wait for parties that have left.
		const late = await testbed.browser.newTab();
		await late.goto(link);
		const ran = late.getByTestId('already-ran');
		await ran.waitFor();
		expect(await ran.innerText()).toMatch(/This session has run already\s+Parties 0, 1 and 2 had their result and left\./);
		await Promise.all([...tabs, late].map((tab) => tab.close()));
	});

	test('three tabs and the granted dealer tab compute the sum with the trusted dealer', async () => {
		const creator = await testbed.browser.newTab();
		const link = await createSession(creator, testbed.relay.url, { preprocessing: 'dealer' });
		const dealerLink = await creator.getByTestId('dealer-link').inputValue();
		expect(link).not.toContain('dealer=');
		expect(dealerLink).toMatch(/\/dealer#key=[A-Za-z0-9_-]{43}&info=[A-Za-z0-9_-]{22}&dealer=[A-Za-z0-9_-]{43}$/);
		const dealer = await testbed.browser.newTab();
		await dealer.goto(dealerLink);
		const fingerprint = (await dealer.getByTestId('dealer-role').innerText()).match(/[0-9a-f]{4}( [0-9a-f]{4}){3}/)![0];
		await dealer.getByTestId('start-dealer').click();
		// Every state the dealer's page goes through, as its button, status, parties line and progress say it.
		await dealer.evaluate(() => {
			const states: string[][] = [];
			const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
			const look = () => {
				const state = ['start-dealer', 'dealer-status', 'dealer-parties'].map(text).concat(document.querySelector('[data-testid="run-status"] .waiting')?.textContent?.trim() ?? '');
				if (state.join('|') !== states.at(-1)?.join('|')) states.push(state);
			};
			new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
			Object.assign(window, { states });
		});
		const inputs = [randomInput(), randomInput(), randomInput()];
		const tabs = [creator, await testbed.browser.newTab(), await testbed.browser.newTab()];
		// Before joining, every party reads what it trusts, with the fingerprint the dealer page shows.
		await tabs[1].goto(link);
		expect(await tabs[1].getByTestId('trust').innerText()).toBe(`${DEALER_TRUST} Dealer key fingerprint ${fingerprint}.`);
		await testbed.browser.screenshot(tabs[1], 'session-dealer-trust');
		// Only the creator's tab has the dealer link; a party's does not.
		expect(await tabs[1].getByTestId('dealer-link').count()).toBe(0);
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));

		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await dealer.getByTestId('dealer-status').filter({ hasText: "Done: the parties have their preprocessing material, made for this program's circuit." }).waitFor();
		await testbed.browser.screenshot(dealer, 'dealer');
		// One state at a time: who has joined only while the dealer waits for them, "Finished." only once it is.
		const states = await dealer.evaluate(() => (window as unknown as { states: string[][] }).states);
		const shown = states.map((state) => state.join(' | ')).join('\n');
		for (const [button, status, parties, progress] of states) {
			expect(/^Parties joined/.test(parties), shown).toBe(status === 'Waiting for the parties…');
			expect(button === 'Dealt', shown).toBe(status === 'Dealt.');
			expect(progress === 'Finished.', shown).toBe(button === 'Dealer finished');
		}
		expect(states.some(([, status]) => status === 'Dealt.'), shown).toBe(true);
		await Promise.all([dealer, ...tabs].map((tab) => tab.close()));
	});

	test('personal links: each party joins as its link says, a tab and a CLI party alike; the shared link names no party', async () => {
		const creator = await testbed.browser.newTab();
		const shared = await createSession(creator, testbed.relay.url, { preprocessing: 'ot', personal: true });
		expect(await creator.getByTestId('party-link').count()).toBe(0);
		const links = await Promise.all([0, 1, 2].map((party) => creator.getByTestId(`party-link-${party}`).inputValue()));
		links.forEach((link, party) => expect(link).toMatch(new RegExp(`^${shared}&party=${party}&pass=[A-Za-z0-9_-]{43}$`)));
		await testbed.browser.screenshot(creator, 'session-personal-links');
		// Someone with the link everyone could have seen cannot take a slot.
		const visitor = await testbed.browser.newTab();
		await visitor.goto(shared);
		await visitor.getByTestId('personal-refused').filter({ hasText: 'This link names no party' }).waitFor();
		expect(await visitor.getByTestId('join').isDisabled()).toBe(true);
		// A link pins the info it was made with: one that pins other info does not open the session.
		const misled = await testbed.browser.newTab();
		await misled.goto(links[1].replace(/info=[^&]+/, `info=${'A'.repeat(22)}`));
		await misled.getByRole('alert').filter({ hasText: "This session's program or settings changed" }).waitFor();
		expect(await misled.getByTestId('join').count()).toBe(0);
		const inputs = [randomInput(), randomInput(), randomInput()];
		const tab1 = await testbed.browser.newTab();
		await tab1.goto(links[1]);
		// Its link's party is the only slot the tab offers.
		await tab1.locator('[data-testid="party"] option[value="1"]:not([disabled])').waitFor({ state: 'attached' });
		expect(await tab1.locator('[data-testid="party"] option:not([disabled])').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['1']);
		const cli = runCli(['party', links[2], `--program=${ROOT}static/examples/sum.garble.rs`, `--input=${inputs[2]}`], { timeoutMs: 120_000 });
		await join(creator, shared, 0, inputs[0]);
		await join(tab1, links[1], 1, inputs[1]);
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all([creator, tab1].map((tab) => resultOf(tab)))).toEqual([expected, expected]);
		const party2 = await cli;
		expect(party2.code, party2.stderr).toBe(0);
		expect(party2.stdout.trim().split('\n').at(-1)).toBe(`The result is ${expected}`);
		await Promise.all([creator, visitor, misled, tab1].map((tab) => tab.close()));
	});

	test('a CLI dealer (AES-NI through node:crypto) deals to three tabs (the T-table AES): the backends compute together', async () => {
		const creator = await testbed.browser.newTab();
		const link = await createSession(creator, testbed.relay.url, { preprocessing: 'dealer' });
		const dealerLink = await creator.getByTestId('dealer-link').inputValue();
		const dealer = runCli(['pre', dealerLink, '--parties=3'], { timeoutMs: 120_000 });
		await expect.poll(() => joinedParties(testbed.relay.url, sessionOf(link))).toContain(255);
		const inputs = [randomInput(), randomInput(), randomInput()];
		const tabs = [creator, await testbed.browser.newTab(), await testbed.browser.newTab()];
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		const dealt = await dealer;
		expect(dealt.code, dealt.stderr).toBe(0);
		expect(dealt.stderr).toMatch(/preprocessing dealt to 3 parties of session '[^']+', made for its program's circuit/);
		await Promise.all(tabs.map((tab) => tab.close()));
	});

	test('a party link with /dealer added cannot deal', async () => {
		const creator = await testbed.browser.newTab();
		const link = await createSession(creator, testbed.relay.url, { preprocessing: 'dealer' });
		const impostor = await testbed.browser.newTab();
		await impostor.goto(link.replace('#', '/dealer#'));
		const refusal = impostor.getByTestId('not-dealer');
		await refusal.waitFor();
		expect(await refusal.innerText()).toContain('This is not a dealer link');
		await testbed.browser.screenshot(impostor, 'dealer-refused');
		expect(await impostor.getByTestId('start-dealer').count()).toBe(0);
		// Nobody joined as the dealer.
		expect(await joinedParties(testbed.relay.url, sessionOf(link))).toEqual([]);
		await Promise.all([creator.close(), impostor.close()]);
	});

	test('two tabs and a CLI party share one session', async () => {
		const creator = await testbed.browser.newTab();
		const link = await createSession(creator, testbed.relay.url, { preprocessing: 'ot' });
		expect(await creator.getByTestId('trust').innerText()).toBe(NO_THIRD_PARTY);
		const inputs = [randomInput(), randomInput(), randomInput()];
		const cli = runCli(['party', link, '--program=static/examples/sum.garble.rs', '--party=2', `--input=${inputs[2]}`], { timeoutMs: 120_000 });
		const tabs = [creator, await testbed.browser.newTab()];
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));

		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all(tabs.map((tab) => resultOf(tab)))).toEqual([expected, expected]);
		const finished = await cli;
		expect(finished.code, finished.stderr).toBe(0);
		expect(finished.stdout.trim().split('\n').at(-1)).toBe(`The result is ${expected}`);
		await Promise.all(tabs.map((tab) => tab.close()));
	});

	test('a bad input literal is refused in the page, naming the expected type', async () => {
		const tab = await testbed.browser.newTab({ width: 390, height: 844 });
		const link = await createSession(tab, testbed.relay.url, { preprocessing: 'ot' });
		// Each literal's own complaint, so that a message left over from the one before cannot pass.
		const bad: [string, RegExp][] = [
			['twelve', /not of type u32.*Invalid literal/s],
			['-5', /not of type u32.*found unspecified signed int/s],
			['1u8', /not of type u32.*found u8/s]
		];
		for (const [literal, complaint] of bad) {
			await tab.getByTestId('input').fill(literal);
			await tab.getByTestId('join').click();
			await expect.poll(() => tab.getByTestId('input-message').innerText().catch(() => '')).toMatch(complaint);
			expect(await tab.getByTestId('input').getAttribute('aria-invalid')).toBe('true');
		}
		await testbed.browser.screenshot(tab, 'session-bad-input-phone');
		// Nothing reached the relay: the party never joined.
		expect(await joinedParties(testbed.relay.url, sessionOf(link))).toEqual([]);
		expect(await tab.getByText('You are party').count()).toBe(0);
		await tab.close();
	});

	test('a slot taken while a tab fills it in stays chosen: the tab says so, and joins only where the user then chooses', async () => {
		const first = await testbed.browser.newTab();
		const link = await createSession(first, testbed.relay.url, { preprocessing: 'ot' });
		const session = sessionOf(link);
		const inputs = [randomInput(), randomInput(), randomInput()];
		const slow = await testbed.browser.newTab();
		await slow.goto(link);
		await slow.getByTestId('party').locator('option[value="1"]:not([disabled])').waitFor({ state: 'attached' });
		await slow.getByTestId('party').selectOption('1');
		await slow.getByTestId('input').fill(inputs[2]);
		// Someone else takes party 1 first: the slow tab's input was meant for party 1's parameter, so it must not move on by itself.
		const quick = await testbed.browser.newTab();
		await join(quick, link, 1, inputs[1]);
		await slow.getByTestId('slot-lost').waitFor();
		expect(await slow.getByTestId('party').inputValue()).toBe('1');
		expect(await slow.getByTestId('join').isDisabled()).toBe(true);
		await testbed.browser.screenshot(slow, 'session-slot-lost');
		await join(slow, link, 2, inputs[2]);
		await join(first, link, 0, inputs[0]);
		await expect.poll(() => joinedParties(testbed.relay.url, session)).toEqual([0, 1, 2]);
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all([first, quick, slow].map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await Promise.all([first, quick, slow].map((tab) => tab.close()));
	});

	test('a tab that loses the race for a slot gets its form back, input kept, and joins where the user then chooses', async () => {
		const first = await testbed.browser.newTab();
		const link = await createSession(first, testbed.relay.url, { preprocessing: 'ot' });
		const inputs = [randomInput(), randomInput(), randomInput()];
		const late = await testbed.browser.newTab();
		await late.goto(link);
		await late.getByTestId('party').locator('option[value="1"]:not([disabled])').waitFor({ state: 'attached' });
		// This tab's page does not see anyone join (its looks at the participants answer "nobody"), so it offers party 1 still.
		await late.route(/\/participants\//, (route) => (new URL(route.request().url()).searchParams.has('wait') ? route.continue() : route.fulfill({ json: [] })));
		await late.getByTestId('party').selectOption('1');
		await late.getByTestId('input').fill(inputs[2]);
		const quick = await testbed.browser.newTab();
		await join(quick, link, 1, inputs[1]);
		await expect.poll(() => joinedParties(testbed.relay.url, sessionOf(link))).toEqual([1]);

		await late.getByTestId('join').click();
		const notice = late.getByTestId('slot-race');
		await notice.waitFor();
		expect(await notice.innerText()).toContain('Another participant has this slot');
		expect(await late.getByTestId('input').inputValue()).toBe(inputs[2]);
		await late.unrouteAll();
		await join(late, link, 2, inputs[2]);
		await join(first, link, 0, inputs[0]);
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all([first, quick, late].map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await Promise.all([first, quick, late].map((tab) => tab.close()));
	});

	test('a tab closed in the waiting room frees its slot, and someone else can take it', async () => {
		const inputs = [randomInput(), randomInput(), randomInput()];
		const { first, leaving, link, session } = await partiesZeroAndOneWaiting([inputs[0], '7']);

		await leaving.close({ runBeforeUnload: true });
		await expect.poll(() => joinedParties(testbed.relay.url, session)).toEqual([0]);
		await first.getByText('Party 1 left').waitFor();
		expect(await first.getByTestId('slot-1').innerText()).toBe('Free');

		const [second, third] = [await testbed.browser.newTab(), await testbed.browser.newTab()];
		await join(second, link, 1, inputs[1]);
		await join(third, link, 2, inputs[2]);
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all([first, second, third].map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await Promise.all([first, second, third].map((tab) => tab.close()));
	});

	test('a tab that leaves while it waits gets its form back, input kept: its slot is free, and it can join again', async () => {
		const inputs = [randomInput(), randomInput(), randomInput()];
		const { first, leaving, link, session } = await partiesZeroAndOneWaiting(inputs);

		await leaving.getByTestId('leave').click();
		await leaving.getByTestId('left-run').waitFor();
		expect(await leaving.getByTestId('input').inputValue()).toBe(inputs[1]);
		// Its own slot, free again, is not "just taken by someone else".
		expect(await leaving.getByTestId('slot-lost').count()).toBe(0);
		expect(await leaving.getByTestId('join').isEnabled()).toBe(true);
		await expect.poll(() => joinedParties(testbed.relay.url, session)).toEqual([0]);
		await first.getByText('Party 1 left').waitFor();
		expect(await first.getByTestId('slot-1').innerText()).toBe('Free');
		// Still waiting, not failed: the run had not begun.
		expect(await first.getByTestId('run-error').count()).toBe(0);

		await leaving.getByTestId('join').click();
		await leaving.getByText('You are party 1').waitFor();
		const third = await testbed.browser.newTab();
		await join(third, link, 2, inputs[2]);
		const expected = plaintextResult(SUM, inputs);
		expect(await Promise.all([first, leaving, third].map((tab) => resultOf(tab)))).toEqual([expected, expected, expected]);
		await Promise.all([first, leaving, third].map((tab) => tab.close()));
	});

	test('a tab that goes to another page of the app while it waits frees its slot, as one closed does', async () => {
		const { first, leaving, session } = await partiesZeroAndOneWaiting([randomInput(), '7']);

		await leaving.getByRole('link', { name: 'Polytune Web' }).click();
		await leaving.waitForURL((url) => url.pathname === '/');
		await expect.poll(() => joinedParties(testbed.relay.url, session)).toEqual([0]);
		await first.getByText('Party 1 left').waitFor();
		expect(await first.getByTestId('slot-1').innerText()).toBe('Free');
		await Promise.all([first, leaving].map((tab) => tab.close()));
	});
});
