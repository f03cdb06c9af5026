import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkInput, compiled, reportProgram } from '../../../src/workers/program';

const example = (file: string) => readFileSync(new URL(`../../../static/examples/${file}`, import.meta.url), 'utf8');

describe('program reports for the editor', () => {
	it('lists the parties with their types and counts the AND gates', () => {
		const report = reportProgram(example('sum.garble.rs'));
		expect(report.errors).toEqual([]);
		expect(report.parties).toEqual([
			{ name: 'x', type: 'u32' },
			{ name: 'y', type: 'u32' },
			{ name: 'z', type: 'u32' }
		]);
		expect(report.circuit?.inputBits).toEqual([32, 32, 32]);
		expect(report.circuit?.andGates).toBeGreaterThan(0);
	});

	it('keeps one compiled program, found again with the same constants in any order', () => {
		const source = example('common_customers.garble.rs');
		const first = compiled(source, { PARTY_0: { ROWS: 3 }, PARTY_1: { ROWS: 2 } });
		expect(compiled(source, { PARTY_1: { ROWS: '2' }, PARTY_0: { ROWS: 3n } })).toBe(first);
		const other = compiled(source, { PARTY_0: { ROWS: 3 }, PARTY_1: { ROWS: 4 } });
		expect(other).not.toBe(first);
		expect(compiled(source, { PARTY_0: { ROWS: 3 }, PARTY_1: { ROWS: 2 } })).not.toBe(first);
	});

	it('places errors at their line and still shows the signature', () => {
		const report = reportProgram('pub fn main(a: u8, b: u8) -> u8 {\n    a + c\n}\n');
		expect(report.errors.length).toBeGreaterThan(0);
		expect(report.errors[0]).toMatchObject({ line: 2 });
		expect(report.parties.map((p) => p.name)).toEqual(['a', 'b']);
		expect(report.circuit).toBeUndefined();
	});

	it('needs party constants before it can count gates, and counts them once given', () => {
		const source = example('common_customers.garble.rs');
		const without = reportProgram(source);
		expect(without.errors).toEqual([]);
		expect(without.partyConsts.map((c) => `${c.party}:${c.name}`)).toEqual(['0:ROWS', '1:ROWS']);
		expect(without.circuit).toBeUndefined();
		const withConsts = reportProgram(source, { PARTY_0: { ROWS: 3 }, PARTY_1: { ROWS: 4 } });
		expect(withConsts.circuit?.andGates).toBeGreaterThan(0);
		expect(withConsts.parties[0].type).toBe('[([u8; 8], u32); 3]');
	});

	it('has one party per element of a single array parameter', () => {
		expect(reportProgram(example('fair_pay.garble.rs')).parties).toEqual([
			{ name: 'salaries[0]', type: 'u32' },
			{ name: 'salaries[1]', type: 'u32' },
			{ name: 'salaries[2]', type: 'u32' }
		]);
	});
});

describe('input checks', () => {
	const sum = example('sum.garble.rs');

	it('accepts a literal of the parameter type', () => {
		expect(checkInput(sum, {}, 1, '42')).toEqual({ ok: true, bits: 32 });
		expect(checkInput(sum, {}, 1, '42u32')).toEqual({ ok: true, bits: 32 });
	});

	it('refuses anything else, naming the expected type', () => {
		for (const bad of ['', 'forty', '-1', '42u8', '4294967296']) {
			const report = checkInput(sum, {}, 2, bad);
			expect(report.ok).toBe(false);
			if (!report.ok) {
				expect(report.expectedType).toBe('u32');
				expect(report.message).toContain('u32');
			}
		}
	});

	it("checks a party's input with its own constants before the others have given theirs", () => {
		const source = example('common_customers.garble.rs');
		const rows = '[([0, 0, 0, 0, 0, 0, 0, 1], 10), ([0, 0, 0, 0, 0, 0, 0, 2], 20)]';
		expect(checkInput(source, { PARTY_0: { ROWS: 2 } }, 0, rows).ok).toBe(true);
		expect(checkInput(source, { PARTY_0: { ROWS: 3 } }, 0, rows)).toMatchObject({ ok: false, expectedType: '[([u8; 8], u32); 3]' });
	});
});
