import { describe, expect, it } from 'vitest';
import { MemoryNetwork, type Interceptor } from '../../../src/lib/channel/memory';
import { SealedChannel, SealError } from '../../../src/lib/channel/sealed';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 2);

function sealedPair(interceptor?: Interceptor, keys = [KEY, KEY], sessions = ['s', 's']) {
	const net = new MemoryNetwork(interceptor);
	const a = new SealedChannel(net.channel(0), { key: keys[0], session: sessions[0], party: 0 });
	const b = new SealedChannel(net.channel(2), { key: keys[1], session: sessions[1], party: 2 });
	return { net, a, b };
}

const messages = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.from({ length: 5000 }, (_, i) => i & 255)];

async function sendAll(a: SealedChannel) {
	for (const message of messages) await a.sendBytesTo(2, message);
}

describe('SealedChannel', () => {
	it('delivers messages unchanged in both directions while the wire carries only ciphertext', async () => {
		const wire: Uint8Array[] = [];
		const { a, b } = sealedPair((_from, _to, bytes) => {
			wire.push(bytes);
			return bytes;
		});
		await sendAll(a);
		for (const message of messages) expect(await b.recvBytesFrom(0)).toEqual(message);
		await b.sendBytesTo(0, Uint8Array.of(9));
		expect([...(await a.recvBytesFrom(2))]).toEqual([9]);
		// Marker (1), salt (16) and tag (16) on the first message, the tag only afterwards; no plaintext visible.
		expect(wire.map((w) => w.length)).toEqual([3 + 33, 0 + 16, 5000 + 16, 1 + 33]);
		const long = wire[2];
		expect(long.subarray(0, 5000)).not.toEqual(messages[2]);
	});

	it('uses a fresh salt per run: the same key, session and message never give the same ciphertext', async () => {
		const seen: Uint8Array[] = [];
		for (let run = 0; run < 2; run++) {
			const { a } = sealedPair((_from, _to, bytes) => (seen.push(bytes), bytes));
			await a.sendBytesTo(2, Uint8Array.of(1, 2, 3));
		}
		expect(seen[0]).not.toEqual(seen[1]);
	});

	it('fails authentication on a flipped bit, naming the sender', async () => {
		const { a, b } = sealedPair((_from, _to, bytes, index) => {
			if (index === 2) bytes[10] ^= 1;
			return bytes;
		});
		await sendAll(a);
		expect(await b.recvBytesFrom(0)).toEqual(messages[0]);
		expect(await b.recvBytesFrom(0)).toEqual(messages[1]);
		const error = await b.recvBytesFrom(0).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SealError);
		expect((error as SealError).party).toBe(0);
		expect((error as Error).message).toBe(
			'message from party 0 failed authentication — the relay or the network altered it, or the parties use different keys'
		);
	});

	it('fails on a replayed message', async () => {
		let replay: Uint8Array | undefined;
		const net = new MemoryNetwork((_from, _to, bytes, index) => {
			if (index === 1) replay = bytes;
			return bytes;
		});
		const a = new SealedChannel(net.channel(0), { key: KEY, session: 's', party: 0 });
		const b = new SealedChannel(net.channel(2), { key: KEY, session: 's', party: 2 });
		await a.sendBytesTo(2, messages[0]);
		await a.sendBytesTo(2, messages[1]);
		await b.recvBytesFrom(0);
		await b.recvBytesFrom(0);
		await net.channel(0).sendBytesTo(2, replay!);
		await expect(b.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('fails on reordered messages', async () => {
		const held: Uint8Array[] = [];
		const net = new MemoryNetwork((_from, _to, bytes, index) => {
			if (index === 1) {
				held.push(bytes);
				return null;
			}
			return bytes;
		});
		const a = new SealedChannel(net.channel(0), { key: KEY, session: 's', party: 0 });
		const b = new SealedChannel(net.channel(2), { key: KEY, session: 's', party: 2 });
		await sendAll(a);
		await net.channel(0).sendBytesTo(2, held[0]);
		expect(await b.recvBytesFrom(0)).toEqual(messages[0]);
		await expect(b.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('fails at the message after a dropped one, and stays failed', async () => {
		const { a, b } = sealedPair((_from, _to, bytes, index) => (index === 1 ? null : bytes));
		await sendAll(a);
		await a.sendBytesTo(2, Uint8Array.of(4));
		expect(await b.recvBytesFrom(0)).toEqual(messages[0]);
		await expect(b.recvBytesFrom(0)).rejects.toThrow(SealError);
		await expect(b.recvBytesFrom(0)).rejects.toThrow('message from party 0 failed authentication');
	});

	it('fails when the first message (with the salt) is dropped', async () => {
		const { a, b } = sealedPair((_from, _to, bytes, index) => (index === 0 ? null : bytes));
		await sendAll(a);
		// Usually "not sealed … or the relay dropped or altered that message"; an authentication failure when the next message happens to start with the marker byte.
		await expect(b.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('fails with another key, another session name, or a message redirected to another direction', async () => {
		const wrongKey = sealedPair(undefined, [KEY, OTHER_KEY]);
		await wrongKey.a.sendBytesTo(2, messages[0]);
		await expect(wrongKey.b.recvBytesFrom(0)).rejects.toThrow(SealError);

		const wrongSession = sealedPair(undefined, [KEY, KEY], ['s', 't']);
		await wrongSession.a.sendBytesTo(2, messages[0]);
		await expect(wrongSession.b.recvBytesFrom(0)).rejects.toThrow(SealError);

		// Party 1 receives what party 0 sealed for party 2.
		const net = new MemoryNetwork();
		const c = new SealedChannel(net.channel(1), { key: KEY, session: 's', party: 1 });
		const captured: Uint8Array[] = [];
		const tap = new SealedChannel(
			{ sendBytesTo: async (_to, bytes) => void captured.push(bytes), recvBytesFrom: () => Promise.reject(new Error('unused')) },
			{ key: KEY, session: 's', party: 0 }
		);
		await tap.sendBytesTo(2, messages[0]);
		await net.channel(0).sendBytesTo(1, captured[0]);
		await expect(c.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('fails on a first message too short to carry the salt', async () => {
		const { net, b } = sealedPair();
		await net.channel(0).sendBytesTo(2, Uint8Array.of(0xa5, 2));
		await expect(b.recvBytesFrom(0)).rejects.toThrow('message from party 0 failed authentication');
	});

	it('says so when the sender does not seal at all', async () => {
		const { net, b } = sealedPair();
		await net.channel(0).sendBytesTo(2, Uint8Array.of(0, 1, 2, 3));
		const error = await b.recvBytesFrom(0).catch((e: unknown) => e);
		expect((error as SealError).reason).toBe('unsealed');
		expect(String(error)).toContain('the first message from party 0 is not sealed: it has no session key');
	});

	it('refuses a key of the wrong length', () => {
		const net = new MemoryNetwork();
		expect(() => new SealedChannel(net.channel(0), { key: new Uint8Array(16), session: 's', party: 0 })).toThrow('a session key has 32 bytes, this one has 16');
	});
});
