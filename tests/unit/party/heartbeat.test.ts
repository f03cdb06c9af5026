// A participant's heartbeat (it joins again every 5 s, so that the relay lists it as active)
// while the relay does not answer: one join at a time, not one more every 5 s, each retrying
// for minutes and holding a listener on the run's stop signal; and none once it has left,
// where it would claim the slot again.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { JoinTimeoutError, runParty } from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { failure, settle, SUM } from './world';

/** A relay whose first join is answered, and every later one hangs (on its way, or retrying) until its request is aborted; counts them. */
function hangingJoins() {
	const relay = relayFetch();
	const counts = { joins: 0, hanging: 0, most: 0, hangingAtLeave: undefined as number | undefined };
	const fetch: Fetch = (input, init) => {
		const { pathname } = new URL(input);
		if (pathname.startsWith('/join/') && init?.method === 'DELETE') counts.hangingAtLeave ??= counts.hanging;
		if (init?.method !== 'PUT' || !pathname.startsWith('/join/') || counts.joins++ === 0) return relay.fetch(input, init);
		counts.most = Math.max(counts.most, ++counts.hanging);
		return new Promise((_, reject) =>
			init.signal?.addEventListener('abort', () => {
				counts.hanging--;
				reject(init.signal!.reason);
			})
		);
	};
	return { relay, fetch, counts };
}

describe('the heartbeat', () => {
	it('keeps one join in flight while the relay does not answer', { timeout: 30_000 }, async () => {
		const { relay, fetch, counts } = hangingJoins();
		try {
			// Parties 1 and 2 never come: party 0 waits, its heartbeat ticking at 5 and 10 s.
			const outcome = await settle(runParty({ url: 'http://relay.test', session: 'heartbeat', fetch, party: 0, program: SUM, input: '1u32', timeoutMs: 12_000, pollWaitMs: 200 }));
			expect(failure(outcome)).toBeInstanceOf(JoinTimeoutError);
			expect(counts.joins).toBeGreaterThanOrEqual(2);
			expect(counts.most).toBe(1);
		} finally {
			await relay.close();
		}
	});

	it('has no join on its way or retrying when the participant leaves, where it could claim the slot again', { timeout: 30_000 }, async () => {
		const { relay, fetch, counts } = hangingJoins();
		try {
			// Parties 1 and 2 never come: party 0's heartbeat at 5 s hangs until its timeout at 7 s.
			const outcome = await settle(runParty({ url: 'http://relay.test', session: 'heartbeat-left', fetch, party: 0, program: SUM, input: '1u32', timeoutMs: 7_000, pollWaitMs: 200 }));
			expect(failure(outcome)).toBeInstanceOf(JoinTimeoutError);
			expect(counts.joins).toBeGreaterThanOrEqual(2);
			expect(counts.hangingAtLeave).toBe(0);
		} finally {
			await relay.close();
		}
	});
});
