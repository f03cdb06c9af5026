// Splits program text into plain and marked pieces for the editor's error underlay.
import type { GarbleError } from '$lib/garble';

export interface Piece {
	text: string;
	marked: boolean;
}

/** Offsets where each line starts (line 1 at index 0). */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
	return starts;
}

/** The text offset of a 1-based line and column, clamped into the text. */
export function offsetOf(text: string, line: number, column: number): number {
	const starts = lineStarts(text);
	const start = starts[Math.min(Math.max(line, 1), starts.length) - 1];
	const end = line < starts.length ? starts[line] - 1 : text.length;
	return Math.min(start + Math.max(column - 1, 0), end);
}

/** The pieces of `text`, with the places errors point at marked (at least one character each). */
export function markErrors(text: string, errors: readonly GarbleError[]): Piece[] {
	const ranges = errors
		.filter((e) => e.line > 0)
		.map((e) => {
			const from = offsetOf(text, e.line, e.column);
			const to = Math.max(offsetOf(text, e.endLine, e.endColumn), from + 1);
			return [from, Math.min(to, Math.max(text.length, from + 1))] as const;
		})
		.sort((a, b) => a[0] - b[0]);
	const pieces: Piece[] = [];
	let at = 0;
	for (const [from, to] of ranges) {
		if (to <= at) continue;
		if (from > at) pieces.push({ text: text.slice(at, from), marked: false });
		// A mark past the end (an error at the end of the text) shows as one marked space.
		const marked = text.slice(Math.max(from, at), to).padEnd(to - Math.max(from, at), ' ');
		const last = pieces.at(-1);
		if (from <= at && last?.marked) last.text += marked;
		else pieces.push({ text: marked, marked: true });
		at = to;
	}
	if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
	return pieces;
}
