import { afterEach, describe, expect, it } from 'vitest';
import { PollingHttpChannel } from '../../../src/lib/channel/http';
import { MailboxChannel } from '../../../src/lib/channel/mailbox';
import { openRelayChannel, type RelayChannel } from '../../../src/lib/channel/relay-channel';
import { newSlotToken, RelayClient } from '../../../src/lib/channel/relay-client';
import { bytes } from './expectations';
import { relayFetch, type RelayFetch, type RelayFetchOptions } from './relay-fetch';

let open: RelayFetch[] = [];
afterEach(async () => {
	await Promise.all(open.map((r) => r.close()));
	open = [];
});

/** Opens the channel of `party` (0 or 1) on `relay`, then joins with its token. */
async function opened(relay: RelayFetch, party: number): Promise<RelayChannel> {
	const client = new RelayClient({ url: 'http://relay.test', fetch: relay.fetch, retryWindowMs: 2000 });
	const token = newSlotToken();
	const offers = await client.capabilities('s');
	const channel = await openRelayChannel({ relay: client, session: 's', party, token, pollWaitMs: 500, senders: [1 - party], offers });
	await client.join('s', party, { token });
	return channel;
}

describe('openRelayChannel', () => {
	it.each([
		['our relay', {}, MailboxChannel, '/exchange/'],
		['our relay before the mailbox', { noMailbox: true }, PollingHttpChannel, '/send/'],
		['the original relay', { original: true }, PollingHttpChannel, '/send/']
	] as [string, RelayFetchOptions, unknown, string][])('on %s picks what it offers, and the parties talk through it', async (_, options, kind, route) => {
		const relay = relayFetch(options);
		open.push(relay);
		const [a, b] = [await opened(relay, 0), await opened(relay, 1)];
		expect(a).toBeInstanceOf(kind);
		await a.sendBytesTo(1, bytes(100));
		expect(await b.recvBytesFrom(0)).toEqual(bytes(100));
		await a.finish();
		expect(relay.requests.some((q) => q.path.startsWith(route))).toBe(true);
	});

	it('drains what an earlier run left only on a relay that does not clear a claimed slot', async () => {
		const relay = relayFetch({ original: true });
		open.push(relay);
		await relay.relay.send({ session: 's', from: 1, to: 0 }, bytes(5));
		await opened(relay, 0);
		expect(await relay.relay.recv({ session: 's', from: 1, to: 0 })).toBeNull();
	});
});
