// What a person does in the web app, as steps for the browser tests.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startRelay, type StartedRelay } from '../helpers';

export interface BrowserTestbed {
	relay: StartedRelay;
	browser: TestBrowser;
}

/**
 * One relay and one Chromium for the tests of a file (set once `beforeAll` has run); every
 * test fails if a page logged a console error or threw.
 */
export function useTestbed(): BrowserTestbed {
	const testbed = {} as BrowserTestbed;
	beforeAll(async () => {
		testbed.relay = await startRelay();
		testbed.browser = await launchBrowser();
	});
	afterEach(() => {
		expect(testbed.browser.problems(), 'console errors or page errors').toEqual([]);
	});
	afterAll(async () => {
		await testbed.browser?.close();
		await testbed.relay?.stop();
	});
	return testbed;
}

export interface SessionOptions {
	/** A program to paste in place of the first example. */
	program?: string;
	preprocessing: 'ot' | 'dealer';
	/** A personal link for each party (the creator's tab then shows them all). */
	personal?: boolean;
}

/** Creates a session on the home page and returns its link (with the key). */
export async function createSession(page: Page, relayUrl: string, options: SessionOptions): Promise<string> {
	await page.goto(relayUrl);
	const editor = page.getByTestId('program');
	if (options.program !== undefined) await editor.fill(options.program);
	await page.getByText('The program checks.').waitFor();
	await page.getByTestId('preprocessing').selectOption(options.preprocessing);
	if (options.personal) await page.getByTestId('personal').check();
	await page.getByTestId('create').click();
	await page.waitForURL(/\/s\/[A-Za-z0-9_-]+#key=/);
	await page.getByTestId('input').waitFor();
	return page.url();
}

/** Opens the link, picks the slot, types the input and joins. */
export async function join(page: Page, link: string, party: number, input: string): Promise<void> {
	if (page.url() !== link) await page.goto(link);
	const slot = page.getByTestId('party');
	await slot.locator(`option[value="${party}"]:not([disabled])`).waitFor({ state: 'attached' });
	await slot.selectOption(String(party));
	await page.getByTestId('input').fill(input);
	await page.getByTestId('join').click();
	await page.getByText(`You are party ${party}`).waitFor();
}

/** The decoded result the page shows, once it shows one (or the page's error, thrown). */
export async function resultOf(page: Page, timeout = 120_000): Promise<string> {
	const result = page.getByTestId('result');
	const error = page.getByTestId('run-error');
	await result.or(error).first().waitFor({ timeout });
	if (await error.isVisible()) throw new Error(`the page shows an error: ${await error.innerText()}`);
	// With the result shown, every step of the run reads as complete.
	const status = page.getByTestId('run-status');
	expect(await status.getAttribute('data-stage')).toBe('done');
	expect(await status.locator('li:not(.complete)').count()).toBe(0);
	return (await result.innerText()).trim();
}

/** The session name in a session link. */
export function sessionOf(link: string): string {
	return new URL(link).pathname.split('/')[2];
}
