// Issue 15: the seed's three-party sum as separate `polytune party` processes through a bad
// network, with the memory store and with Redis.
// - A network that loses, delays and repeats requests and answers (tests/helpers/fault-proxy.ts),
//   sealed and not, with OT and with the dealer. Before the mailbox no such run finished: a
//   receive whose answer was lost had taken the message off the relay.
// - A party cut off at its proxy for a while in the middle of the run: it goes on where it was
//   once back, and the others wait, saying whom they wait for.
// - A relay killed (SIGKILL) and started again mid-run, or the parties sent to another relay on
//   the same Redis: with Redis nothing is lost and the run finishes; with the memory store every
//   party ends with an error that names the cause. The parties reach the relay through a proxy
//   without faults, which tells when the run is under way and can be pointed at another relay.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSessionKey } from '../../../src/lib/party';
import {
	explainRun,
	expectPartyResults,
	LOSSY_NETWORK,
	missedFaults,
	plaintextResult,
	ROOT,
	runCli,
	startFaultProxy,
	startRelay,
	useRelayOnEachStore,
	type FaultProxy,
	type ProcessResult,
	type StartedRelay
} from '../../helpers';

const SUM = `${ROOT}static/examples/sum.garble.rs`;
const sumOf = (inputs: string[]) => plaintextResult(readFileSync(SUM, 'utf8'), inputs);
const RUNS = [
	{ name: 'OT, plaintext', key: false, dealer: false },
	{ name: 'OT, sealed', key: true, dealer: false },
	{ name: 'the dealer, plaintext', key: false, dealer: true }
];
/** Exchanges through the proxy by which the three parties are well into the run (about a third of the seed sum's 40 with OT). */
const MID_RUN = 13;
const INPUTS = ['7u32', '11u32', '13u32'];

const stores = useRelayOnEachStore();
let sessions = 0;

const randomInput = () => `${Math.floor(Math.random() * 1_000_000_000)}u32`;

describe.each(['memory', 'redis'] as const)('the seed sum through a lossy network, %s store', (store) => {
	it(
		'finishes every run with the right result: lost, delayed and repeated requests and answers lose or double no message',
		async () => {
			const proxy = await startFaultProxy({ target: stores[store].url, ...LOSSY_NETWORK });
			try {
				// At the same time, each in its own session: most of a run is spent waiting out faults.
				await Promise.all(RUNS.map((run) => lossyRun(proxy, `lossy-${store}-${++sessions}`, run)));
				// The network did misbehave, in every way, while the parties talked through the mailbox.
				const { tally } = proxy;
				expect(tally.requests.exchange).toBeGreaterThan(100);
				expect(missedFaults(tally), JSON.stringify(tally)).toEqual([]);
			} finally {
				await proxy.close();
			}
		},
		300_000
	);
});

/** One run of the sum through `proxy`: every party prints the right result, the dealer (if any) exits 0. */
async function lossyRun(proxy: FaultProxy, session: string, run: (typeof RUNS)[number]): Promise<void> {
	const where = [proxy.url, `--session=${session}`];
	const args = [...(run.key ? [`--key=${formatSessionKey(randomBytes(32))}`] : []), '--timeout=90s', '-q'];
	const dealer = run.dealer ? runCli(['pre', ...where, ...args, '--parties=3'], { timeoutMs: 200_000 }) : undefined;
	const inputs = [randomInput(), randomInput(), randomInput()];
	const preprocessing = run.dealer ? ['--preprocessing=dealer'] : [];
	const parties = await Promise.all(
		inputs.map((input, party) => runCli(['party', ...where, ...args, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, ...preprocessing], { timeoutMs: 200_000 }))
	);
	const context = `${run.name}, fault seed ${proxy.seed}`;
	expectResults(parties, sumOf(inputs), context);
	if (dealer) expect((await dealer).code, `${context}\n${explainRun(await dealer)}`).toBe(0);
}

function expectResults(parties: ProcessResult[], expected: string, context: string): void {
	try {
		expectPartyResults(parties, expected);
	} catch (error) {
		throw new Error(`${context}\n${parties.map(explainRun).join('\n---\n')}`, { cause: error });
	}
}

/**
 * How long the test cuts a party off: long enough for every timer that could end a run early
 * to show (the others' presence checks every 10 s, the retries' backoff of up to 5 s), short
 * enough for CI. docs/relay.md promises 60 s.
 */
const OFFLINE_MS = 20_000;
/** Exchanges of the party that goes offline by which it is past the handshake. */
const PAST_HANDSHAKE = 6;

