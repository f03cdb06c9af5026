// Issue 12, finding 3: the dealer is a role the session's creator grants, never whoever sits in slot 255.
import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import {
	dealerFingerprint,
	dealerPublicKey,
	MismatchError,
	newDealerGrant,
	newSessionKey,
	PartySetupError,
	prepareParty,
	runDealerSession,
	UntrustedDealerError
} from '../../../src/lib/party';
import { failure, KEY, runAll, SLOW_RUN_MS, sum, value, world } from './world';

const INPUTS = ['5u32', '6u32', '7u32'];

describe('the dealer grant', () => {
	it('takes OT, not a dealer that sits in slot 255, when the session grants none (plaintext and sealed)', { timeout: SLOW_RUN_MS }, async () => {
		for (const key of [undefined, KEY]) {
			// In the sealed session the dealer even holds a grant secret of its own: no party granted it.
			const { parties, dealer } = await runAll(world({ key }), sum(INPUTS), { dealer: { secret: newDealerGrant().secret } });
			for (const outcome of parties) {
				expect(value(outcome)).toBe('18');
				expect(outcome.ok && outcome.value.preprocessing).toBe('ot');
			}
			expect(dealer).toEqual({ ok: true, value: { used: false } });
		}
	});

	it('refuses a dealer that signs with another key than the granted one, before any preprocessing', async () => {
		const granted = dealerPublicKey(newDealerGrant().secret);
		const { parties, dealer } = await runAll(world({ key: KEY }), sum(INPUTS, { dealer: granted }), { dealer: { secret: newDealerGrant().secret } });
		for (const outcome of parties) {
			const error = failure(outcome);
			expect(error).toBeInstanceOf(UntrustedDealerError);
			expect(error).toMatchObject({ reason: 'signature', party: DEALER_PARTY });
			expect(error.message).toBe(
				`the dealer that joined is not the one this session trusts: its hello is not signed with the granted dealer key (fingerprint ${dealerFingerprint(granted)}) — only the dealer link can deal, not a party link, or the relay replaced the dealer`
			);
		}
		// The impostor never got to deal: nobody asked it for material.
		expect(failure(dealer).message).toMatch(/test: a participant failed|left|aborted/);
	});

	it('refuses a dealer that does not sign at all', async () => {
		const granted = dealerPublicKey(newDealerGrant().secret);
		const { parties } = await runAll(world({ key: KEY }), sum(INPUTS, { dealer: granted }), { dealer: true });
		for (const outcome of parties) expect(failure(outcome)).toMatchObject({ name: 'UntrustedDealerError', reason: 'unsigned' });
	});

	it('deals with the granted dealer, forced or automatic', async () => {
		const { secret } = newDealerGrant();
		const settings = sum(INPUTS, { dealer: dealerPublicKey(secret) });
		settings[1].preprocessing = 'dealer';
		const { parties, dealer } = await runAll(world({ key: KEY }), settings, { dealer: { secret } });
		for (const outcome of parties) expect(outcome.ok && outcome.value.preprocessing).toBe('dealer');
		expect(parties.map(value)).toEqual(['18', '18', '18']);
		expect(dealer).toEqual({ ok: true, value: { used: true } });
	});

	it('does not let one party force an ungranted dealer on the others', async () => {
		const settings = sum(INPUTS);
		settings[0].preprocessing = 'dealer';
		const { parties } = await runAll(world(), settings, { dealer: true });
		for (const p of [1, 2]) {
			expect(failure(parties[p])).toBeInstanceOf(MismatchError);
			expect(failure(parties[p]).message).toBe(
				'party 0 forces the trusted dealer, but this session grants none: without a grant, a dealer is used only when every party chooses it'
			);
		}
	});

	it('refuses a disagreement about the grant, naming both fingerprints', async () => {
		const [ours, theirs] = [dealerPublicKey(newDealerGrant().secret), dealerPublicKey(newDealerGrant().secret)];
		const settings = sum(INPUTS, { dealer: ours });
		settings[2].dealer = theirs;
		// Listed as joined (the parties wait for a granted dealer), but never speaking.
		const { parties } = await runAll(world({ key: KEY, dealer: true }), settings);
		expect(failure(parties[0])).toMatchObject({ check: 'dealer', party: 2 });
		expect(failure(parties[0]).message).toBe(
			`party 2 trusts the dealer with key fingerprint ${dealerFingerprint(theirs)}, we trust the dealer with key fingerprint ${dealerFingerprint(ours)}: do all parties use the same session link or key?`
		);
	});

	it('refuses before joining: a sealed dealer without the grant secret, a sealed party forcing a dealer nobody granted', async () => {
		let requests = 0;
		const fetch = async () => {
			requests++;
			return new Response(null, { status: 500 });
		};
		const dealer = runDealerSession({ url: 'http://relay.invalid', session: 's', parties: 3, key: newSessionKey(), fetch });
		await expect(dealer).rejects.toThrow(PartySetupError);
		await expect(dealer).rejects.toThrow("with a session key, only the dealer the session's creator granted can deal");
		expect(() => prepareParty({ ...sum(INPUTS)[0], preprocessing: 'dealer' }, { keyed: true })).toThrow(
			"this session grants no dealer: with a session key, only a dealer that the session's creator granted can deal"
		);
		expect(requests).toBe(0);
	});

	it('makes grants whose fingerprint is short and stable', () => {
		const { secret, publicKey } = newDealerGrant();
		const hex = dealerPublicKey(secret);
		expect(hex).toBe(Buffer.from(publicKey).toString('hex'));
		expect(dealerFingerprint(hex)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
		expect(dealerFingerprint(hex)).not.toBe(dealerFingerprint(dealerPublicKey(newDealerGrant().secret)));
	});
});
