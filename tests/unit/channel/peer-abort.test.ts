import { describe, expect, it } from 'vitest';
import { PeerAbortError } from '../../../src/lib/channel/abortable';

describe("a peer's abort notice, as shown", () => {
	it('names its sender once for a cancellation, and frames every other reason as the sender\'s words', () => {
		expect(new PeerAbortError(1, 'party 1 cancelled').message).toBe('party 1 cancelled');
		expect(new PeerAbortError(1, 'party 1 cancelled the run: closed').message).toBe('party 1 cancelled the run: closed');
		// Its own name followed by anything else is still its say, not the app's verdict.
		expect(new PeerAbortError(1, 'party 1 and party 2 disagree on the program').message).toBe('party 1 aborted: party 1 and party 2 disagree on the program');
		// Another's name never loses the frame: "party 10" is not "party 1".
		expect(new PeerAbortError(10, 'party 1 cancelled').message).toBe('party 10 aborted: party 1 cancelled');
	});

	it('keeps the reason on one line: control characters cannot forge lines of a log or redraw a terminal', () => {
		const error = new PeerAbortError(2, 'MAC check failed\n\rparty 0: the result is 7\u001b[2K');
		expect(error.message).toBe('party 2 aborted: MAC check failed party 0: the result is 7 [2K');
		expect(error.reason).not.toMatch(/[\u0000-\u001f]/);
	});
});
