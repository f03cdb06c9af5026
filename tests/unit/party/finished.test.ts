// A participant that finished a run says so where a page opened later looks (finishedSession),
// so that a newcomer is told the run is over rather than waiting for parties that left.
import { describe, expect, it } from 'vitest';
import { RelayClient } from '../../../src/lib/channel/relay-client';
import { newSessionKey, runParty } from '../../../src/lib/party';
import { finishedSession } from '../../../src/lib/party/attempts';
import { relayFetch } from '../channel/relay-fetch';
import { failure, settle, SUM } from './world';

const URL = 'http://relay.test';

describe('a finished run', () => {
	it('is told in the session.done list by every party that finished it, and by none that did not', async () => {
		const relay = relayFetch();
		try {
			const common = { url: URL, fetch: relay.fetch, key: newSessionKey(), timeoutMs: 30_000, pollWaitMs: 200, program: SUM };
			const done = await Promise.all([0, 1, 2].map((party) => settle(runParty({ ...common, session: 'ran', party, input: `${party + 1}u32` }))));
			for (const outcome of done) if (!outcome.ok) throw outcome.error;
			const client = new RelayClient({ url: URL, fetch: relay.fetch });
			expect(await client.participants(finishedSession('ran'))).toEqual([0, 1, 2]);

			// A run that stops before its result (here: cancelled while it waits for the others) says nothing.
			const stop = new AbortController();
			const cancelled = settle(runParty({ ...common, session: 'stopped', party: 0, input: '1u32', signal: stop.signal }));
			await expect.poll(() => client.participants('stopped')).toEqual([0]);
			stop.abort(new Error('closed'));
			expect(failure(await cancelled).message).toBe('closed');
			expect(await client.participants(finishedSession('stopped'))).toEqual([]);
			expect(finishedSession('abc')).toBe('abc.done');
		} finally {
			await relay.close();
		}
	});
});
