import { describe, expect, it } from 'vitest';
import { RelayClient } from '../../../src/lib/channel/relay-client';
import {
	dealerPublicKey,
	newDealerGrant,
	newSessionKey,
	newSessionName,
	newSlotIdentities,
	openSessionInfo,
	publishSessionInfo,
	readSessionInfo,
	sealSessionInfo,
	sessionInfoDigest,
	SessionInfoError,
	type SessionInfo
} from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';

const INFO: SessionInfo = {
	program: 'pub fn main(x: u32, y: u32) -> u32 { x + y }',
	preprocessing: 'dealer',
	parties: 2,
	dealer: dealerPublicKey(newDealerGrant().secret),
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

	it("holds one distinct identity per party where the parties have personal links", () => {
		const key = newSessionKey();
		const { publicKeys } = newSlotIdentities(2);
		const personal: SessionInfo = { ...INFO, slotKeys: publicKeys };
		expect(openSessionInfo(sealSessionInfo(personal, key, 'abc'), key, 'abc')).toEqual(personal);
		for (const slotKeys of [[publicKeys[0]], [publicKeys[0], publicKeys[0]], [publicKeys[0], 'not hex'], [...publicKeys, newSlotIdentities(1).publicKeys[0]]]) {
			expect(() => openSessionInfo(sealSessionInfo({ ...INFO, slotKeys }, key, 'abc'), key, 'abc'), JSON.stringify(slotKeys)).toThrow(/not in a format this version understands/);
		}
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

	it('holds a dealer exactly with dealer preprocessing, and may lack a program (made by `polytune pre`)', () => {
		const key = newSessionKey();
		const bare: SessionInfo = { preprocessing: 'dealer', parties: 3, dealer: INFO.dealer };
		expect(openSessionInfo(sealSessionInfo(bare, key, 's'), key, 's')).toEqual(bare);
		const ungranted = sealSessionInfo({ ...INFO, dealer: undefined }, key, 's');
		expect(() => openSessionInfo(ungranted, key, 's')).toThrow(/format/);
		const otWithDealer = sealSessionInfo({ ...INFO, preprocessing: 'ot' }, key, 's');
		expect(() => openSessionInfo(otWithDealer, key, 's')).toThrow(/format/);
	});

	it('is pinned by its links: published again once the relay has forgotten the session, it is refused', async () => {
		const key = newSessionKey();
		const { publicKeys } = newSlotIdentities(3);
		const created: SessionInfo = { ...INFO, parties: 3, slotKeys: publicKeys };
		const pinned = sessionInfoDigest(created);
		const first = relayFetch();
		try {
			expect(await publishSessionInfo(new RelayClient({ url: 'http://relay.test', fetch: first.fetch }), 'pinned', key, created)).toBe(true);
			expect(await readSessionInfo(new RelayClient({ url: 'http://relay.test', fetch: first.fetch }), 'pinned', key, pinned)).toEqual(created);
		} finally {
			await first.close();
		}
		// The relay restarted (memory store): a holder of the key publishes its own info under the name.
		const second = relayFetch();
		const client = new RelayClient({ url: 'http://relay.test', fetch: second.fetch });
		try {
			const rogue: SessionInfo = { ...created, slotKeys: [publicKeys[0], newSlotIdentities(1).publicKeys[0], publicKeys[2]] };
			expect(await publishSessionInfo(client, 'pinned', key, rogue)).toBe(true);
			await expect(readSessionInfo(client, 'pinned', key, pinned)).rejects.toThrow(/not the ones this link was made with/);
			await expect(readSessionInfo(client, 'pinned', key, pinned)).rejects.toMatchObject({ reason: 'changed' });
			// A link that pins nothing (made by hand) still reads it: the pin is what protects.
			expect(await readSessionInfo(client, 'pinned', key)).toEqual(rogue);
		} finally {
			await second.close();
		}
	});

	it('is read back from the relay, and set only once', async () => {
		const relay = relayFetch();
		const client = new RelayClient({ url: 'http://relay.test', fetch: relay.fetch });
		const key = newSessionKey();
		try {
			expect(await readSessionInfo(client, 'once', key)).toBeUndefined();
			expect(await publishSessionInfo(client, 'once', key, INFO)).toBe(true);
			expect(await publishSessionInfo(client, 'once', key, { ...INFO, dealer: dealerPublicKey(newDealerGrant().secret) })).toBe(false);
			expect(await readSessionInfo(client, 'once', key)).toEqual(INFO);
		} finally {
			await relay.close();
		}
	});

	it('makes fresh session names the relay accepts', () => {
		const names = new Set(Array.from({ length: 50 }, newSessionName));
		expect(names.size).toBe(50);
		for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{16}$/);
	});
});
