import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, payloadBytes, type MailFrame } from '../../../src/lib/channel/mailbox-wire';
import { DEFAULT_CONFIG } from '../../../src/lib/server/relay/config';
import { MemoryStore } from '../../../src/lib/server/relay/memory-store';
import { ITEM_OVERHEAD_BYTES } from '../../../src/lib/server/relay/store';
import { relayCoreSuite } from './core-suite';

relayCoreSuite('memory', async (config) => new MemoryStore(config));

describe('the memory store', () => {
	it('keeps a frame that is most of its request body as a view of it, and copies a frame that would pin a larger body', async () => {
		const store = new MemoryStore(DEFAULT_CONFIG);
		const large = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
		const small = Uint8Array.of(7, 8, 9);
		const frames = decodeRequest(encodeRequest([{ peer: 1, seq: 1, payload: large }, { peer: 2, seq: 1, payload: small }]));
		await store.exchange({ session: 's', party: 0, frames, acks: new Map(), maxAnswerBytes: 1 << 20 }, null, 0);
		const [toLarge] = (await store.exchange({ session: 's', party: 1, frames: [], acks: new Map(), maxAnswerBytes: 1 << 20 }, null, 0)).frames;
		const [toSmall] = (await store.exchange({ session: 's', party: 2, frames: [], acks: new Map(), maxAnswerBytes: 1 << 20 }, null, 0)).frames;
		expect(toLarge.payload).toEqual(large);
		expect(toLarge.payload.buffer).toBe(frames[0].payload.buffer);
		expect(toSmall.payload).toEqual(small);
		expect(toSmall.payload.buffer.byteLength).toBe(small.length);
		await store.close();
	});

	it('keeps a frame read from a body\'s chunks as views of them, unless they would pin much more than the frame', async () => {
		const store = new MemoryStore(DEFAULT_CONFIG);
		const large = new Uint8Array(300_000).map((_, i) => (i * 13) & 0xff);
		const small = new Uint8Array(5_000).map((_, i) => i & 0xff);
		const body = encodeRequest([{ peer: 1, seq: 1, payload: large }, { peer: 2, seq: 1, payload: small }]);
		// Chunks of 64 KiB, as Node reads a request body: the small frame shares the last one with the large.
		const chunks = Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) => body.slice(i * 65536, (i + 1) * 65536));
		const frames = decodeRequest(chunks);
		expect(frames[0].rest?.length).toBeGreaterThan(3);
		await store.exchange({ session: 's', party: 0, frames, acks: new Map(), maxAnswerBytes: 1 << 20 }, null, 0);
		const take = async (party: number) => (await store.exchange({ session: 's', party, frames: [], acks: new Map(), maxAnswerBytes: 1 << 20 }, null, 0)).frames[0];
		const joined = (frame: MailFrame) => new Uint8Array([frame.payload, ...(frame.rest ?? [])].flatMap((piece) => [...piece]));
		const toLarge = await take(1);
		expect(joined(toLarge)).toEqual(large);
		expect(payloadBytes(toLarge)).toBe(large.length);
		const chunkBuffers = new Set<ArrayBufferLike>(chunks.map((chunk) => chunk.buffer));
		expect([toLarge.payload, ...toLarge.rest!].every((piece) => chunkBuffers.has(piece.buffer))).toBe(true);
		// 5,000 bytes in the last chunk with the large frame's end would pin more than 4 KiB beyond themselves: copied.
		const toSmall = await take(2);
		expect(toSmall.rest).toBeUndefined();
		expect(toSmall.payload).toEqual(small);
		expect(toSmall.payload.buffer.byteLength).toBe(small.length);
		// Two frames and two directions, each also counting the store's bookkeeping.
		expect((await store.stats(0)).bytes).toBe(large.length + small.length + 4 * ITEM_OVERHEAD_BYTES);
		await store.close();
	});
});