describe('a party offline for a while', () => {
	it('goes on where it was once its network is back; the others wait, saying whom they wait for', async () => {
		// A proxy of its own for each party: the network of party 2 goes away, the others' stays.
		const proxies = await Promise.all(INPUTS.map(() => startFaultProxy({ target: stores.memory.url })));
		try {
			const session = `offline-${++sessions}`;
			const parties = INPUTS.map((input, party) =>
				runCli(['party', proxies[party].url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, '--timeout=90s'], { timeoutMs: 200_000 })
			);
			await Promise.race([proxies[2].requestsReach('exchange', PAST_HANDSHAKE), Promise.all(parties)]);
			proxies[2].cut();
			const before = proxies[0].tally.requests.exchange ?? 0;
			await new Promise((resolve) => setTimeout(resolve, OFFLINE_MS));
			proxies[2].restore();
			const results = await Promise.all(parties);
			expectPartyResults(results, sumOf(INPUTS));
			// The run was under way: the others went on exchanging messages after party 2 came back.
			expect((proxies[0].tally.requests.exchange ?? 0) - before, 'exchanges of party 0 after the cut').toBeGreaterThan(3);
			for (const party of [0, 1]) expect(results[party].stderr, explainRun(results[party])).toMatch(/^party \d: .* waiting for party 2, silent for 5 s or more$/m);
		} finally {
			await Promise.all(proxies.map((proxy) => proxy.close()));
		}
	});
});

/** Relays the restart tests start (and kill) themselves. */
let relays: StartedRelay[] = [];

afterAll(async () => {
	await Promise.all(relays.map((relay) => relay.stop()));
});

async function relay(options: Parameters<typeof startRelay>[0] = {}): Promise<StartedRelay> {
	const started = await startRelay(options);
	relays.push(started);
	return started;
}

/**
 * The seed sum's three parties through `proxy`; `midRun` runs once the run is under way.
 * Resolves with their results and the number of exchanges that came after `midRun`.
 */
async function sumThrough(proxy: FaultProxy, midRun: () => Promise<void>): Promise<{ parties: ProcessResult[]; after: number }> {
	const session = `restart-${++sessions}`;
	const parties = INPUTS.map((input, party) =>
		runCli(['party', proxy.url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, '--timeout=90s', '-q'], { timeoutMs: 150_000 })
	);
	await Promise.race([proxy.requestsReach('exchange', MID_RUN), Promise.all(parties)]);
	await midRun();
	const before = proxy.tally.requests.exchange ?? 0;
	const results = await Promise.all(parties);
	return { parties: results, after: (proxy.tally.requests.exchange ?? 0) - before };
}

/** Kills the relay without a chance to clean up, and starts it again on the same port with the same store. */
async function restart(old: StartedRelay, args: string[] = []): Promise<void> {
	await old.process.stop('SIGKILL');
	relays = relays.filter((r) => r !== old);
	await relay({ port: old.port, args });
}

describe('a relay restart in the middle of a run', () => {
	it('loses nothing with the Redis store: the parties finish with the right result', async () => {
		const store = ['--store', stores.redisServer.url];
		const first = await relay({ args: store });
		const proxy = await startFaultProxy({ target: first.url });
		try {
			const { parties, after } = await sumThrough(proxy, () => restart(first, store));
			expect(after, 'exchanges with the restarted relay').toBeGreaterThan(10);
			expectPartyResults(parties, sumOf(INPUTS));
		} finally {
			await proxy.close();
		}
	});

	it('loses nothing when the parties are sent to another relay on the same Redis', async () => {
		const store = ['--store', stores.redisServer.url];
		const [one, other] = await Promise.all([relay({ args: store }), relay({ args: store })]);
		const proxy = await startFaultProxy({ target: one.url });
		try {
			const { parties, after } = await sumThrough(proxy, async () => proxy.retarget(other.url));
			expect(after, 'exchanges with the other relay').toBeGreaterThan(10);
			expectPartyResults(parties, sumOf(INPUTS));
		} finally {
			await proxy.close();
		}
	});

	it('ends every party with an error naming the cause with the memory store, which forgets the session', async () => {
		const first = await relay();
		const proxy = await startFaultProxy({ target: first.url });
		try {
			const { parties } = await sumThrough(proxy, () => restart(first));
			for (const party of parties) {
				expect(party.code, explainRun(party)).toBe(1);
				expect(party.stderr, explainRun(party)).toMatch(
					/the relay at http:\/\/127\.0\.0\.1:\d+ lost session 'restart-\d+' during the run \(.*\): it restarted without a shared store, or its store lost its data/
				);
				expect(party.stdout).not.toContain('The result is');
			}
		} finally {
			await proxy.close();
		}
	});
});
