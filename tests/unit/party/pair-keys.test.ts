// Issue 12, finding 4: every pair has its own keys, so holding the session key does not let a
// participant read (or forge) what two others send each other.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/lib/channel/channel';
import { LAST_PIECE, PIECE_HEADER_BYTES } from '../../../src/lib/channel/mailbox-inbox';
import { decodeRequest } from '../../../src/lib/channel/mailbox-wire';
import type { Fetch } from '../../../src/lib/channel/relay-client';
import { SealedChannel, SealError } from '../../../src/lib/channel/sealed';
import { newSessionKey, runParty } from '../../../src/lib/party';
import { relayFetch } from '../channel/relay-fetch';
import { SLOW_RUN_MS, SUM } from './world';

/** What passed through the relay between two parties (mailbox frame payloads by sequence number), as a channel that hands it out in order. */
function replayQueue(frames: ReadonlyMap<number, Uint8Array>): Channel {
	let next = 1;
	return {
		sendBytesTo: () => Promise.reject(new Error('read only')),
		recvBytesFrom: async () => {
			const frame = frames.get(next++);
			if (!frame) throw new Error('no more messages');
			expect(frame[0] & LAST_PIECE, 'a message in one frame').toBe(LAST_PIECE);
			return frame.subarray(PIECE_HEADER_BYTES);
		}
	};
}

describe('per-pair keys', () => {
	it('a third key holder, left out of the output, cannot open what parties 0 and 1 send each other', { timeout: SLOW_RUN_MS }, async () => {
		const relay = relayFetch();
		const session = 'pairs';
		const key = newSessionKey();
		const wire = new Map<string, Map<number, Uint8Array>>();
		// Everything the relay holds, as anyone who can read its mailboxes (or its memory) sees it.
		const tap: Fetch = async (input, init) => {
			const match = new RegExp(`^/exchange/${session}/(\\d+)$`).exec(new URL(input).pathname);
			for (const { peer, seq, payload } of match && init?.body ? decodeRequest(init.body as Uint8Array) : []) {
				const direction = `${match![1]}>${peer}`;
				if (!wire.has(direction)) wire.set(direction, new Map());
				wire.get(direction)!.set(seq, payload.slice());
			}
			return relay.fetch(input, init);
		};
		try {
			const results = await Promise.all(
				['5u32', '6u32', '7u32'].map((input, party) =>
					runParty({ url: 'http://relay.test', session, key, fetch: tap, pollWaitMs: 200, party, program: SUM, input, outputParties: [0, 1] })
				)
			);
			expect(results.map((r) => r.output)).toEqual([{ kind: 'value', text: '18' }, { kind: 'value', text: '18' }, undefined]);
		} finally {
			await relay.close();
		}

		for (const [from, to] of [
			[0, 1],
			[1, 0]
		]) {
			const frames = wire.get(`${from}>${to}`)!;
			// Handshake, OT, garbling, output shares: far more than the opening hello.
			expect(frames.size).toBeGreaterThan(5);
			// Party 2 holds the session key and derives what it can for the direction, as its receiver would.
			const eavesdropper = new SealedChannel(replayQueue(frames), { key, session, party: to });
			const hello = JSON.parse(new TextDecoder().decode((await eavesdropper.recvBytesFrom(from)).subarray(0, -1))) as { kind: string; party: number };
			expect(hello).toMatchObject({ kind: 'hello', party: from });
			const next = await eavesdropper.recvBytesFrom(from).catch((error: unknown) => error);
			expect(next).toBeInstanceOf(SealError);
		}
	});
});
