// The marks a party sets: once its circuit is ready (bench:relay takes it as the end of a
// party's start-up: the in-process engine's clock starts from a ready circuit) and once its run
// is set up with the others (the end of the handshake); DevTools shows them.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { decodeRequest } from '../../../src/lib/channel/mailbox-wire';
import { CIRCUIT_READY_MARK, SET_UP_MARK } from '../../../src/lib/party/marks';
import { runParty } from '../../../src/lib/party/session';
import { relayFetch } from '../channel/relay-fetch';
import { SLOW_RUN_MS, SUM } from './world';

describe('the marks of a party', () => {
	it('are set once per party: the circuit ready after its first request and before its first message, the set-up after every hello and before the result', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const marksBefore = (name: string) => performance.getEntriesByName(name, 'mark').length;
		const [readyBefore, setUpBefore] = [marksBefore(CIRCUIT_READY_MARK), marksBefore(SET_UP_MARK)];
		let firstRequest = Infinity;
		let firstFrames = Infinity;
		const tap: Fetch = async (input, init) => {
			firstRequest = Math.min(firstRequest, performance.now());
			const exchange = /^\/exchange\//.test(new URL(input).pathname);
			if (exchange && init?.body && decodeRequest(init.body as Uint8Array).length > 0) firstFrames = Math.min(firstFrames, performance.now());
			return relay.fetch(input, init);
		};
		let results: number;
		try {
			await Promise.all(['1u32', '2u32', '3u32'].map((input, party) => runParty({ url: 'http://relay.test', session: 'ready', fetch: tap, pollWaitMs: 200, party, program: SUM, input })));
			results = performance.now();
		} finally {
			await relay.close();
		}
		const ready = performance.getEntriesByName(CIRCUIT_READY_MARK, 'mark').slice(readyBefore);
		const setUp = performance.getEntriesByName(SET_UP_MARK, 'mark').slice(setUpBefore);
		expect(ready).toHaveLength(3);
		expect(setUp).toHaveLength(3);
		for (const mark of ready) {
			expect(mark.startTime).toBeGreaterThan(firstRequest);
			expect(mark.startTime).toBeLessThan(firstFrames);
		}
		// Every party's hello leaves after its circuit is ready, and a handshake needs every hello.
		const lastReady = Math.max(...ready.map((mark) => mark.startTime));
		for (const mark of setUp) {
			expect(mark.startTime).toBeGreaterThan(lastReady);
			expect(mark.startTime).toBeLessThan(results);
		}
	});
});
