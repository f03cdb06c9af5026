// Issue 15, "Reload": a participant that leaves mid-run (a reloaded tab) and rejoins makes the
// run start again for everyone in a fresh attempt (src/lib/party/attempts.ts).
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { PairSealedChannel } from '../../../src/lib/channel/pair-sealed';
import { newSlotToken, RelayClient, type Fetch } from '../../../src/lib/channel/relay-client';
import { SealError } from '../../../src/lib/channel/sealed';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import {
	attemptSession,
	dealerPublicKey,
	MAX_RESTARTS,
	newDealerGrant,
	newIdentitySecret,
	newSessionKey,
	RestartLimitError,
	RestartRefusedError,
	runDealerSession,
	runParty,
	type PartyOptions,
	type PartyResult,
	type PartyStatus
} from '../../../src/lib/party';
import { restartCauseSession } from '../../../src/lib/party/attempts';
import { relayFetch, type RelayFetch } from '../channel/relay-fetch';
import { failure, settle, SLOW_RUN_MS, SUM, type Outcome } from './world';

const URL = 'http://relay.test';
const INPUTS = ['2u32', '10u32', '100u32'];

function plaintextSum(inputs: readonly string[]): string {
	const program = compile(SUM);
	const output = program.decodeOutput(evaluateCircuit(program.circuit, inputs.map((input, p) => program.encodeInput(p, input))));
	if (output.kind !== 'value') throw new Error('the sum panicked');
	return output.text;
}

/**
 * A participant whose tab can be "reloaded": from `kill()` on, its requests never get an
 * answer (its Worker is gone) and its slot is left with its token, as the page's pagehide
 * does. `end()` lets the hung requests fail when the test is over.
 */
function killable(relay: RelayFetch) {
	let dead = false;
	let end!: () => void;
	const gone = new Promise<never>((_, reject) => (end = () => reject(new Error('the tab is gone'))));
	gone.catch(() => {});
	const fetch: Fetch = (input, init) => (dead ? gone : relay.fetch(input, init));
	return {
		fetch,
		async kill(session: string, party: number, token: string) {
			dead = true;
			await new RelayClient({ url: URL, fetch: relay.fetch }).leave(session, party, token);
		},
		end
	};
}

function expectValue(outcome: Outcome<PartyResult>, expected: string): void {
	if (!outcome.ok) throw outcome.error;
	expect(outcome.value.output).toEqual({ kind: 'value', text: expected });
}

/** The engine has begun (preprocessing): the moment the browser tests reload a tab. */
const ENGINE_BEGUN = (status: PartyStatus) => status.progress !== undefined;

