// Who a party is in a run (src/lib/party/identity.ts): someone who takes a party's slot in the
// next attempt cannot act as that party, with a session key or without one; with personal
// links, not even in the first attempt.
import { describe, expect, it } from 'vitest';
import { SlotTakenError } from '../../../src/lib/channel/relay-client';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
	dealerPublicKey,
	MismatchError,
	newDealerGrant,
	newSessionKey,
	newSlotIdentities,
	PartySetupError,
	RestartRefusedError,
	runDealerSession,
	runParty,
	type PartyResult,
	type PartyStatus
} from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { failure, settle, SLOW_RUN_MS, SUM, value, type Outcome } from './world';

const URL = 'http://relay.test';

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** No honest party outputs a value: each stopped, and `judge` says how. */
function stopped(outcomes: Outcome<PartyResult>[], judge: (error: unknown, party: number) => void): void {
	outcomes.forEach((outcome, party) => judge(failure(outcome), party));
}

function namesIdentityOf(party: number) {
	return (error: unknown) => {
		expect(error).toBeInstanceOf(MismatchError);
		expect((error as MismatchError).check).toBe('identity');
		expect((error as MismatchError).party).toBe(party);
		expect((error as Error).message).toMatch(new RegExp(`party ${party} in this attempt is not the participant that holds its slot`));
	};
}

describe('a party’s slot taken in the next attempt', () => {
	it('by a party of the run (it holds the session key): the honest party stops, naming the slot', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const common = { url: URL, session: 'squat-keyed', key: newSessionKey(), timeoutMs: 20_000, pollWaitMs: 200, program: SUM, fetch: relay.fetch };
		const statuses: PartyStatus[] = [];
		try {
			const honest0 = settle(runParty({ ...common, party: 0, input: '10u32', onStatus: (s) => statuses.push(s) }));
			const honest1 = settle(runParty({ ...common, party: 1, input: '1000u32' }));
			const cheater2 = settle(runParty({ ...common, party: 2, input: '0u32' }));
			// Once the engine has begun, party 2 joins the next attempt in party 1's slot with an input of its choice.
			await until(() => statuses.some((s) => s.progress !== undefined));
			const puppet1 = settle(runParty({ ...common, party: 1, input: '0u32', attempt: 1 }));
			const [o0, o1] = await Promise.all([honest0, honest1, cheater2, puppet1]);
			namesIdentityOf(1)(failure(o0));
			expect(failure(o1)).toBeInstanceOf(SlotTakenError);
		} finally {
			await relay.close();
		}
	});

	it('by a stranger who knows only the session name, without a key: every honest party stops', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const common = { url: URL, session: 'squat-plain', timeoutMs: 20_000, pollWaitMs: 200, program: SUM, fetch: relay.fetch };
		const statuses: PartyStatus[] = [];
		try {
			const runs = ['10u32', '1000u32', '5u32'].map((input, party) => settle(runParty({ ...common, party, input, ...(party === 0 ? { onStatus: (s: PartyStatus) => statuses.push(s) } : {}) })));
			await until(() => statuses.some((s) => s.progress !== undefined));
			const stranger = settle(runParty({ ...common, party: 1, input: '0u32', attempt: 1 }));
			const outcomes = await Promise.all(runs);
			await stranger;
			stopped(outcomes, (error, party) => (party === 1 ? expect(error).toBeInstanceOf(SlotTakenError) : namesIdentityOf(1)(error)));
		} finally {
			await relay.close();
		}
	});

	it('before every first hello is in: the run does not start again', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const common = { url: URL, session: 'squat-early', key: newSessionKey(), timeoutMs: 5000, pollWaitMs: 200, program: SUM, fetch: relay.fetch };
		const statuses: PartyStatus[][] = [[], []];
		try {
			// Parties 0 and 1 wait for party 2, which never comes; someone takes party 1's slot in attempt 1 meanwhile.
			const runs = [0, 1].map((party) => settle(runParty({ ...common, party, input: '1u32', onStatus: (s) => statuses[party].push(s) })));
			await until(() => statuses.every((list) => list.some((s) => s.stage === 'waiting')));
			const squatter = settle(runParty({ ...common, party: 1, input: '0u32', attempt: 1 }));
			// Party 0 sees party 1 in attempt 1 and refuses to follow it there; party 1 (which never sees itself there) waits in vain.
			stopped(await Promise.all(runs), (error, party) => {
				if (party === 1) return expect(error).toBeInstanceOf(Error);
				expect(error).toBeInstanceOf(RestartRefusedError);
				expect((error as Error).message).toMatch(/party 1 rejoined.*party 0 had not yet had every party's first hello/);
			});
			expect((await squatter).ok).toBe(false);
		} finally {
			await relay.close();
		}
	});
});

