// A participant that finished a run says so where a page opened later looks (finishedSession),
// so that a newcomer is told the run is over rather than waiting for parties that left.
import { describe, expect, it } from 'vitest';
import { RelayClient } from '../../../src/lib/channel/relay-client';
import { newSessionKey, runParty, type PartyStatus } from '../../../src/lib/party';
import { finishedSession } from '../../../src/lib/party/attempts';
import { relayFetch } from '../channel/relay-fetch';
import { failure, settle, SUM } from './world';

const URL = 'http://relay.test';

describe('a finished run', () => {
	it('is told in the session.done list by every party that finished it (and by none that did not), and to a party that joins the session again', async () => {
		const relay = relayFetch();
		try {
			const common = { url: URL, fetch: relay.fetch, key: newSessionKey(), timeoutMs: 30_000, pollWaitMs: 200, program: SUM };
			const done = await Promise.all([0, 1, 2].map((party) => settle(runParty({ ...common, session: 'ran', party, input: `${party + 1}u32` }))));
			for (const outcome of done) if (!outcome.ok) throw outcome.error;
			const client = new RelayClient({ url: URL, fetch: relay.fetch });
			expect(await client.participants(finishedSession('ran'))).toEqual([0, 1, 2]);

			// A party that joins the session again hears, while it waits, who ran it before.
			const again = new AbortController();
			const waiting: PartyStatus[] = [];
			const rerun = settle(runParty({ ...common, session: 'ran', party: 1, input: '5u32', signal: again.signal, onStatus: (status) => waiting.push(status) }));
			await expect.poll(() => waiting.find((status) => status.stage === 'waiting')?.ranBefore).toEqual([0, 1, 2]);
			again.abort(new Error('enough'));
			await rerun;

			// A run that stops before its result (here: cancelled while it waits for the others) says nothing.
			const stop = new AbortController();
			const cancelled = settle(runParty({ ...common, session: 'stopped', party: 0, input: '1u32', signal: stop.signal }));
			await expect.poll(() => client.participants('stopped')).toEqual([0]);
			stop.abort(new Error('closed'));
			expect(failure(await cancelled).message).toBe('closed');
			expect(await client.participants(finishedSession('stopped'))).toEqual([]);
			const fresh: PartyStatus[] = [];
			const other = new AbortController();
			const first = settle(runParty({ ...common, session: 'fresh', party: 0, input: '1u32', signal: other.signal, onStatus: (status) => fresh.push(status) }));
			await expect.poll(() => fresh.some((status) => status.stage === 'waiting')).toBe(true);
			expect(fresh.every((status) => status.ranBefore === undefined)).toBe(true);
			other.abort(new Error('enough'));
			await first;
			expect(finishedSession('abc')).toBe('abc.done');
		} finally {
			await relay.close();
		}
	});
});
