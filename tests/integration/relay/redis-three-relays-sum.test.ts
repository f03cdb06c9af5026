// Issue 7's scale-out check: three relay instances share one Redis, and three parties, each
// talking only to its own relay, compute a sum. First on the raw relay API (additive secret
// sharing mod 2^32, as a client written for the original would), then as a user runs it:
// three `polytune party` processes compute the seed's three-party sum, with OT preprocessing
// and a session key, and with `polytune pre` as the dealer.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatSessionKey } from '../../../src/lib/party';
import { expectPartyResults, explainRun, plaintextResult, ROOT, runCli, startRedis, startRelay, type StartedRedis, type StartedRelay } from '../../helpers';

const SUM = `${ROOT}static/examples/sum.garble.rs`;

let redis: StartedRedis;
let relays: StartedRelay[] = [];

beforeAll(async () => {
	redis = await startRedis();
	relays = await Promise.all([0, 1, 2].map(() => startRelay({ args: ['--store', redis.url] })));
});

afterAll(async () => {
	await Promise.all(relays.map((relay) => relay.stop()));
	await redis?.stop();
});

const word = (value: number) => new Uint8Array(new Uint32Array([value >>> 0]).buffer);
const unword = (bytes: Uint8Array) => new Uint32Array(bytes.slice().buffer)[0];

/** Receives one message through a long poll, retrying only while the relay says "nothing yet". */
async function receive(url: string, session: string, from: number, to: number): Promise<Uint8Array> {
	for (;;) {
		const answer = await fetch(`${url}/recv/${session}/${from}/${to}?wait=5000`, { method: 'POST' });
		if (answer.status === 200) return new Uint8Array(await answer.arrayBuffer());
		if (answer.status !== 400 || answer.headers.get('x-relay-empty') !== '1') throw new Error(`recv: ${answer.status} ${await answer.text()}`);
	}
}

async function party(me: number, input: number, session: string, parties: number[]): Promise<number> {
	const url = relays[me].url;
	await fetch(`${url}/join/${session}/${me}`, { method: 'PUT' });
	while (((await (await fetch(`${url}/participants/${session}`)).json()) as number[]).length < parties.length) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const others = parties.filter((p) => p !== me);
	const shares = others.map(() => new Uint32Array(randomBytes(4).buffer)[0]);
	const own = shares.reduce((rest, share) => (rest - share) >>> 0, input >>> 0);
	await Promise.all(others.map((p, i) => fetch(`${url}/send/${session}/${me}/${p}`, { method: 'POST', body: word(shares[i]) })));
	let partial = own;
	for (const p of others) partial = (partial + unword(await receive(url, session, p, me))) >>> 0;
	await Promise.all(others.map((p) => fetch(`${url}/send/${session}/${me}/${p}`, { method: 'POST', body: word(partial) })));
	let sum = partial;
	for (const p of others) sum = (sum + unword(await receive(url, session, p, me))) >>> 0;
	return sum;
}

it('three parties on three relays sharing one Redis compute the sum of their inputs', async () => {
	const inputs = [123, 4_000_000_000, 77];
	const parties = [0, 1, 2];
	const session = `sum-${Date.now()}`;
	const results = await Promise.all(parties.map((p) => party(p, inputs[p], session, parties)));
	const expected = inputs.reduce((a, b) => (a + b) >>> 0, 0);
	expect(results).toEqual([expected, expected, expected]);
});

const plaintextSum = (inputs: string[]) => plaintextResult(readFileSync(SUM, 'utf8'), inputs);

const partyOn = (relay: number, session: string, party: number, input: string, extra: string[]) =>
	runCli(['party', relays[relay].url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, ...extra]);

it('three CLI parties on three relays sharing one Redis compute the sum with OT, sealed', async () => {
	const inputs = ['3u32', '4000000000u32', '77u32'];
	const session = `redis-ot-${Date.now()}`;
	const key = `--key=${formatSessionKey(randomBytes(32))}`;
	const results = await Promise.all(inputs.map((input, party) => partyOn(party, session, party, input, [key, '--preprocessing=ot', '--quiet'])));
	expectPartyResults(results, plaintextSum(inputs));
});

it('three CLI parties on three relays and the dealer compute the sum through one Redis', async () => {
	const inputs = ['2u32', '10u32', '100u32'];
	const session = `redis-dealer-${Date.now()}`;
	const dealer = runCli(['pre', relays[0].url, `--session=${session}`, '--parties=3']);
	const results = await Promise.all(inputs.map((input, party) => partyOn(2 - party, session, party, input, ['--preprocessing=dealer'])));
	expectPartyResults(results, plaintextSum(inputs));
	const dealt = await dealer;
	expect(dealt.code, explainRun(dealt)).toBe(0);
});
