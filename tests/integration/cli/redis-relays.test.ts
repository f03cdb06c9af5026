// Issue 7's "done when" as a user runs it: three `polytune serve` instances share one Redis,
// and three `polytune party` processes, each talking only to its own relay, compute the seed's
// three-party sum — once with OT preprocessing and a session key, once with `polytune pre` on
// a fourth connection (the first relay).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import { formatSessionKey } from '../../../src/lib/party';
import { ROOT, runCli, startRedis, startRelay, type ProcessResult, type StartedRedis, type StartedRelay } from '../../helpers';

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

function plaintextSum(inputs: string[]): string {
	const program = compile(readFileSync(SUM, 'utf8'));
	const output = program.decodeOutput(evaluateCircuit(program.circuit, inputs.map((input, p) => program.encodeInput(p, input))));
	if (output.kind !== 'value') throw new Error(`the plaintext run panicked: ${output.message}`);
	return output.text;
}

const explain = (result: ProcessResult) => `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;

function expectResult(results: ProcessResult[], expected: string) {
	for (const result of results) {
		expect(result.code, explain(result)).toBe(0);
		expect(result.stdout.trim().split('\n').at(-1), explain(result)).toBe(`The result is ${expected}`);
	}
}

const partyOn = (relay: number, session: string, party: number, input: string, extra: string[]) =>
	runCli(['party', relays[relay].url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, ...extra]);

it('three CLI parties on three relays sharing one Redis compute the sum with OT, sealed', async () => {
	const inputs = ['3u32', '4000000000u32', '77u32'];
	const session = `redis-ot-${Date.now()}`;
	const key = `--key=${formatSessionKey(randomBytes(32))}`;
	const results = await Promise.all(inputs.map((input, party) => partyOn(party, session, party, input, [key, '--preprocessing=ot', '--quiet'])));
	expectResult(results, plaintextSum(inputs));
});

it('three CLI parties on three relays and the dealer compute the sum through one Redis', async () => {
	const inputs = ['2u32', '10u32', '100u32'];
	const session = `redis-dealer-${Date.now()}`;
	const dealer = runCli(['pre', relays[0].url, `--session=${session}`, '--parties=3']);
	const results = await Promise.all(inputs.map((input, party) => partyOn(2 - party, session, party, input, ['--preprocessing=dealer'])));
	expectResult(results, plaintextSum(inputs));
	const dealt = await dealer;
	expect(dealt.code, explain(dealt)).toBe(0);
});
