// The mailbox endpoint and the participants long poll over HTTP (issues 13 and 15): the built
// relay (`polytune serve`), with the memory store and with Redis.
import { describe, expect, it } from 'vitest';
import { decodeAnswer, encodeRequest, type MailAnswer, type MailFrame } from '../../../src/lib/channel/mailbox-wire';
import { newSlotToken } from '../../../src/lib/channel/relay-client';
import { useRelayOnEachStore } from '../../helpers';

const LIMIT = 100_000;
const relays = useRelayOnEachStore({ env: { RELAY_MAX_MESSAGE_BYTES: String(LIMIT) } });

let counter = 0;
/** A new session name per test, so tests on a shared relay never meet. */
const fresh = () => `mail${++counter}-${Date.now()}`;
const text = (s: string) => new TextEncoder().encode(s);
const frame = (peer: number, seq: number, payload: string): MailFrame => ({ peer, seq, payload: text(payload) });
const seen = (answer: MailAnswer) => answer.frames.map((f) => `${f.peer}#${f.seq}:${new TextDecoder().decode(f.payload)}`);

describe.each(['memory', 'redis'] as const)('the mailbox over HTTP, %s store', (store) => {
	const base = () => relays[store].url;
	/** Joins parties 0, 1 and 2 of a fresh session with tokens of their own. */
	async function session() {
		const name = fresh();
		const tokens = [newSlotToken(), newSlotToken(), newSlotToken()];
		for (const [party, token] of tokens.entries()) {
			expect((await fetch(`${base()}/join/${name}/${party}`, { method: 'PUT', headers: { 'X-Relay-Token': token } })).status).toBe(200);
		}
		/** One raw exchange of `party`: the body as given, the query after `?`, its slot token (null: none). */
		const raw = (party: number, body: Uint8Array, query = '', token: string | null = tokens[party]) =>
			fetch(`${base()}/exchange/${name}/${party}${query ? `?${query}` : ''}`, {
				method: 'POST',
				body: body as Uint8Array<ArrayBuffer>,
				headers: token === null ? {} : { 'X-Relay-Token': token }
			});
		const exchange = async (party: number, frames: MailFrame[] = [], query = '') => {
			const answer = await raw(party, encodeRequest(frames), query);
			expect(answer.status, await answer.clone().text()).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/octet-stream');
			return decodeAnswer(new Uint8Array(await answer.arrayBuffer()));
		};
		return { name, tokens, raw, exchange };
	}

	it('tells clients on the participant list that it has the mailbox, and its size limit', async () => {
		const answer = await fetch(`${base()}/participants/${fresh()}`);
		expect(answer.headers.get('x-relay-exchange')).toBe('1');
		expect(answer.headers.get('x-relay-max-bytes')).toBe(String(LIMIT));
		expect(answer.headers.get('x-relay-slot-tokens')).toBe('1');
	});

	it('passes frames from anyone to a party, keeps them until acknowledged, and stores a retried frame once', async () => {
		const { exchange } = await session();
		await exchange(0, [frame(2, 1, 'zero one'), frame(1, 1, 'to one'), frame(2, 2, 'zero two')]);
		await exchange(1, [frame(2, 1, 'one one')]);
		const first = await exchange(2);
		expect(seen(first)).toEqual(['0#1:zero one', '1#1:one one', '0#2:zero two']);
		expect(first.epoch).toMatch(/^[0-9a-f]{16}$/);
		// The answer was "lost": asking again gives the same frames; a retried send changes nothing.
		await exchange(0, [frame(2, 2, 'zero two')]);
		const again = await exchange(2);
		expect(seen(again)).toEqual(seen(first));
		expect(again.epoch).toBe(first.epoch);
		expect(seen(await exchange(2, [], 'ack=0:1,1:1'))).toEqual(['0#2:zero two']);
		expect(seen(await exchange(2, [], 'ack=0:2'))).toEqual([]);
	});

	it('passes frames that arrive in several chunks byte for byte, beside small ones in the same body', async () => {
		const { exchange } = await session();
		const payload = (length: number, step: number) => new Uint8Array(length).map((_, i) => (i * step + (i >> 8)) & 0xff);
		const sent: MailFrame[] = [
			{ peer: 1, seq: 1, payload: payload(70_000, 7) },
			{ peer: 2, seq: 1, payload: payload(5, 3) },
			{ peer: 2, seq: 2, payload: payload(25_001, 11) }
		];
		await exchange(0, sent);
		const toOne = await exchange(1);
		const toTwo = await exchange(2);
		expect(toOne.frames.map(({ peer, seq, payload }) => ({ peer, seq, payload }))).toEqual([{ peer: 0, seq: 1, payload: sent[0].payload }]);
		expect(toTwo.frames.map(({ peer, seq, payload }) => ({ peer, seq, payload }))).toEqual([
			{ peer: 0, seq: 1, payload: sent[1].payload },
			{ peer: 0, seq: 2, payload: sent[2].payload }
		]);
	});

	it('waits for a frame from anyone (long poll) and keeps frames for a client that left during the wait', async () => {
		const { name, tokens, exchange, raw } = await session();
		const gone = new AbortController();
		const headers = { 'X-Relay-Token': tokens[1] };
		const left = fetch(`${base()}/exchange/${name}/1?wait=5000`, { method: 'POST', headers, signal: gone.signal }).catch(() => 'aborted');
		setTimeout(() => gone.abort(), 50);
		expect(await left).toBe('aborted');
		const waiting = exchange(1, [], 'wait=10000');
		setTimeout(() => void exchange(2, [frame(1, 1, 'late')]), 200);
		expect(seen(await waiting)).toEqual(['2#1:late']);
		const waitingAgain = raw(1, new Uint8Array(0), 'wait=10000&ack=2:1');
		setTimeout(() => void exchange(0, [frame(1, 1, 'later')]), 200);
		expect(seen(decodeAnswer(new Uint8Array(await (await waitingAgain).arrayBuffer())))).toEqual(['0#1:later']);
		await exchange(2, [frame(1, 2, 'with it')]);
		expect(seen(await exchange(1, [], 'wait=10000&ack=0:1,2:1&for=0,2'))).toEqual(['2#2:with it']);
	});

	it('caps an answer at ?max= bytes and says that more is waiting', async () => {
		const { exchange } = await session();
		await exchange(0, [frame(1, 1, 'a'.repeat(600)), frame(1, 2, 'b'.repeat(600))]);
		const capped = await exchange(1, [], 'max=1000');
		expect(capped.frames.map((f) => f.seq)).toEqual([1]);
		expect(capped.more).toBe(true);
		expect((await exchange(1, [], 'ack=0:1')).more).toBe(false);
	});

	it('refuses what it cannot take, with a reason that names the field', async () => {
		const { raw, tokens } = await session();
		const refusal = async (response: Promise<Response>) => {
			const answer = await response;
			return { status: answer.status, text: await answer.text(), reason: answer.headers.get('x-relay-refusal') };
		};
		expect(await refusal(raw(1, new Uint8Array(0), '', null))).toMatchObject({ status: 401, reason: 'token-missing' });
		expect(await refusal(raw(1, new Uint8Array(0), '', tokens[0]))).toMatchObject({ status: 403, reason: 'token-wrong' });
		expect(await refusal(raw(1, Uint8Array.of(7, 0)))).toEqual({
			status: 400,
			text: 'bad exchange body: mailbox request of version 7: this side reads version 1',
			reason: null
		});
		const cut = encodeRequest([frame(2, 1, 'cut short')]).subarray(0, 14);
		expect((await refusal(raw(1, cut))).text).toBe('bad exchange body: mailbox request: frame 1 is cut off (it declares 9 bytes, 4 follow)');
		expect((await refusal(raw(1, encodeRequest([frame(2, 0, 'x')])))).text).toContain('frame 1 has sequence number 0 (they start at 1)');
		expect((await refusal(raw(1, encodeRequest([frame(1, 1, 'x')])))).text).toBe('bad exchange body: frame 1 is addressed to party 1 itself');
		expect(await refusal(raw(1, new Uint8Array(0), 'ack=0-3'))).toMatchObject({ status: 400, text: expect.stringContaining('bad ack "0-3"') });
		expect((await refusal(raw(1, new Uint8Array(0), 'ack=0:1,0:2'))).text).toBe('bad ack: party 0 is acknowledged twice');
		expect((await refusal(raw(1, new Uint8Array(0), 'max=lots'))).text).toContain('bad max "lots": must be a whole number of bytes');
		const tooBig = await refusal(raw(1, encodeRequest([{ peer: 2, seq: 1, payload: new Uint8Array(LIMIT) }])));
		expect(tooBig.status).toBe(413);
		expect(tooBig.text).toContain('RELAY_MAX_MESSAGE_BYTES');
	});

	it('answers a wait for participants once the list differs from the one the client knows', async () => {
		const s = fresh();
		expect((await fetch(`${base()}/join/${s}/0`, { method: 'PUT' })).status).toBe(200);
		expect(await (await fetch(`${base()}/participants/${s}?wait=5000`)).json()).toEqual([0]);
		const waiting = fetch(`${base()}/participants/${s}?wait=10000&known=0`).then((answer) => answer.json());
		setTimeout(() => void fetch(`${base()}/join/${s}/2`, { method: 'PUT' }), 200);
		expect(await waiting).toEqual([0, 2]);
		expect((await fetch(`${base()}/participants/${s}?wait=5000&known=0,x`)).status).toBe(400);
	});

	it('reports sessions, queued bytes and the state of its store', async () => {
		const { exchange } = await session();
		await exchange(0, [frame(1, 1, '12345')]);
		const health = await (await fetch(`${base()}/health`)).json();
		expect(health).toMatchObject({ ok: true, store, storeStatus: 'ok' });
		expect(health.sessions).toBeGreaterThanOrEqual(1);
		expect(health.queuedBytes).toBeGreaterThanOrEqual(5);
	});
});
