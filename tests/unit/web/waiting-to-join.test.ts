import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { waitingToJoin } from '../../../src/ui/format';

describe('what a party waiting for the others to join reads', () => {
	it('names the missing parties and asks to send them the link', () => {
		expect(waitingToJoin([2])).toBe("Waiting for party 2 to join. Send this session's link to that party.");
		expect(waitingToJoin([1, 2])).toBe("Waiting for parties 1 and 2 to join. Send this session's link to those parties.");
	});

	it('names the dealer without its number, and says who holds its link', () => {
		const dealer = waitingToJoin([DEALER_PARTY]);
		expect(dealer).toBe('Waiting for the dealer to join. The dealer runs from the dealer link, which whoever created the session has: ask them to open it.');
		const both = waitingToJoin([1, DEALER_PARTY]);
		expect(both).toMatch(/^Waiting for party 1 and the dealer to join\. Send this session's link to that party\. The dealer runs from the dealer link/);
		expect(both).not.toContain(String(DEALER_PARTY));
	});
});
