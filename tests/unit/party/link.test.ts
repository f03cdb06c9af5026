import { describe, expect, it } from 'vitest';
import { dealerLink, formatSessionKey, isSessionLink, LinkError, newDealerGrant, newSessionKey, newSlotIdentities, parseSessionKey, parseSessionLink, personalLink, sessionLink } from '../../../src/lib/party';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 250 - i * 3);
const INFO = Uint8Array.from({ length: 16 }, (_, i) => 7 * i + 1);

describe('session links and keys', () => {
	it('round-trips a link with its key', () => {
		const link = sessionLink('http://127.0.0.1:8000/', 'my-session_1', KEY);
		expect(link).toBe(`http://127.0.0.1:8000/s/my-session_1#key=${formatSessionKey(KEY)}`);
		expect(parseSessionLink(link)).toEqual({ url: 'http://127.0.0.1:8000', session: 'my-session_1', key: KEY });
	});

	it('reads the dealer page link, a base path, and a link without a key', () => {
		const key = formatSessionKey(KEY);
		expect(parseSessionLink(`https://mpc.example.org/s/abc/dealer#key=${key}`)).toEqual({ url: 'https://mpc.example.org', session: 'abc', key: KEY });
		expect(parseSessionLink('http://host:9000/app/s/abc')).toEqual({ url: 'http://host:9000/app', session: 'abc' });
		expect(isSessionLink('http://host:9000/s/abc#key=x')).toBe(true);
		expect(isSessionLink('http://host:9000')).toBe(false);
		expect(isSessionLink('not a url')).toBe(false);
	});

	it("carries the dealer secret only in the dealer's link", () => {
		const { secret } = newDealerGrant();
		const link = dealerLink('http://127.0.0.1:8000', 'abc', KEY, secret);
		expect(link).toBe(`http://127.0.0.1:8000/s/abc/dealer#key=${formatSessionKey(KEY)}&dealer=${formatSessionKey(secret)}`);
		expect(parseSessionLink(link)).toEqual({ url: 'http://127.0.0.1:8000', session: 'abc', key: KEY, dealerSecret: secret });
		expect(() => parseSessionLink(link.replace('/dealer#', '#'))).toThrow('carries a dealer secret but is no dealer link: its path should be /s/SESSION/dealer');
		expect(() => parseSessionLink(link.slice(0, -5))).toThrow('a dealer secret is 32 bytes in base64url (43 characters), got 38 characters');
		// What is wrong is said, the (nearly) secret text is not repeated.
		const cut = formatSessionKey(secret).slice(0, -5);
		expect(() => parseSessionLink(link.slice(0, -5))).not.toThrow(cut.slice(0, 12));
	});

	it("carries one party's number and pass in its personal link, both or neither", () => {
		const [secret] = newSlotIdentities(1).secrets;
		const link = personalLink('http://127.0.0.1:8000', 'abc', KEY, INFO, { party: 2, secret });
		expect(link).toBe(`http://127.0.0.1:8000/s/abc#key=${formatSessionKey(KEY)}&info=${formatSessionKey(INFO)}&party=2&pass=${formatSessionKey(secret)}`);
		expect(parseSessionLink(link)).toEqual({ url: 'http://127.0.0.1:8000', session: 'abc', key: KEY, info: INFO, personal: { party: 2, secret } });
		expect(() => parseSessionLink(link.replace(/&pass=.*/, ''))).toThrow('a personal link carries both party= and pass=, this one only party=');
		expect(() => parseSessionLink(link.replace('party=2&', ''))).toThrow('a personal link carries both party= and pass=, this one only pass=');
		expect(() => parseSessionLink(link.replace('party=2', 'party=two'))).toThrow("a personal link's party= is a party number, got 'two'");
		expect(() => parseSessionLink(link.slice(0, -5))).toThrow("a personal link's pass is 32 bytes in base64url (43 characters)");
		expect(() => parseSessionLink(link.replace('/s/abc#', '/s/abc/dealer#'))).toThrow("is a dealer link but carries a party's pass");
	});

	it('pins the session info it was made with, in the party and the dealer link alike', () => {
		const { secret } = newDealerGrant();
		const party = sessionLink('http://host', 'abc', KEY, INFO);
		expect(party).toBe(`http://host/s/abc#key=${formatSessionKey(KEY)}&info=${formatSessionKey(INFO)}`);
		expect(parseSessionLink(party)).toEqual({ url: 'http://host', session: 'abc', key: KEY, info: INFO });
		expect(parseSessionLink(dealerLink('http://host', 'abc', KEY, secret, INFO))).toEqual({ url: 'http://host', session: 'abc', key: KEY, info: INFO, dealerSecret: secret });
		expect(() => parseSessionLink(party.slice(0, -3))).toThrow("a link's info digest is 16 bytes in base64url (22 characters)");
	});

	it('refuses what is not a session link, naming the problem', () => {
		expect(() => parseSessionLink('host/s/abc')).toThrow(LinkError);
		expect(() => parseSessionLink('ftp://host/s/abc')).toThrow('a session link starts with http:// or https://, not ftp://');
		expect(() => parseSessionLink('http://host/session/abc')).toThrow('its path should be /s/SESSION');
		expect(() => parseSessionLink('http://host/s/abc#key=tooShort')).toThrow('a session key is 32 bytes in base64url (43 characters)');
	});

	it('encodes keys as 43 base64url characters and accepts standard base64 too', () => {
		const text = formatSessionKey(KEY);
		expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(parseSessionKey(text)).toEqual(KEY);
		const standard = btoa(String.fromCharCode(...KEY));
		expect(standard).toMatch(/[+/=]/);
		expect(parseSessionKey(standard)).toEqual(KEY);
		expect(() => parseSessionKey('!!!')).toThrow(LinkError);
		expect(newSessionKey()).toHaveLength(32);
		expect(newSessionKey()).not.toEqual(newSessionKey());
	});
});
