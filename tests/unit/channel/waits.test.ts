import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { WaitingChannel } from '../../../src/lib/channel/waits';
import { Session } from '../../../src/lib/mpc/session';

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

	it('does not count a patient receive, as long as it is patient, and reads the mpc session’s waits so', async () => {
		const net = new MemoryNetwork();
		const watched = new WaitingChannel(net.channel(0));
		const info = { phase: 'end of the run', patient: true };
		const patient = watched.recvBytesFrom(1, info);
		expect(watched.waitingLongerThan(0)).toEqual([]);
		// What the receive is for may change while it waits (the mpc session's inbox: its oldest waiter).
		info.patient = false;
		expect(watched.waitingLongerThan(0)).toEqual([1]);
		await net.channel(1).sendBytesTo(0, Uint8Array.of(1));
		await patient;

		// Through the mpc session: the dealer's wait for the end of the run is patient, any other receive not.
		const session = new Session({ channel: watched, parties: 2, me: 0, notify: [1] });
		const end = session.recvPatiently(1, 1, 'end of the run', 0);
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(watched.waitingLongerThan(0)).toEqual([]);
		const other = session.recv(1, 1, 'garbled tables', 1);
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(watched.waitingLongerThan(0)).toEqual([1]);
		net.close(new Error('test over'));
		await Promise.allSettled([end, other]);
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
