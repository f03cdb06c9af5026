// A computation that takes seconds: the page stays responsive, and a party that vanishes
// half-way makes the others stop with a clear message once it has not rejoined within a minute.
import { expect, test } from 'vitest';
import { plaintextResult } from '../helpers';
import { createSession, join, resultOf, useTestbed } from './flows';

/**
 * A dot product of two private u32 vectors: tens of thousands of AND gates, seconds in a
 * browser even on an idle machine (16 elements took 1.46 s there, and the bar showed only 0,
 * 50 and 100 %).
 */
const LENGTH = 64;
const DOT = `pub fn main(a: [u32; ${LENGTH}], b: [u32; ${LENGTH}]) -> u32 {
    let mut sum = 0u32;
    for i in 0..${LENGTH} {
        sum = sum + a[i] * b[i];
    }
    sum
}
`;
const vector = () => `[${Array.from({ length: LENGTH }, () => Math.floor(Math.random() * 4000)).join(', ')}]`;

const testbed = useTestbed();

/** Parties 0 and 1 in two tabs, computing the dot product: party 1's tab has begun the computation (preprocessing). */
async function computingPair() {
	const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab()];
	const link = await createSession(tabs[0], testbed.relay.url, { preprocessing: 'ot', program: DOT });
	await join(tabs[0], link, 0, vector());
	await join(tabs[1], link, 1, vector());
	await tabs[1].locator('[data-testid="run-status"]:is([data-stage="preprocessing"], [data-stage="computing"])').waitFor();
	return tabs;
}

test('the page stays responsive and still while its Worker computes', async () => {
	const [watched, other] = [await testbed.browser.newTab(), await testbed.browser.newTab()];
	const link = await createSession(watched, testbed.relay.url, { preprocessing: 'ot', program: DOT });
	const inputs = [vector(), vector()];
	await watched.bringToFront();
	// A timer on the page's thread: if crypto ran there, the timer would stall for seconds, again
	// and again. Its two longest pauses are kept: on two cores shared with the other tab's Worker,
	// the relay and the rest of the test suite, the page's thread may wait for a core once.
	await watched.evaluate(() => {
		const record = { last: performance.now(), longestGaps: [0, 0], ticks: 0 };
		(window as unknown as { ticker: typeof record }).ticker = record;
		setInterval(() => {
			const now = performance.now();
			record.longestGaps = [...record.longestGaps, now - record.last].sort((a, b) => b - a).slice(0, 2);
			record.last = now;
			record.ticks++;
		}, 20);
	});
	await join(other, link, 1, inputs[1]);
	await watched.bringToFront();
	const started = Date.now();
	await join(watched, link, 0, inputs[0]);
	// Layout shifts from here on (the progress has replaced the form): there should be none.
	// And what the overall bar and the time left said, as they changed.
	await watched.evaluate(() => {
		const shifts: number[] = [];
		const seen = { overall: [] as number[], timeLeft: [] as string[], titles: [] as string[] };
		Object.assign(window, { shifts, seen });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) shifts.push(entry.value);
		}).observe({ type: 'layout-shift' });
		const look = () => {
			const overall = document.querySelector('[aria-labelledby="bar-overall"]')?.getAttribute('aria-valuenow');
			const timeLeft = document.querySelector('[data-testid="time-left"]')?.textContent?.trim();
			if (overall && Number(overall) !== seen.overall.at(-1)) seen.overall.push(Number(overall));
			if (timeLeft && timeLeft !== seen.timeLeft.at(-1)) seen.timeLeft.push(timeLeft);
			if (document.title !== seen.titles.at(-1)) seen.titles.push(document.title);
		};
		for (const root of [document.body, document.head]) new MutationObserver(look).observe(root, { subtree: true, attributes: true, childList: true, characterData: true });
	});
	expect(await resultOf(watched)).toBe(plaintextResult(DOT, inputs));
	const seconds = (Date.now() - started) / 1000;
	const ticker = await watched.evaluate(() => (window as unknown as { ticker: { longestGaps: number[]; ticks: number } }).ticker);
	expect(seconds, 'the computation should take long enough to tell').toBeGreaterThan(1.5);
	const [longest, next] = ticker.longestGaps;
	expect(longest, `longest pause of the page's timer in ${seconds} s`).toBeLessThan(500);
	expect(next, `second longest pause of the page's timer in ${seconds} s`).toBeLessThan(300);
	expect(ticker.ticks).toBeGreaterThan(seconds * 20);
	const shifts = await watched.evaluate(() => (window as unknown as { shifts: number[] }).shifts);
	expect(shifts.reduce((a, b) => a + b, 0), `layout shifts while computing: ${shifts.join(', ')}`).toBeLessThan(0.001);
	// The overall bar only moves forward, to 100 %; the time left is estimated, then told.
	const seen = await watched.evaluate(() => (window as unknown as { seen: { overall: number[]; timeLeft: string[]; titles: string[] } }).seen);
	expect(seen.overall.every((value, i) => i === 0 || value >= seen.overall[i - 1]), `overall: ${seen.overall.join(', ')}`).toBe(true);
	expect(seen.overall.at(-1)).toBe(100);
	expect(seen.overall.length, `overall: ${seen.overall.join(', ')}`).toBeGreaterThan(3);
	expect(seen.timeLeft[0]).toBe('Estimating the time left…');
	expect(seen.timeLeft.slice(1).every((text) => /^((a few seconds|about \d+ (s|min)) left|Finishing…)$/.test(text)), `time left: ${seen.timeLeft.join(' | ')}`).toBe(true);
	// The tab's title tells the same in the tab strip: the percentage only grows, then the result.
	const percents = seen.titles.map((title) => /^(\d+) % · /.exec(title)?.[1]).filter((p) => p !== undefined).map(Number);
	expect(percents.length, `titles: ${seen.titles.join(' | ')}`).toBeGreaterThan(2);
	expect(percents.every((value, i) => i === 0 || value >= percents[i - 1]), `titles: ${seen.titles.join(' | ')}`).toBe(true);
	expect(seen.titles.at(-1)).toMatch(/^Result · .* · Polytune Web$/);
	expect(await resultOf(other)).toBe(plaintextResult(DOT, inputs));
	await Promise.all([watched.close(), other.close()]);
});

