import { sendWithTail, type Channel, type MessageInfo } from './channel';

/**
 * A channel that keeps track of how long its receives wait, per sender, so that a run can say
 * whom it waits for when a peer falls silent (offline for a while, or far slower).
 */
export class WaitingChannel implements Channel {
	/** Per sender, when each of its pending receives started (oldest first), and what it is for. */
	private readonly pending = new Map<number, { start: number; info: MessageInfo | undefined }[]>();

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
		waits.push({ start: Date.now(), info });
		// The receives of one sender settle in order: the oldest one is done.
		return this.inner.recvBytesFrom(from, info).finally(() => {
			waits.shift();
			if (waits.length === 0 && this.pending.get(from) === waits) this.pending.delete(from);
		});
	}

	/** The senders a receive has waited for at least `ms` (ascending), but for patient receives (MessageInfo). */
	waitingLongerThan(ms: number): number[] {
		const now = Date.now();
		return [...this.pending]
			.filter(([, waits]) => now - waits[0].start >= ms && !waits[0].info?.patient)
			.map(([from]) => from)
			.sort((a, b) => a - b);
	}
}
