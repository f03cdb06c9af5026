import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { WaitingChannel } from '../../../src/lib/channel/waits';

describe('WaitingChannel', () => {
	it('names the senders a receive waits for, for as long as it waits, and passes messages on unchanged', async () => {
		const net = new MemoryNetwork();
		const watched = new WaitingChannel(net.channel(0));
		const [fromOne, fromTwo] = [watched.recvBytesFrom(1), watched.recvBytesFrom(2)];
		expect(watched.waitingLongerThan(0)).toEqual([1, 2]);
		// A wait shorter than the bound does not count.
		expect(watched.waitingLongerThan(60_000)).toEqual([]);
		await net.channel(2).sendBytesTo(0, Uint8Array.of(7));
		expect([...(await fromTwo)]).toEqual([7]);
		expect(watched.waitingLongerThan(0)).toEqual([1]);
		const again = watched.recvBytesFrom(2);
		expect(watched.waitingLongerThan(0)).toEqual([1, 2]);
		await net.channel(2).sendBytesTo(0, Uint8Array.of(8));
		await net.channel(1).sendBytesTo(0, Uint8Array.of(9));
		expect([...(await again)]).toEqual([8]);
		expect([...(await fromOne)]).toEqual([9]);
		expect(watched.waitingLongerThan(0)).toEqual([]);
		await watched.sendBytesTo(1, Uint8Array.of(1, 2));
		expect([...(await net.channel(1).recvBytesFrom(0))]).toEqual([1, 2]);
	});

	it('forgets a receive that failed', async () => {
		const net = new MemoryNetwork();
		const watched = new WaitingChannel(net.channel(0));
		const pending = watched.recvBytesFrom(1).catch((error: unknown) => error);
		net.close(new Error('closed'));
		expect(await pending).toBeInstanceOf(Error);
		expect(watched.waitingLongerThan(0)).toEqual([]);
	});
});
