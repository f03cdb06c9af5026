// Issue 12, finding 5: a relay that replays an earlier run's dealer stream (same session name
// and key) into a new run gets the parties to stop, never to compute on stale material.
import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { newSlotToken, RelayClient, type Fetch } from '../../../src/lib/channel/relay-client';
import { dealerPublicKey, MismatchError, newDealerGrant, newSessionKey, runDealerSession, runParty, type PartyResult } from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { settle, SLOW_RUN_MS, SUM, type Outcome } from './world';

const INPUTS = ['2u32', '10u32', '100u32'];

/** The bodies of the dealer's mailbox requests (its frames to every party), in order, as the relay received them. */
function recordingDealer(fetch: Fetch, session: string) {
	const sent: Uint8Array[] = [];
	const recording: Fetch = async (input, init) => {
		const body = init?.body as Uint8Array | undefined;
		if (new URL(input).pathname === `/exchange/${session}/${DEALER_PARTY}` && body?.length) sent.push(body.slice());
		return fetch(input, init);
	};
	return { fetch: recording, sent };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
	while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a replayed dealer stream', () => {
	for (const sealed of [true, false]) {
		it(`makes every party of the new run stop, ${sealed ? 'sealed with a key' : 'in plaintext'}`, { timeout: SLOW_RUN_MS }, async () => {
			const relay = relayFetch();
			const session = `replay-${sealed ? 'sealed' : 'plain'}`;
			const key = sealed ? newSessionKey() : undefined;
			const { secret } = newDealerGrant();
			const common = { url: 'http://relay.test', session, key, timeoutMs: 20_000, pollWaitMs: 200 };
			// Sealed sessions take the granted dealer; in plaintext every party chooses it.
			const terms = sealed ? { dealer: dealerPublicKey(secret) } : { preprocessing: 'dealer' as const };
			const runParties = (fetch: Fetch) =>
				Promise.all(INPUTS.map((input, party) => settle(runParty({ ...common, ...terms, fetch, party, program: SUM, input }))));
			try {
				const recorder = recordingDealer(relay.fetch, session);
				const dealer = runDealerSession({ ...common, fetch: recorder.fetch, parties: 3, dealerSecret: secret });
				const first = await runParties(relay.fetch);
				expect(first.map((o) => o.ok && o.value.output)).toEqual(INPUTS.map(() => ({ kind: 'value', text: '112' })));
				expect(await dealer).toEqual({ used: true, forCircuit: false });

				// Run 2, same session and key: the relay plays the dealer (in its free slot), from what it kept of run 1.
				const client = new RelayClient({ url: common.url, fetch: relay.fetch });
				const token = newSlotToken();
				await client.join(session, DEALER_PARTY, { token });
				const second = runParties(relay.fetch);
				await until(async () => (await client.participants(session)).filter((p) => p !== DEALER_PARTY).length === 3);
				// The same frames with the same numbers: the claim of slot 255 started its numbering afresh.
				for (const body of recorder.sent) await client.request('POST', `/exchange/${session}/${DEALER_PARTY}`, { body, token, what: 'replay' });
				for (const outcome of await second) expectStaleDealer(outcome);
			} finally {
				await relay.close();
			}
		});
	}
});

function expectStaleDealer(outcome: Outcome<PartyResult>) {
	expect(outcome.ok, 'a party computed on a replayed dealer stream').toBe(false);
	const error = (outcome as { error: Error }).error;
	expect(error).toBeInstanceOf(MismatchError);
	expect(error).toMatchObject({ check: 'handshake', party: -1 });
	expect(error.message).toMatch(
		/^the dealer answered another run \(transcript [0-9a-f]{8}… vs ours [0-9a-f]{8}…\): it was told of other hellos from parties 0, 1 and 2 than we have, ours among them: the relay replayed an earlier run's dealer messages, or rewrote our call$/
	);
}
