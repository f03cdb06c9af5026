import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { compile } from '../../../src/lib/garble';
import { dealerPublicKey, newDealerGrant, prepareParty, runDealerOver, runPreparedParty, type PartySettings, type SessionTransport } from '../../../src/lib/party';
import { LockstepNetwork } from '../../helpers/lockstep';
import { KEY, ROWS, SESSION, SUM } from './world';

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

interface Run {
	/** The dealer knows the program and deals for its circuit. */
	dealerKnowsProgram?: boolean;
	/** The parties run ROWS, whose constants they exchange in their hellos. */
	constants?: boolean;
}

/** OT, or the dealer: knowing the program (it deals for its circuit) or not. */
async function flights(preprocessing: 'ot' | 'dealer', { dealerKnowsProgram = false, constants = false }: Run = {}): Promise<number> {
	const network = new LockstepNetwork();
	const { secret } = newDealerGrant();
	const runs = constants
		? [
				{ program: ROWS, input: '[1u8, 2u8]', consts: { ROWS: 2 } },
				{ program: ROWS, input: '[3u8]', consts: { ROWS: 1 } }
			]
		: ['1u32', '2u32', '3u32'].map((input) => ({ program: SUM, input }));
	const settings: PartySettings[] = runs.map((run, party) => ({
		party,
		...run,
		preprocessing,
		...(preprocessing === 'dealer' ? { dealer: dealerPublicKey(secret) } : {})
	}));
	const computing = settings.map((s) => s.party);
	const everyone = preprocessing === 'dealer' ? [...computing, DEALER_PARTY] : computing;
	let ticks = 0;
	const parties = Promise.all(settings.map((s) => runPreparedParty(transport(network, s.party, everyone), prepareParty(s, { keyed: true }), { timeoutMs: 60_000 }))).then(
		(results) => ((ticks = network.ticks), results)
	);
	const circuit = dealerKnowsProgram ? { circuit: compile(SUM).circuit } : {};
	const dealer =
		preprocessing === 'dealer' ? runDealerOver(transport(network, DEALER_PARTY, everyone), { parties: computing.length, timeoutMs: 60_000, secret, ...circuit }) : Promise.resolve();
	const [results] = await network.run(Promise.all([parties, dealer]));
	for (const result of results) expect(result.output).toEqual({ kind: 'value', text: '6' });
	return ticks;
}

describe('a whole run through the party layer', { timeout: 60_000 }, () => {
	it('takes at most 14 flights with OT preprocessing, the handshake included', async () => {
		expect(await flights('ot')).toBeLessThanOrEqual(14);
	});

	it('takes at most 6 flights with the trusted dealer, called along with the hellos', async () => {
		expect(await flights('dealer')).toBeLessThanOrEqual(6);
	});

	it('takes no more with a dealer that knows the program and deals for its circuit', async () => {
		expect(await flights('dealer', { dealerKnowsProgram: true })).toBeLessThanOrEqual(await flights('dealer'));
	});

	it('takes one flight more where the program needs the parties’ constants: the dealer is called with the confirms', async () => {
		expect(await flights('dealer', { constants: true })).toBe((await flights('dealer')) + 1);
	});
});
