// The polling channel and a whole party run against the real relay (`polytune serve`), in this process.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollingHttpChannel } from '../../../src/lib/channel/http';
import { MailboxChannel } from '../../../src/lib/channel/mailbox';
import { newSlotToken, RelayClient, SlotTakenError } from '../../../src/lib/channel/relay-client';
import { dealerPublicKey, newDealerGrant, newSessionKey, runDealerSession, runParty, type PartyStatus } from '../../../src/lib/party';
import { joinedParties, startRelay, type StartedRelay } from '../../helpers';

let relay: StartedRelay;

beforeAll(async () => {
	relay = await startRelay({ env: { RELAY_MAX_MESSAGE_BYTES: String(1024 * 1024) } });
});

afterAll(async () => {
	await relay?.stop();
});

const channel = (session: string, party: number) =>
	new PollingHttpChannel({ relay: new RelayClient({ url: relay.url }), session, party, maxChunkBytes: 4 * 1024 * 1024, pollWaitMs: 5000 });

describe('PollingHttpChannel against the relay', () => {
	it('carries a message larger than the relay accepts in one piece, and long-polls for the next', async () => {
		const [a, b] = [channel('big', 0), channel('big', 1)];
		const big = randomBytes(5 * 1024 * 1024 + 3);
		await a.sendBytesTo(1, big);
		// Buffer comparison: vitest's deep equality takes seconds on megabytes.
		expect(Buffer.from(await b.recvBytesFrom(0)).equals(big)).toBe(true);
		const started = Date.now();
		const pending = b.recvBytesFrom(0);
		setTimeout(() => void a.sendBytesTo(1, Uint8Array.of(1, 2, 3)), 300);
		expect([...(await pending)]).toEqual([1, 2, 3]);
		// Woken by the send, not by a polling interval.
		expect(Date.now() - started).toBeLessThan(1500);
	});
});

describe('MailboxChannel against the relay', () => {
	it('carries a message larger than the relay takes in one request, within the limit the relay announces, and long-polls for the next', async () => {
		const client = new RelayClient({ url: relay.url });
		const [tokenA, tokenB] = [newSlotToken(), newSlotToken()];
		await client.join('big-mail', 0, { token: tokenA });
		await client.join('big-mail', 1, { token: tokenB });
		const offers = await client.capabilities('big-mail');
		expect(offers).toEqual({ slotTokens: true, exchange: 1, holds: true, maxBytes: 1024 * 1024, participants: [0, 1] });
		const mailbox = (party: number, token: string) => new MailboxChannel({ relay: client, session: 'big-mail', party, token, maxRequestBytes: offers.maxBytes });
		const [a, b] = [mailbox(0, tokenA), mailbox(1, tokenB)];
		const big = randomBytes(5 * 1024 * 1024 + 3);
		await a.sendBytesTo(1, big);
		expect(Buffer.from(await b.recvBytesFrom(0)).equals(big)).toBe(true);
		const pending = b.recvBytesFrom(0);
		setTimeout(() => void a.sendBytesTo(1, Uint8Array.of(1, 2, 3)), 300);
		expect([...(await pending)]).toEqual([1, 2, 3]);
		await Promise.all([a.finish(), b.finish()]);
	});
});

