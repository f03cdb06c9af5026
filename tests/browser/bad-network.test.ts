// Issue 15 in the browser: three tabs compute the seed's sum through a network that loses,
// delays and repeats requests to the relay API and their answers (tests/helpers/fault-proxy.ts;
// pages and assets pass untouched). The tabs load the app through the proxy, so their Workers
// reach the relay through it too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LOSSY_NETWORK, missedFaults, plaintextResult, ROOT, startFaultProxy, startRedis, startRelay, type StartedRedis, type StartedRelay } from '../helpers';
import { createSession, join, resultOf, useTestbed } from './flows';

const SUM = readFileSync(`${ROOT}static/examples/sum.garble.rs`, 'utf8');

const testbed = useTestbed();
let redis: StartedRedis;
let redisRelay: StartedRelay;

beforeAll(async () => {
	redis = await startRedis();
	redisRelay = await startRelay({ args: ['--store', redis.url] });
});

afterAll(async () => {
	await redisRelay?.stop();
	await redis?.stop();
});

test.each(['memory', 'redis'] as const)('three tabs compute the sum through a network that loses, delays and repeats requests and answers (%s store)', async (store) => {
	const proxy = await startFaultProxy({ target: store === 'memory' ? testbed.relay.url : redisRelay.url, ...LOSSY_NETWORK });
	const tabs = [await testbed.browser.newTab(), await testbed.browser.newTab(), await testbed.browser.newTab()];
	try {
		const link = await createSession(tabs[0], proxy.url, { preprocessing: 'ot' });
		const inputs = ['12', '345', '6789'];
		await Promise.all(tabs.map((tab, party) => join(tab, link, party, inputs[party])));
		const expected = plaintextResult(SUM, inputs);
		const context = () => `fault seed ${proxy.seed}, ${JSON.stringify(proxy.tally)}`;
		const results = await Promise.all(tabs.map((tab) => resultOf(tab))).catch((error: unknown) => {
			throw new Error(context(), { cause: error });
		});
		expect(results, context()).toEqual([expected, expected, expected]);
		expect(proxy.tally.requests.exchange, context()).toBeGreaterThan(30);
		expect(missedFaults(proxy.tally), context()).toEqual([]);
		// Chromium logs each request the proxy cut off itself; those are expected here, nothing else is.
		testbed.browser.expectProblems(/net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)/);
	} finally {
		await Promise.all(tabs.map((tab) => tab.close()));
		await proxy.close();
	}
});
