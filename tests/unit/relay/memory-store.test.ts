import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest } from '../../../src/lib/channel/mailbox-wire';
import { DEFAULT_CONFIG } from '../../../src/lib/server/relay/config';
import { MemoryStore } from '../../../src/lib/server/relay/memory-store';
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
});