/** Runs the parties; party 2 is "reloaded" `reloads` times, each once `reloadAt` holds in an attempt, and rejoins the next. */
async function runWithReloads(options: { session: string; reloads: number; dealer?: boolean; reloadAt?: (status: PartyStatus) => boolean; fetchOf?: (party: number, fetch: Fetch) => Fetch }) {
	const reloadAt = options.reloadAt ?? ENGINE_BEGUN;
	const relay = relayFetch();
	const key = newSessionKey();
	const grant = options.dealer ? newDealerGrant() : undefined;
	const common = { url: URL, session: options.session, key, timeoutMs: 30_000, pollWaitMs: 200, program: SUM, ...(grant ? { dealer: dealerPublicKey(grant.secret) } : {}) };
	const statuses: PartyStatus[][] = [[], [], []];
	const tabs: ReturnType<typeof killable>[] = [];
	try {
		const dealer = grant ? settle(runDealerSession({ ...common, program: { source: SUM }, fetch: relay.fetch, parties: 3, dealerSecret: grant.secret })) : undefined;
		const runs = [0, 1].map((party) =>
			settle(runParty({ ...common, fetch: options.fetchOf?.(party, relay.fetch) ?? relay.fetch, party, input: INPUTS[party], onStatus: (status) => statuses[party].push(status) }))
		);
		let last: Promise<Outcome<PartyResult>> | undefined;
		// What party 2's tab keeps across reloads, as the page does (src/ui/rejoin.ts): its identity, and everyone's.
		const kept: { secret: string; known?: readonly string[] } = { secret: newIdentitySecret() };
		for (let attempt = 0; attempt <= options.reloads; attempt++) {
			const tab = killable(relay);
			tabs.push(tab);
			const token = newSlotToken();
			const reloaded = attempt < options.reloads;
			let killing: Promise<void> | undefined;
			const run = settle(
				runParty({
					...common,
					fetch: tab.fetch,
					party: 2,
					input: INPUTS[2],
					slotToken: token,
					attempt,
					identity: { ...kept },
					onIdentities: (identities) => (kept.known = identities),
					onStatus: (status) => {
						statuses[2].push(status);
						if (reloaded && reloadAt(status)) killing ??= tab.kill(attemptSession(options.session, attempt), 2, token);
					}
				})
			);
			if (!reloaded) last = run;
			else await until(() => killing !== undefined).then(() => killing);
		}
		const parties = [...(await Promise.all(runs)), await last!];
		return { parties, statuses, dealer: await dealer };
	} finally {
		for (const tab of tabs) tab.end();
		await relay.close();
	}
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a participant that rejoins mid-run', () => {
	it('makes the run start again in attempt 1: every party outputs the sum and says why', { timeout: SLOW_RUN_MS }, async () => {
		const { parties, statuses } = await runWithReloads({ session: 'rejoin-ot', reloads: 1 });
		const expected = plaintextSum(INPUTS);
		for (const outcome of parties) expectValue(outcome, expected);
		for (const party of [0, 1]) {
			const final = statuses[party].at(-1)!;
			expect(final).toMatchObject({ stage: 'done', attempt: 1, restarted: { attempt: 1, parties: [2] } });
			expect(final.restarted!.reason).toMatch(/party 2 rejoined/);
			// The first attempt had begun (party 2 was preprocessing, so everyone had agreed) before the restart.
			expect(statuses[party].some((s) => s.stage === 'handshake' && s.attempt === undefined)).toBe(true);
		}
		expect(statuses[2].at(-1)).toMatchObject({ stage: 'done', attempt: 1 });
	});

	// With the dealer the run goes fast: the reload comes as soon as everyone agrees (the first hellos fixed who each party is),
	// before party 2's masked inputs, without which nobody begins the output phase.
	it('with the dealer, which deals again in the new attempt', { timeout: SLOW_RUN_MS }, async () => {
		const { parties, statuses, dealer } = await runWithReloads({ session: 'rejoin-dealer', reloads: 1, dealer: true, reloadAt: (status) => status.stage === 'preprocessing' });
		for (const outcome of parties) expectValue(outcome, plaintextSum(INPUTS));
		expect(dealer).toEqual({ ok: true, value: { used: true, forCircuit: true } });
		for (const party of [0, 1]) expect(statuses[party].at(-1)).toMatchObject({ stage: 'done', preprocessing: 'dealer', restarted: { attempt: 1, parties: [2] } });
	});

	it('names only the reloaded party, also where a look at the next attempt comes after another party has followed it there', { timeout: SLOW_RUN_MS }, async () => {
		const session = 'rejoin-late-look';
		let lateLooks = 0;
		// Party 1's looks at attempt 1 reach the relay a second late, as a tab's request may wait for a connection.
		const late = (fetch: Fetch): Fetch => async (input, init) => {
			if (input.includes(`/participants/${attemptSession(session, 1)}?`)) {
				lateLooks++;
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
			return fetch(input, init);
		};
		const { parties, statuses } = await runWithReloads({ session, reloads: 1, fetchOf: (party, fetch) => (party === 1 ? late(fetch) : fetch) });
		for (const outcome of parties) expectValue(outcome, plaintextSum(INPUTS));
		expect(lateLooks).toBeGreaterThan(0);
		// By the time party 1's look arrived, party 0 had followed party 2 into attempt 1.
		for (const party of [0, 1]) expect(statuses[party].at(-1)).toMatchObject({ stage: 'done', attempt: 1, restarted: { attempt: 1, parties: [2] } });
	});

	it('reloaded twice, the parties converge on attempt 2', { timeout: 2 * SLOW_RUN_MS }, async () => {
		const { parties, statuses } = await runWithReloads({ session: 'rejoin-twice', reloads: 2 });
		for (const outcome of parties) expectValue(outcome, plaintextSum(INPUTS));
		for (const party of [0, 1]) expect(statuses[party].at(-1)).toMatchObject({ stage: 'done', attempt: 2, restarted: { attempt: 2, parties: [2] } });
	});

	it('is refused by a party that has begun revealing the output', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const session = 'rejoin-late';
		const key = newSessionKey();
		const common = { url: URL, session, key, timeoutMs: 5000, pollWaitMs: 200, program: SUM };
		const tab = killable(relay);
		const token = newSlotToken();
		let rejoined: Promise<Outcome<PartyResult>> | undefined;
		try {
			// Party 0 is about to send its output shares when party 2's tab reloads and rejoins.
			const beforeOutput = async () => {
				await tab.kill(session, 2, token);
				rejoined = settle(runParty({ ...common, fetch: relay.fetch, party: 2, input: INPUTS[2], attempt: 1 }));
			};
			const party0 = settle(runParty({ ...common, fetch: relay.fetch, party: 0, input: INPUTS[0], beforeOutput }));
			const party1 = settle(runParty({ ...common, fetch: relay.fetch, party: 1, input: INPUTS[1] }));
			const party2 = settle(runParty({ ...common, fetch: tab.fetch, party: 2, input: INPUTS[2], slotToken: token }));
			const refused = failure(await party0);
			expect(refused).toBeInstanceOf(RestartRefusedError);
			expect(refused.message).toMatch(/party 2 rejoined.*party 0 had already begun revealing the output/);
			// Party 1 cannot finish either way; party 2's rejoined run misses party 0.
			expect((await party1).ok).toBe(false);
			expect((await rejoined!).ok).toBe(false);
			void party2;
		} finally {
			tab.end();
			await relay.close();
		}
	});

	it(`stops after ${MAX_RESTARTS} restarts, naming the limit`, { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const session = 'rejoin-limit';
		const common: Omit<PartyOptions, 'party' | 'input'> = { url: URL, session, timeoutMs: 10_000, pollWaitMs: 200, program: SUM, fetch: relay.fetch, attempt: MAX_RESTARTS };
		try {
			const runs = INPUTS.map((input, party) => settle(runParty({ ...common, party, input })));
			// Parties 0 and 1 (again) in the attempt after the last one allowed: each party sees one besides itself.
			const client = new RelayClient({ url: URL, fetch: relay.fetch });
			for (const party of [0, 1]) await client.join(attemptSession(session, MAX_RESTARTS + 1), party, { token: newSlotToken() });
			for (const outcome of await Promise.all(runs)) {
				const error = failure(outcome);
				expect(error).toBeInstanceOf(RestartLimitError);
				expect(error.message).toMatch(new RegExp(`started again ${MAX_RESTARTS} times already`));
			}
			// And a tab that would rejoin after the last attempt is told so before it joins.
			await expect(runParty({ ...common, party: 0, input: INPUTS[0], attempt: MAX_RESTARTS + 1 })).rejects.toThrow(RestartLimitError);
		} finally {
			await relay.close();
		}
	});
});

