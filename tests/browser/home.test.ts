// The home page's editor: checked in the Worker as you type, errors at their line, the parties.
import { expect, test } from 'vitest';
import { MAX_NESTING } from '../../src/lib/garble/parse';
import { useTestbed } from './flows';

const testbed = useTestbed();

test('the editor marks errors at their line, lists the parties and counts AND gates', async () => {
	const page = await testbed.browser.newTab();
	await page.goto(testbed.relay.url);
	// The page is ready (its example checked) before the program is replaced: a fill that raced
	// the page's start was once checked as another text (an error on line 6 of three lines).
	await page.getByText('The program checks.').waitFor();
	const editor = page.getByTestId('program');
	await editor.fill('pub fn main(a: u8, b: i16) -> u8 {\n    a + c\n}\n');
	const errors = page.locator('.errors li');
	await errors.first().waitFor();
	expect(await errors.first().innerText()).toMatch(/^Line 2, column \d+/);
	expect(await page.locator('.line-number.error').allInnerTexts()).toEqual(['2']);
	expect(await page.getByTestId('create').isDisabled()).toBe(true);
	// The signature is known even while the body has errors: one party per parameter.
	expect(await page.locator('table code.param').allInnerTexts()).toEqual(['a: u8', 'b: i16']);
	await testbed.browser.screenshot(page, 'home-errors');

	await editor.fill('pub fn main(a: u8, b: u8) -> bool {\n    a < b\n}\n');
	await page.getByText('The program checks.').waitFor();
	expect(await page.locator('.line-number.error').count()).toBe(0);
	expect(await page.locator('.check-line').innerText()).toMatch(/\d+ AND gates/);
	expect(await page.getByTestId('create').isEnabled()).toBe(true);
	await page.close();
});

test('says "The program checks." only for the text and party count it checked, and creates nothing before', async () => {
	const page = await testbed.browser.newTab();
	await page.goto(testbed.relay.url);
	await page.getByText('The program checks.').waitFor();
	const editor = page.getByTestId('program');
	const line = page.locator('.check-line');
	const andGates = async () => Number((await line.innerText()).match(/([\d,]+) AND gates/)![1].replace(/,/g, ''));
	const before = await andGates();
	// A different program: the line never shows the example's figures for it, and Create waits for its check.
	await editor.fill('pub fn main(a: u32, b: u32) -> u32 {\n    a * b\n}\n');
	expect(await line.innerText()).not.toMatch(/The program checks/);
	expect(await page.getByTestId('create').isDisabled()).toBe(true);
	await page.getByText('The program checks.').waitFor();
	expect(await andGates()).not.toBe(before);
	expect(await page.locator('table code.param').allInnerTexts()).toEqual(['a: u32', 'b: u32']);
	// The party count of a program that uses PARTIES::TOTAL is part of what is checked.
	await editor.fill('const N: usize = PARTIES::TOTAL;\n\npub fn main(a: [u8; N]) -> u8 {\n    let mut sum = 0u8;\n    for x in a {\n        sum = sum + x;\n    }\n    sum\n}\n');
	await page.getByText('The program checks.').waitFor();
	const rows = page.locator('table code.param');
	expect(await rows.count()).toBe(3);
	await page.locator('#party-count').fill('5');
	await expect.poll(() => rows.count()).toBe(5);
	expect(await line.innerText()).toMatch(/The program checks/);
	await page.close();
});

test("the editor's Worker compiles programs nested up to the bound, and says where one is too deep or too large", async () => {
	const page = await testbed.browser.newTab();
	await page.goto(testbed.relay.url);
	const editor = page.getByTestId('program');
	const errors = page.locator('.errors li');
	const levels = MAX_NESTING - 3;
	const nested = (brackets: number) =>
		`pub fn main(a: u8, b: u8) -> u8 {\n    let x = ${Array(levels).fill('a').join(' ^ ')};\n    let y = ${'{ '.repeat(levels)}b${' }'.repeat(levels)};\n    ${'('.repeat(brackets)}x${')'.repeat(brackets)} ^ y\n}\n`;
	// Up to the bound, every stage of the compiler fits in the Worker's stack (smaller than Node's).
	await editor.fill(nested(levels));
	await page.getByText('The program checks.').waitFor();
	await editor.fill(nested(100_000));
	await errors.first().waitFor();
	expect(await errors.first().innerText()).toMatch(new RegExp(`^Line 4, column \\d+.*Nested more than ${MAX_NESTING} levels deep`, 's'));
	// One party per element of a single array parameter: a clear error, not a Worker out of memory.
	await editor.fill('pub fn main(a: [u64; 100000000]) -> u64 {\n    a[0]\n}\n');
	await errors.filter({ hasText: 'makes one party per element' }).waitFor();
	expect(await errors.first().innerText()).toMatch(/^Line 1, column 12/);
	await page.close();
});
