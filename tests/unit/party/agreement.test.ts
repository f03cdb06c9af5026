import { describe, expect, it } from 'vitest';
import type { Interceptor } from '../../../src/lib/channel/memory';
import { batchStream } from '../../../src/lib/mpc/streams';
import { OtCheckError } from '../../../src/lib/ot/errors';
import { MismatchError } from '../../../src/lib/party';
import { failure, runAll, SLOW_RUN_MS, sum, world } from './world';

const ABORT_TAG = 0xff;
const HANDSHAKE_MESSAGES = 3; // hello, base-OT answer, confirm

describe('the run before the confirms have matched', { timeout: SLOW_RUN_MS }, () => {
	it('sends nothing but its first round (OT extension, coin commitments) when a party saw other hellos', async () => {
		// The relay (no session key here) changes party 2's hello to party 0 only: party 0's
		// transcript differs from the others', which the confirms show.
		const tags = new Map<string, number[]>();
		const interceptor: Interceptor = (from, to, bytes, index) => {
			const key = `${from}>${to}`;
			tags.set(key, [...(tags.get(key) ?? []), bytes[bytes.length - 1]]);
			if (from === 2 && to === 0 && index === 0) {
				const text = new TextDecoder().decode(bytes.subarray(0, -1));
				const at = text.indexOf('"nonce":"') + '"nonce":"'.length;
				const changed = text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
				return Uint8Array.of(...new TextEncoder().encode(changed), bytes[bytes.length - 1]);
			}
			return bytes;
		};
		const { parties } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'ot' }), { ownAbortsOnly: true });
		expect(failure(parties[0])).toBeInstanceOf(MismatchError);
		expect(failure(parties[0])).toMatchObject({ check: 'handshake' });
		for (const outcome of parties.slice(1)) expect(outcome.ok).toBe(false);
		// Every party started its run along with its confirms (round A of both first batches went
		// out), and nothing more: the next round waits for the confirms, which failed.
		const firstRound = new Set([batchStream(0), batchStream(1)]);
		let roundA = 0;
		for (const [pair, sent] of tags) {
			const afterHandshake = sent.slice(HANDSHAKE_MESSAGES).filter((tag) => tag !== ABORT_TAG);
			expect(sent.slice(0, HANDSHAKE_MESSAGES), pair).toEqual([0, 0, 0]);
			for (const tag of afterHandshake) expect(firstRound.has(tag), `${pair}: stream ${tag}`).toBe(true);
			expect(new Set(afterHandshake).size, pair).toBe(afterHandshake.length);
			roundA += afterHandshake.length;
		}
		expect(roundA).toBeGreaterThan(0);
	});

	it('stops with the base-OT check, naming the party, when a party answers an offer with the identity', async () => {
		// Party 1's second message to party 0 is its base-OT answer B (32 bytes and the stream tag).
		let replaced = false;
		const interceptor: Interceptor = (from, to, bytes, index) => {
			if (from !== 1 || to !== 0 || index !== 1) return bytes;
			expect(bytes.length).toBe(33);
			replaced = true;
			return Uint8Array.of(...new Uint8Array(32), bytes[32]);
		};
		const { parties } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'ot' }), { ownAbortsOnly: true });
		expect(replaced).toBe(true);
		const error = failure(parties[0]);
		expect(error).toBeInstanceOf(OtCheckError);
		expect(error).toMatchObject({ check: 'base OT', party: 1 });
		expect(error.message).toBe('base OT failed: party 1 sent the identity as base OT key B');
		for (const outcome of parties.slice(1)) expect(outcome.ok).toBe(false);
	});
});
