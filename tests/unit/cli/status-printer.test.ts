import { describe, expect, it } from 'vitest';
import type { PartyStatus } from '../../../src/lib/party';
import { statusPrinter } from '../../../src/cli/status-printer';

/** A stream that keeps what is written; a terminal (redrawn line) or a log (plain lines). */
function capture(isTTY: boolean) {
	const written: string[] = [];
	const stream = { isTTY, columns: 200, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
	return { stream, text: () => written.join('') };
}

const waiting = (missing: number[], ranBefore?: number[]): PartyStatus => ({ stage: 'waiting', missing, ...(ranBefore ? { ranBefore } : {}), bytesSent: 0, bytesReceived: 0 });

describe('the CLI status printer', () => {
	for (const isTTY of [false, true]) {
		it(`says once, on a line of its own, that the session has run already (${isTTY ? 'terminal' : 'log'})`, () => {
			const out = capture(isTTY);
			const printer = statusPrinter({ who: 'party 1', session: 's1', quiet: false, stream: out.stream });
			printer.update(waiting([0, 2], [0, 1, 2]));
			printer.update(waiting([2], [0, 1, 2]));
			printer.finish();
			const told = "party 1: session 's1' has run already: parties 0, 1 and 2 had their result and left; this run waits until every party has joined again\n";
			expect(out.text().split(told).length - 1).toBe(1);
			expect(out.text()).toContain('party 1: waiting for party 2 to join');
		});
	}

	it('says nothing of it for a session that has not run', () => {
		const out = capture(false);
		statusPrinter({ who: 'party 0', session: 's2', quiet: false, stream: out.stream }).update(waiting([1]));
		expect(out.text()).toBe('party 0: waiting for party 1 to join\n');
	});
});
