// The CLI's session arguments: durations a timer can hold, party counts, and no secret repeated in a refusal.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command';
import { parseTimeout, partyCountOf, sessionTarget } from '../../../src/cli/session-args';
import { formatSessionKey, newDealerGrant, newSessionKey } from '../../../src/lib/party';

describe('--timeout', () => {
	it('takes durations up to 24 days, and refuses longer ones (a timer would fire at once)', () => {
		expect(parseTimeout('90')).toBe(90_000);
		expect(parseTimeout('576h')).toBe(24 * 86_400_000);
		for (const text of ['577h', '600h', '99999999999999']) {
			expect(() => parseTimeout(text)).toThrow(UsageError);
			expect(() => parseTimeout(text)).toThrow(`--timeout is at most 576 h (24 days), got '${text}'`);
		}
	});
});

describe('--parties', () => {
	it('takes 2 to 254 parties, and refuses other counts as a usage error (255 is the dealer)', () => {
		expect(partyCountOf('2', '--parties')).toBe(2);
		expect(partyCountOf('254', '--parties')).toBe(254);
		for (const text of ['0', '1', '255', '300']) {
			expect(() => partyCountOf(text, '--parties')).toThrow(UsageError);
			expect(() => partyCountOf(text, '--parties')).toThrow(`--parties must be from 2 to 254, got ${Number(text)}`);
		}
	});
});

describe('a link that is not a URL', () => {
	it('is refused without repeating its key or dealer secret', () => {
		const key = formatSessionKey(newSessionKey());
		const secret = formatSessionKey(newDealerGrant().secret);
		const link = `http://127.0.0.1:99999/s/k1/dealer#key=${key}&dealer=${secret}`;
		let message = '';
		try {
			sessionTarget([link], {}, {});
		} catch (error) {
			expect(error).toBeInstanceOf(UsageError);
			message = (error as Error).message;
		}
		expect(message).toBe("'http://127.0.0.1:99999/s/k1/dealer#…' is not a URL");
		expect(message).not.toContain(key);
		expect(message).not.toContain(secret);
	});
});

describe('a bad session name', () => {
	it('is a usage error (exit 64), naming the rule', () => {
		expect(() => sessionTarget(['http://127.0.0.1:8000'], { session: 'bad name' }, {})).toThrow(UsageError);
		expect(() => sessionTarget(['http://127.0.0.1:8000'], { session: 'bad name' }, {})).toThrow("bad session name 'bad name': use 1 to 128 of the characters A-Z a-z 0-9 _ . -");
		expect(sessionTarget(['http://127.0.0.1:8000'], { session: 'good-name_1.2' }, {}).session).toBe('good-name_1.2');
	});
});
