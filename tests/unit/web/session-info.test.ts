import { describe, expect, it } from 'vitest';
import { newSessionKey } from '../../../src/lib/party/link';
import { newSessionName, openSessionInfo, sealSessionInfo, SessionInfoError, type SessionInfo } from '../../../src/workers/session-info';

const INFO: SessionInfo = {
	program: 'pub fn main(x: u32, y: u32) -> u32 { x + y }',
	preprocessing: 'dealer',
	parties: 2,
	consts: { PARTIES: { TOTAL: 2 } },
	title: 'Sum',
	sampleInputs: ['1', '2']
};

describe('session info', () => {
	it('opens with the key and session it was sealed for', () => {
		const key = newSessionKey();
		expect(openSessionInfo(sealSessionInfo(INFO, key, 'abc'), key, 'abc')).toEqual(INFO);
	});

	it('does not open with another key or under another session name', () => {
		const key = newSessionKey();
		const blob = sealSessionInfo(INFO, key, 'abc');
		expect(() => openSessionInfo(blob, newSessionKey(), 'abc')).toThrow(SessionInfoError);
		expect(() => openSessionInfo(blob, key, 'abd')).toThrow(/does not open/);
	});

	it('refuses altered or foreign bytes', () => {
		const key = newSessionKey();
		const blob = sealSessionInfo(INFO, key, 's');
		blob[blob.length - 1] ^= 1;
		expect(() => openSessionInfo(blob, key, 's')).toThrow(/does not open/);
		expect(() => openSessionInfo(new TextEncoder().encode('{"program":"x"}'), key, 's')).toThrow(/format/);
	});

	it('hides the program from whoever lacks the key', () => {
		const blob = sealSessionInfo(INFO, newSessionKey(), 's');
		expect(new TextDecoder().decode(blob)).not.toContain('main');
	});

	it('makes fresh session names the relay accepts', () => {
		const names = new Set(Array.from({ length: 50 }, newSessionName));
		expect(names.size).toBe(50);
		for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{16}$/);
	});
});