describe('personal links (identities the session fixes before anyone joins)', () => {
	const { secrets, publicKeys: slotKeys } = newSlotIdentities(3);
	const passOf = (party: number) => ({ secret: bytesToHex(secrets[party]) });

	it('every party with its own link: the run computes', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const common = { url: URL, session: 'personal-run', key: newSessionKey(), timeoutMs: 20_000, pollWaitMs: 200, program: SUM, fetch: relay.fetch, slotKeys };
		try {
			const inputs = [10, 1000, 5];
			const outcomes = await Promise.all(inputs.map((input, party) => settle(runParty({ ...common, party, input: `${input}u32`, identity: passOf(party) }))));
			const total = String(inputs.reduce((a, b) => a + b));
			expect(outcomes.map(value)).toEqual([total, total, total]);
		} finally {
			await relay.close();
		}
	});

	it('every party with its own link and the granted dealer, which takes each call only signed by its party: the run computes', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const grant = newDealerGrant();
		const common = { url: URL, session: 'personal-dealer', key: newSessionKey(), timeoutMs: 20_000, pollWaitMs: 200, fetch: relay.fetch, slotKeys };
		try {
			const dealer = runDealerSession({ ...common, parties: 3, dealerSecret: grant.secret });
			const inputs = [10, 1000, 5];
			const outcomes = await Promise.all(
				inputs.map((input, party) =>
					settle(runParty({ ...common, program: SUM, party, input: `${input}u32`, identity: passOf(party), preprocessing: 'dealer', dealer: dealerPublicKey(grant.secret) }))
				)
			);
			const total = String(inputs.reduce((a, b) => a + b));
			expect(outcomes.map(value)).toEqual([total, total, total]);
			expect(outcomes.every((outcome) => outcome.ok && outcome.value.preprocessing === 'dealer')).toBe(true);
			expect(await dealer).toEqual({ used: true, forCircuit: false });
		} finally {
			await relay.close();
		}
	});

	it('by a party of the run in a free slot, before its party joins: the others stop, naming the slot', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const common = { url: URL, session: 'personal-squat', key: newSessionKey(), timeoutMs: 20_000, pollWaitMs: 200, program: SUM, fetch: relay.fetch };
		try {
			const honest0 = settle(runParty({ ...common, slotKeys, party: 0, input: '10u32', identity: passOf(0) }));
			const cheater2 = settle(runParty({ ...common, slotKeys, party: 2, input: '0u32', identity: passOf(2) }));
			// Party 2 holds the session key, and signs party 1's hellos with the one secret it has: its own.
			const squatter1 = settle(runParty({ ...common, party: 1, input: '0u32', identity: passOf(2) }));
			const [o0] = await Promise.all([honest0, cheater2, squatter1]);
			namesIdentityOf(1)(failure(o0));
		} finally {
			await relay.close();
		}
	});

	it('refuses a link without a pass, or with another party’s, before it joins', async () => {
		const common = { url: URL, session: 'personal-refused', key: newSessionKey(), program: SUM, input: '1u32', slotKeys };
		for (const [options, message] of [
			[{ party: 1 }, /this session gives every party a personal link: join with yours/],
			[{ party: 1, identity: passOf(0) }, /this personal link is party 0's, not party 1's/],
			[{ party: 1, identity: { secret: bytesToHex(new Uint8Array(32).fill(9)) } }, /this personal link's pass is not one of this session's/]
		] as const) {
			const outcome = await settle(runParty({ ...common, ...options }));
			expect(failure(outcome)).toBeInstanceOf(PartySetupError);
			expect(failure(outcome).message).toMatch(message);
		}
	});
});
