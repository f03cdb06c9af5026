import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { compile } from '../../../src/lib/garble';
import { dealerPublicKey, newDealerGrant, prepareParty, runDealerOver, runPreparedParty, type PartySettings, type SessionTransport } from '../../../src/lib/party';
import { LockstepNetwork } from '../../helpers/lockstep';
import { KEY, SESSION, SUM } from './world';

/**
 * A whole run as a party makes it — handshake, preprocessing, computation, output — counted in
 * flights (sequential one-way delays, tests/helpers/lockstep.ts), sealed with a session key as
 * the web app's sessions are. Everyone has joined: what waiting for the others costs depends on
 * when they arrive, not on the protocol.
 */
function transport(network: LockstepNetwork, party: number, everyone: number[]): SessionTransport {
	return {
		session: SESSION,
		channel: network.channel(party),
		key: KEY,
		participants: async () => everyone,
		traffic: () => ({ bytesSent: 0, bytesReceived: 0 }),
		cancel: () => {}
	};
}

/** OT, or the dealer: knowing the program (it deals for its circuit) or not. */
async function flights(preprocessing: 'ot' | 'dealer', dealerKnowsProgram = false): Promise<number> {
	const network = new LockstepNetwork();
	const { secret } = newDealerGrant();
	const settings: PartySettings[] = ['1u32', '2u32', '3u32'].map((input, party) => ({
		party,
		program: SUM,
		input,
		preprocessing,
		...(preprocessing === 'dealer' ? { dealer: dealerPublicKey(secret) } : {})
	}));
	const everyone = preprocessing === 'dealer' ? [0, 1, 2, DEALER_PARTY] : [0, 1, 2];
	let ticks = 0;
	const parties = Promise.all(settings.map((s) => runPreparedParty(transport(network, s.party, everyone), prepareParty(s, { keyed: true }), { timeoutMs: 60_000 }))).then(
		(results) => ((ticks = network.ticks), results)
	);
	const circuit = dealerKnowsProgram ? { circuit: compile(SUM).circuit } : {};
	const dealer = preprocessing === 'dealer' ? runDealerOver(transport(network, DEALER_PARTY, everyone), { parties: 3, timeoutMs: 60_000, secret, ...circuit }) : Promise.resolve();
	const [results] = await network.run(Promise.all([parties, dealer]));
	for (const result of results) expect(result.output).toEqual({ kind: 'value', text: '6' });
	return ticks;
}

describe('a whole run through the party layer', { timeout: 60_000 }, () => {
	it('takes at most 14 flights with OT preprocessing, the handshake included', async () => {
		expect(await flights('ot')).toBeLessThanOrEqual(14);
	});

	it('takes at most 8 flights with the trusted dealer, the handshake included', async () => {
		expect(await flights('dealer')).toBeLessThanOrEqual(8);
	});

	it('takes no more with a dealer that knows the program and deals for its circuit', async () => {
		expect(await flights('dealer', true)).toBeLessThanOrEqual(await flights('dealer'));
	});
});
