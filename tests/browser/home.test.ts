// The home page's editor: checked in the Worker as you type, errors at their line, the parties.
import { expect, test } from 'vitest';
import { useTestbed } from './flows';

const testbed = useTestbed();

test('the editor marks errors at their line, lists the parties and counts AND gates', async () => {
	const page = await testbed.browser.newTab();
	await page.goto(testbed.relay.url);
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
