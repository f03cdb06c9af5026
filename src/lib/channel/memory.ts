import type { Channel, MessageInfo } from './channel';

/** Lets a test change or drop a message in flight: return the bytes to deliver, or null to drop. */
export type Interceptor = (from: number, to: number, bytes: Uint8Array, index: number) => Uint8Array | null;

interface Waiter {
	resolve: (bytes: Uint8Array) => void;
	reject: (error: Error) => void;
}

/**
 * In-process channels between any number of parties, for tests and benchmarks. Messages are
 * copied on send, delivered FIFO per direction, and counted.
 */
export class MemoryNetwork {
	readonly bytesSent = new Map<number, number>();
	readonly messagesSent = new Map<number, number>();
	private readonly queues = new Map<string, Uint8Array[]>();
	private readonly waiters = new Map<string, Waiter>();
	private readonly counts = new Map<string, number>();
	private closedWith: Error | null = null;

	constructor(private readonly interceptor?: Interceptor) {}

	channel(party: number): Channel {
		return {
			sendBytesTo: async (to, bytes) => this.send(party, to, bytes),
			recvBytesFrom: (from, info) => this.recv(from, party, info)
		};
	}

	/** Total bytes sent by everyone. */
	totalBytesSent(): number {
		let total = 0;
		for (const bytes of this.bytesSent.values()) total += bytes;
		return total;
	}

	/** Rejects every pending and future receive, so that a test never hangs on a dead party. */
	close(reason: Error): void {
		this.closedWith = reason;
		for (const waiter of this.waiters.values()) waiter.reject(reason);
		this.waiters.clear();
	}

	private send(from: number, to: number, bytes: Uint8Array): void {
		const key = `${from}>${to}`;
		const index = this.counts.get(key) ?? 0;
		this.counts.set(key, index + 1);
		this.bytesSent.set(from, (this.bytesSent.get(from) ?? 0) + bytes.length);
		this.messagesSent.set(from, (this.messagesSent.get(from) ?? 0) + 1);
		const copy = bytes.slice();
		const delivered = this.interceptor ? this.interceptor(from, to, copy, index) : copy;
		if (delivered === null) return;
		const waiter = this.waiters.get(key);
		if (waiter) {
			this.waiters.delete(key);
			waiter.resolve(delivered);
			return;
		}
		const queue = this.queues.get(key);
		if (queue) queue.push(delivered);
		else this.queues.set(key, [delivered]);
	}

	private recv(from: number, to: number, info?: MessageInfo): Promise<Uint8Array> {
		const key = `${from}>${to}`;
		const queue = this.queues.get(key);
		if (queue && queue.length > 0) return Promise.resolve(queue.shift()!);
		if (this.closedWith) return Promise.reject(this.closedWith);
		if (this.waiters.has(key)) {
			return Promise.reject(new Error(`party ${to} receives from party ${from} twice at once${info?.phase ? ` (${info.phase})` : ''}`));
		}
		return new Promise((resolve, reject) => this.waiters.set(key, { resolve, reject }));
	}
}