test('a party whose tab closes during the computation makes the others wait a minute for it to rejoin, then stop with a clear message', async () => {
	const [staying, leaving] = await computingPair();
	// As soon as the computation runs (preprocessing has begun), party 1 goes away.
	await leaving.close({ runBeforeUnload: true });
	const waiting = staying.getByTestId('peer-left');
	await waiting.waitFor({ timeout: 30_000 });
	expect(await waiting.innerText()).toMatch(/Party 1 left mid-run\s+Waiting up to 60 s for it to rejoin/);
	// Stalled on the party that left, the run's pace tells nothing of the time left.
	expect(await staying.getByTestId('time-left').innerText()).toBe('');
	const error = staying.getByTestId('run-error');
	await error.waitFor({ timeout: 100_000 });
	expect(await error.innerText()).toMatch(/party 1 left the session while this party waited for it/);
	await staying.close();
});

test('a party that stops the run once it has begun asks first, then ends it for every party at once', async () => {
	const [other, stopping] = await computingPair();
	await stopping.getByTestId('leave').click();
	// The first click only asks: the run goes on until the user confirms.
	await stopping.getByTestId('confirm-stop').waitFor();
	expect(await stopping.getByTestId('run-error').count()).toBe(0);
	const stopped = Date.now();
	await stopping.getByTestId('confirm-stop').click();
	const own = stopping.getByTestId('run-error');
	await own.waitFor({ timeout: 20_000 });
	expect(await own.innerText()).toMatch(/Stopped[^]*its user stopped the run on its page/);
	// The other party is told at once, rather than waiting a minute for a party that left.
	const told = other.getByTestId('run-error');
	await told.waitFor({ timeout: 20_000 });
	expect(await told.innerText()).toMatch(/\nparty 1 cancelled the run: its user stopped the run on its page\n/);
	expect(Date.now() - stopped).toBeLessThan(20_000);
	expect(await other.getByTestId('result').count()).toBe(0);
	await Promise.all([stopping.close(), other.close()]);
});