describe('runParty and runDealerSession through the relay', () => {
	it('computes the three-party sum sealed with a key and the granted dealer, reporting status as it goes', async () => {
		const key = newSessionKey();
		const { secret } = newDealerGrant();
		const program = 'pub fn main(x: u32, y: u32, z: u32) -> u32 { x + y + z }';
		const statuses: PartyStatus[] = [];
		const session = 'sealed-sum';
		const dealer = runDealerSession({ url: relay.url, session, parties: 3, key, dealerSecret: secret, program: { source: program } });
		const runs = ['2u32', '10u32', '100u32'].map((input, party) =>
			runParty({ url: relay.url, session, party, program, input, key, dealer: dealerPublicKey(secret), onStatus: party === 0 ? (s) => statuses.push(s) : undefined })
		);
		const results = await Promise.all(runs);
		expect(results.map((r) => r.output)).toEqual(Array(3).fill({ kind: 'value', text: '112' }));
		expect(results.map((r) => r.preprocessing)).toEqual(['dealer', 'dealer', 'dealer']);
		expect(await dealer).toEqual({ used: true, forCircuit: true });
		expect(statuses[0]).toMatchObject({ stage: 'joining' });
		expect(statuses.at(-1)).toMatchObject({ stage: 'done', preprocessing: 'dealer' });
		expect(statuses.at(-1)!.bytesSent).toBeGreaterThan(0);
		// Everyone left at the end.
		const left = await fetch(`${relay.url}/participants/${session}`).then((r) => r.json());
		expect(left).toEqual([]);
	});

	it('tells the result before the party leaves, and resolves once it has left', async () => {
		const session = 'result-first';
		const program = 'pub fn main(x: u32, y: u32) -> u32 { x + y }';
		const events: string[] = [];
		const results = await Promise.all(
			['5u32', '6u32'].map((input, party) =>
				runParty({ url: relay.url, session, party, program, input, onResult: (result) => void events.push(`${party} heard ${JSON.stringify(result.output)}`) }).then(
					(result) => (events.push(`${party} resolved`), result)
				)
			)
		);
		expect(results.map((r) => r.output)).toEqual([
			{ kind: 'value', text: '11' },
			{ kind: 'value', text: '11' }
		]);
		for (const party of [0, 1]) {
			const heard = events.indexOf(`${party} heard {"kind":"value","text":"11"}`);
			expect(heard, events.join('; ')).toBeGreaterThanOrEqual(0);
			expect(events.indexOf(`${party} resolved`), events.join('; ')).toBeGreaterThan(heard);
		}
		expect(await joinedParties(relay.url, session)).toEqual([]);
	});

	it("starts afresh in a session an earlier run left messages in: claiming the slot drops them, nothing is drained", async () => {
		const session = 'leftovers';
		// What a crashed earlier run might leave: the first message of another stream, each way.
		for (const [from, to] of [[0, 1], [1, 0]]) {
			const frame = new Uint8Array(18 + 4);
			frame.set([1, 1], 0); // frame version 1, last chunk
			frame.set(randomBytes(8), 2); // another run's stream id; message 0, chunk 0
			expect((await fetch(`${relay.url}/send/${session}/${from}/${to}`, { method: 'POST', body: frame })).status).toBe(200);
		}
		const program = 'pub fn main(x: u32, y: u32) -> u32 { x + y }';
		const results = await Promise.all(['5u32', '6u32'].map((input, party) => runParty({ url: relay.url, session, party, program, input })));
		expect(results.map((r) => r.output)).toEqual([
			{ kind: 'value', text: '11' },
			{ kind: 'value', text: '11' }
		]);
	});

	it('stops a second run in a slot another run holds with SlotTakenError, and frees the slot when the holder stops', async () => {
		const session = 'held-slot';
		const program = 'pub fn main(x: u32, y: u32) -> u32 { x + y }';
		const holder = new AbortController();
		const first = runParty({ url: relay.url, session, party: 0, program, input: '1u32', signal: holder.signal }).catch((e: unknown) => e);
		await expect.poll(() => joinedParties(relay.url, session)).toEqual([0]);
		const second = await runParty({ url: relay.url, session, party: 0, program, input: '2u32' }).catch((e: unknown) => e);
		expect(second).toBeInstanceOf(SlotTakenError);
		expect(String(second)).toContain("slot 0 of session 'held-slot' is taken by another participant");
		expect(await joinedParties(relay.url, session)).toEqual([0]);
		holder.abort(new Error('stopped by the test'));
		expect(String(await first)).toContain('stopped by the test');
		expect(await joinedParties(relay.url, session)).toEqual([]);
		const results = await Promise.all(['3u32', '4u32'].map((input, party) => runParty({ url: relay.url, session, party, program, input })));
		expect(results.map((r) => r.output?.kind === 'value' && r.output.text)).toEqual(['7', '7']);
	});
});
