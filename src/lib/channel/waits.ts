import { sendWithTail, type Channel, type MessageInfo } from './channel';

/**
 * A channel that keeps track of how long its receives wait, per sender, so that a run can say
 * whom it waits for when a peer falls silent (offline for a while, or far slower).
 */
export class WaitingChannel implements Channel {
	/** Per sender, when each of its pending receives started (oldest first). */
	private readonly pending = new Map<number, number[]>();

	constructor(private readonly inner: Channel) {}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		return this.inner.sendBytesTo(to, bytes, info);
	}

	sendWithTailTo(to: number, bytes: Uint8Array, tail: number, info?: MessageInfo): Promise<void> {
		return sendWithTail(this.inner, to, bytes, tail, info);
	}

	recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		let waits = this.pending.get(from);
		if (!waits) this.pending.set(from, (waits = []));
		waits.push(Date.now());
		// The receives of one sender settle in order: the oldest one is done.
		return this.inner.recvBytesFrom(from, info).finally(() => {
			waits.shift();
			if (waits.length === 0 && this.pending.get(from) === waits) this.pending.delete(from);
		});
	}

	/** The senders a receive has waited for at least `ms` (ascending). */
	waitingLongerThan(ms: number): number[] {
		const now = Date.now();
		return [...this.pending]
			.filter(([, starts]) => now - starts[0] >= ms)
			.map(([from]) => from)
			.sort((a, b) => a - b);
	}
}
