// What every channel through the relay must do, checked the same way for each.
import { expect } from 'vitest';
import type { Channel } from '../../../src/lib/channel/channel';
import { PeerTimeoutError } from '../../../src/lib/channel/http';

/** A receive from party 2, which never sends, fails after the channel's 300 ms timeout, naming the party and the phase. */
export async function expectSilenceTimeout(channel: Channel): Promise<void> {
	const started = Date.now();
	const error = await channel.recvBytesFrom(2, { phase: 'input processing' }).catch((e: unknown) => e);
	expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	expect(error).toBeInstanceOf(PeerTimeoutError);
	expect(String(error)).toContain('timed out waiting for party 2 (input processing): nothing arrived for 300 ms');
}

/** Test data: `length` bytes that depend on `seed`. */
export const bytes = (length: number, seed = 0) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 255);

/** Sends 3, 0, 4321 and 982 bytes from party 0 (`a`) to party 1 (`b`), not awaited one by one, and one byte back; each arrives whole and in order. */
export async function expectInOrderBothWays(a: Channel, b: Channel): Promise<void> {
	const messages = [bytes(3), new Uint8Array(0), bytes(4321, 5), bytes(982, 7)];
	await Promise.all(messages.map((m) => a.sendBytesTo(1, m)));
	await b.sendBytesTo(0, Uint8Array.of(42));
	for (const m of messages) expect(await b.recvBytesFrom(0)).toEqual(m);
	expect([...(await a.recvBytesFrom(1))]).toEqual([42]);
}
