// A participant's heartbeat (it joins again every 5 s, so that the relay lists it as active)
// while the relay does not answer: one join at a time, not one more every 5 s, each retrying
// for minutes and holding a listener on the run's stop signal; and none once it has left,
// where it would claim the slot again.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { JoinTimeoutError, runParty } from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { failure, settle, SUM } from './world';

describe('the heartbeat', () => {
	it('keeps one join in flight while the relay does not answer', { timeout: 30_000 }, async () => {
		const relay = relayFetch();
		let joins = 0;
		let hanging = 0;
		let most = 0;
		// The first join is answered; every later one hangs until its request is aborted.
		const fetch: Fetch = (input, init) => {
			if (init?.method !== 'PUT' || !new URL(input).pathname.startsWith('/join/') || joins++ === 0) return relay.fetch(input, init);
			most = Math.max(most, ++hanging);
			return new Promise((_, reject) =>
				init.signal?.addEventListener('abort', () => {
					hanging--;
					reject(init.signal!.reason);
				})
			);
		};
		try {
			// Parties 1 and 2 never come: party 0 waits, its heartbeat ticking at 5 and 10 s.
			const outcome = await settle(runParty({ url: 'http://relay.test', session: 'heartbeat', fetch, party: 0, program: SUM, input: '1u32', timeoutMs: 12_000, pollWaitMs: 200 }));
			expect(failure(outcome)).toBeInstanceOf(JoinTimeoutError);
			expect(joins).toBeGreaterThanOrEqual(2);
			expect(most).toBe(1);
		} finally {
			await relay.close();
		}
	});

	it('has no join on its way or retrying when the participant leaves, where it could claim the slot again', { timeout: 30_000 }, async () => {
		const relay = relayFetch();
		let joins = 0;
		let hanging = 0;
		let hangingAtLeave: number | undefined;
		// The first join is answered; every later one hangs (on its way, or retrying) until its request is aborted.
		const fetch: Fetch = (input, init) => {
			const { pathname } = new URL(input);
			if (pathname.startsWith('/join/') && init?.method === 'DELETE') hangingAtLeave ??= hanging;
			if (init?.method !== 'PUT' || !pathname.startsWith('/join/') || joins++ === 0) return relay.fetch(input, init);
			hanging++;
			return new Promise((_, reject) =>
				init.signal?.addEventListener('abort', () => {
					hanging--;
					reject(init.signal!.reason);
				})
			);
		};
		try {
			// Parties 1 and 2 never come: party 0's heartbeat at 5 s hangs until its timeout at 7 s.
			const outcome = await settle(runParty({ url: 'http://relay.test', session: 'heartbeat-left', fetch, party: 0, program: SUM, input: '1u32', timeoutMs: 7_000, pollWaitMs: 200 }));
			expect(failure(outcome)).toBeInstanceOf(JoinTimeoutError);
			expect(joins).toBeGreaterThanOrEqual(2);
			expect(hangingAtLeave).toBe(0);
		} finally {
			await relay.close();
		}
	});
});
