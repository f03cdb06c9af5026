import { describe, expect, it } from 'vitest';
import type { GarbleError } from '../../../src/lib/garble';
import { markErrors, offsetOf } from '../../../src/ui/marks';

const at = (line: number, column: number, endLine: number, endColumn: number): GarbleError => ({ message: 'm', line, column, endLine, endColumn, kind: 'type' });

describe('error marks in the editor', () => {
	const text = 'let a = 1;\nlet b = c;\n';

	it('finds offsets of lines and columns, clamped to the line', () => {
		expect(offsetOf(text, 1, 1)).toBe(0);
		expect(offsetOf(text, 2, 9)).toBe(19);
		expect(offsetOf(text, 2, 99)).toBe(21);
		expect(offsetOf(text, 9, 1)).toBe(text.length);
	});

	it('marks what errors point at and keeps the text whole', () => {
		const pieces = markErrors(text, [at(2, 9, 2, 10)]);
		expect(pieces.map((p) => p.text).join('')).toBe(text);
		expect(pieces.filter((p) => p.marked).map((p) => p.text)).toEqual(['c']);
	});

	it('merges overlapping marks, marks empty places with one character, ignores placeless errors', () => {
		const pieces = markErrors(text, [at(1, 5, 1, 10), at(1, 1, 1, 6), at(2, 5, 2, 5), at(0, 0, 0, 0)]);
		expect(pieces.filter((p) => p.marked).map((p) => p.text)).toEqual(['let a = 1', 'b']);
		expect(pieces.map((p) => p.text).join('')).toBe(text);
	});

	it('shows an error at the very end as one marked space', () => {
		const pieces = markErrors('fn', [at(1, 3, 1, 3)]);
		expect(pieces).toEqual([
			{ text: 'fn', marked: false },
			{ text: ' ', marked: true }
		]);
	});
});
