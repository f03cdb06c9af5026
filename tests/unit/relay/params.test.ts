import { describe, expect, it } from 'vitest';
import { RelayError } from '../../../src/lib/server/relay/errors';
import { parseMillis, parseParty, parseQueue, parseSession } from '../../../src/lib/server/relay/params';

function refusalOf(run: () => unknown): RelayError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(RelayError);
		return error as RelayError;
	}
	throw new Error('expected a refusal');
}

describe('relay request parameters', () => {
	it('accepts session names of 1 to 128 characters from A-Z a-z 0-9 _ . -', () => {
		for (const name of ['a', 'my-session_1.2', 'x'.repeat(128)]) expect(parseSession(name)).toBe(name);
		for (const name of ['', 'a b', 'a/b', 'ü', 'x'.repeat(129), 'a%2Fb']) {
			const error = refusalOf(() => parseSession(name));
			expect(error.status).toBe(400);
			expect(error.message).toMatch(/^bad session name/);
		}
	});

	it('accepts parties 0 to 255 and names the bad field', () => {
		expect(parseParty('0', 'party')).toBe(0);
		expect(parseParty('255', 'party')).toBe(255);
		for (const value of ['256', '-1', '1.5', 'x', '', '0x1', '1000']) {
			const error = refusalOf(() => parseParty(value, 'from'));
			expect(error.status).toBe(400);
			expect(error.message).toMatch(new RegExp(`^bad from "${value.replace('.', '\\.')}": must be a party number`));
		}
		// Written with leading zeros, it is the same party.
		expect(parseParty('0001', 'party')).toBe(1);
	});

	it('refuses a queue from a party to itself', () => {
		expect(parseQueue({ session: 's', from: '255', to: '0' })).toEqual({ session: 's', from: 255, to: 0 });
		expect(refusalOf(() => parseQueue({ session: 's', from: '3', to: '3' })).message).toContain('both are 3');
		expect(refusalOf(() => parseQueue({ session: 's', from: '3', to: '300' })).message).toMatch(/^bad to "300"/);
	});

	it('reads optional millisecond parameters', () => {
		expect(parseMillis(new URLSearchParams(''), 'wait')).toBeUndefined();
		expect(parseMillis(new URLSearchParams('wait=2500'), 'wait')).toBe(2500);
		// Longer than any wait the relay allows: it is capped, not refused.
		expect(parseMillis(new URLSearchParams('wait=10000000000'), 'wait')).toBe(10_000_000_000);
		expect(refusalOf(() => parseMillis(new URLSearchParams('wait=1&wait=2'), 'wait')).message).toBe('bad wait: given 2 times, give it once (separate several values with commas)');
		for (const bad of ['wait=-1', 'wait=1.5', 'wait=soon', 'wait=']) {
			expect(refusalOf(() => parseMillis(new URLSearchParams(bad), 'wait')).message).toMatch(/^bad wait/);
		}
	});
});
