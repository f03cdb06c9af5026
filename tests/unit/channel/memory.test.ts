import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { AbortableChannel, PeerAbortError } from '../../../src/lib/channel/abortable';

describe('MemoryNetwork', () => {
	it('delivers FIFO per direction and keeps directions apart', async () => {
		const net = new MemoryNetwork();
		const a = net.channel(0);
		const b = net.channel(1);
		await a.sendBytesTo(1, Uint8Array.of(1));
		await a.sendBytesTo(1, Uint8Array.of(2));
		await b.sendBytesTo(0, Uint8Array.of(9));
		expect([...(await b.recvBytesFrom(0))]).toEqual([1]);
		expect([...(await b.recvBytesFrom(0))]).toEqual([2]);
		expect([...(await a.recvBytesFrom(1))]).toEqual([9]);
		expect(net.totalBytesSent()).toBe(3);
	});

	it('copies on send, so a reused buffer does not change a queued message', async () => {
		const net = new MemoryNetwork();
		const buffer = Uint8Array.of(7);
		await net.channel(0).sendBytesTo(1, buffer);
		buffer[0] = 8;
		expect([...(await net.channel(1).recvBytesFrom(0))]).toEqual([7]);
	});

	it('wakes a waiting receiver and rejects pending receives on close', async () => {
		const net = new MemoryNetwork();
		const pending = net.channel(1).recvBytesFrom(0);
		await net.channel(0).sendBytesTo(1, Uint8Array.of(5));
		expect([...(await pending)]).toEqual([5]);
		const stuck = net.channel(1).recvBytesFrom(2);
		net.close(new Error('test over'));
		await expect(stuck).rejects.toThrow('test over');
	});

	it('lets an interceptor tamper with or drop messages', async () => {
		const net = new MemoryNetwork((_from, _to, bytes, index) => (index === 0 ? null : bytes.map((x) => x ^ 1)));
		await net.channel(0).sendBytesTo(1, Uint8Array.of(4));
		await net.channel(0).sendBytesTo(1, Uint8Array.of(4));
		expect([...(await net.channel(1).recvBytesFrom(0))]).toEqual([5]);
	});
});

describe('AbortableChannel', () => {
	it('passes data through and turns an abort notice into PeerAbortError', async () => {
		const net = new MemoryNetwork();
		const p0 = new AbortableChannel(net.channel(0), [1, 2]);
		const p1 = new AbortableChannel(net.channel(1), [0, 2]);
		const p2 = new AbortableChannel(net.channel(2), [0, 1]);
		await p0.sendBytesTo(1, Uint8Array.of(1, 2, 3));
		expect([...(await p1.recvBytesFrom(0))]).toEqual([1, 2, 3]);
		await p1.abort('MAC check failed');
		const error = await p0.recvBytesFrom(1).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PeerAbortError);
		expect((error as PeerAbortError).party).toBe(1);
		expect(String(error)).toContain('party 1 aborted: MAC check failed');
		await expect(p2.recvBytesFrom(1)).rejects.toThrow('MAC check failed');
	});
});
