// The mark a party sets once its circuit is ready: bench:relay takes it as the end of a party's
// start-up (the in-process engine's clock starts from a ready circuit), DevTools shows it.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { decodeRequest } from '../../../src/lib/channel/mailbox-wire';
import { CIRCUIT_READY_MARK, runParty } from '../../../src/lib/party/session';
import { relayFetch } from '../channel/relay-fetch';
import { SLOW_RUN_MS, SUM } from './world';

describe('the circuit-ready mark', () => {
	it('is set once per party, after its first request and before its first protocol message', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const before = performance.getEntriesByName(CIRCUIT_READY_MARK, 'mark').length;
		let firstRequest = Infinity;
		let firstFrames = Infinity;
		const tap: Fetch = async (input, init) => {
			firstRequest = Math.min(firstRequest, performance.now());
			const exchange = /^\/exchange\//.test(new URL(input).pathname);
			if (exchange && init?.body && decodeRequest(init.body as Uint8Array).length > 0) firstFrames = Math.min(firstFrames, performance.now());
			return relay.fetch(input, init);
		};
		try {
			await Promise.all(['1u32', '2u32', '3u32'].map((input, party) => runParty({ url: 'http://relay.test', session: 'ready', fetch: tap, pollWaitMs: 200, party, program: SUM, input })));
		} finally {
			await relay.close();
		}
		const marks = performance.getEntriesByName(CIRCUIT_READY_MARK, 'mark').slice(before);
		expect(marks).toHaveLength(3);
		for (const mark of marks) {
			expect(mark.startTime).toBeGreaterThan(firstRequest);
			expect(mark.startTime).toBeLessThan(firstFrames);
		}
	});
});