describe('attempts', () => {
	it('are sessions of their own: a frame of attempt 0 does not open in attempt 1', async () => {
		const key = newSessionKey();
		const net = new MemoryNetwork();
		const sender = new PairSealedChannel(net.channel(0), { key, session: attemptSession('s', 0), party: 0 });
		const receiver = new PairSealedChannel(net.channel(1), { key, session: attemptSession('s', 1), party: 1 });
		await sender.sendBytesTo(1, new TextEncoder().encode('hello of attempt 0'));
		await expect(receiver.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('are named after the session, with a hashed stem where the name would be too long', () => {
		expect(attemptSession('abc', 0)).toBe('abc');
		expect(attemptSession('abc', 2)).toBe('abc.r2');
		const long = 'x'.repeat(127);
		const named = attemptSession(long, 1);
		expect(named.length).toBeLessThanOrEqual(128);
		expect(named).toMatch(/^[0-9a-f]{40}\.r1$/);
		expect(attemptSession(long, 1)).not.toBe(attemptSession(`${'x'.repeat(126)}y`, 1));
		// Where a returning participant says so: beside the attempt's session, never the same name.
		expect(restartCauseSession('abc', 2)).toBe('abc.r2.cause');
		const cause = restartCauseSession('x'.repeat(123), 1);
		expect(cause.length).toBeLessThanOrEqual(128);
		expect(cause).toMatch(/^[0-9a-f]{40}\.r1\.cause$/);
	});
});
