// A relay that stops answering mid-run: the status says the relay is away (and why), instead of
// naming the peers as silent, and the run goes on once the relay is back.
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { runParty, type PartyStatus } from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { settle, SLOW_RUN_MS, SUM, value } from './world';

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a relay away mid-run', () => {
	it('is named in the status, with why, and the run finishes once it is back', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		let away = false;
		// Party 0's network: while `away`, every request fails as a refused connection does.
		const refused: Fetch = (input, init) => {
			if (!away) return relay.fetch(input, init);
			return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
		};
		const statuses: PartyStatus[] = [];
		const common = { url: 'http://relay.test', session: 'relay-away', pollWaitMs: 200, program: SUM, timeoutMs: 60_000 };
		try {
			const runs = ['1u32', '20u32', '300u32'].map((input, party) =>
				settle(runParty({ ...common, party, input, fetch: party === 0 ? refused : relay.fetch, ...(party === 0 ? { onStatus: (s: PartyStatus) => statuses.push(s) } : {}) }))
			);
			await until(() => statuses.some((s) => s.stage === 'preprocessing'));
			away = true;
			await until(() => statuses.some((s) => s.relayUnreachable !== undefined));
			const said = statuses.find((s) => s.relayUnreachable !== undefined)!;
			expect(said.relayUnreachable).toBe('connection refused');
			expect(said.waitingFor).toBeUndefined();
			away = false;
			const outcomes = await Promise.all(runs);
			expect(outcomes.map(value)).toEqual(['321', '321', '321']);
			// Once the relay answered again, the status said so no more.
			expect(statuses.at(-1)!.relayUnreachable).toBeUndefined();
		} finally {
			await relay.close();
		}
	});
});
