// How a refusal reads: the relay's own words, but not a web page that some other server at the
// URL sent, nor text without end.
import { describe, expect, it } from 'vitest';
import { RelayRefusedError } from '../../../src/lib/channel/relay-client';

describe('a refusal', () => {
	it('quotes the relay’s text', () => {
		expect(new RelayRefusedError(400, 'bad party "abc": must be a party number', 'join the session').message).toBe(
			'the relay refused to join the session: 400 bad party "abc": must be a party number'
		);
	});

	it('says that a web page answered, instead of printing it', () => {
		const page = '<!doctype html>\n<html lang="en"><head><title>Not Found</title></head><body>' + 'x'.repeat(5000) + '</body></html>';
		expect(new RelayRefusedError(404, page, 'list the parties').message).toBe(
			"the relay refused to list the parties: 404 (a web page, not a Polytune relay: check the URL, which is the relay's address alone or a session link)"
		);
	});

	it('cuts a long text', () => {
		const message = new RelayRefusedError(500, 'y'.repeat(5000), 'send').message;
		expect(message).toBe(`the relay refused to send: 500 ${'y'.repeat(300)}…`);
	});
});
