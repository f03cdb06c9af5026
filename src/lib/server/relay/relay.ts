import { createHash } from 'node:crypto';
import type { RelayConfig } from './config';
import { tooLarge } from './errors';
import { KeyedSerial } from './serial';
import { queueKey, type InfoWrite, type QueueRef, type RelayStore } from './store';

export interface RecvOptions {
	/** How long to wait for a message when none is queued (capped by `maxWaitMs`); 0 = answer at once. */
	waitMs?: number;
	/**
	 * Aborted when the client is gone. A message is taken off its queue only while this is not
	 * aborted, and put back at the front if it was aborted during the take.
	 */
	signal?: AbortSignal;
	/** The slot token of `to`, where the request carries one. */
	token?: string;
}

export interface RelayHealth {
	ok: true;
	store: RelayStore['kind'];
	sessions: number;
}

/**
 * The relay core: the original Polytune relay's four operations plus long polling, presence,
 * slot tokens and a per-session info blob. HTTP routes parse requests and call these
 * methods; the store keeps the state, checks slot tokens and enforces the caps.
 *
 * A slot token is the secret a participant chooses for its run and sends with each request
 * for its slot (see RelayStore); the store sees only its SHA-256, so that neither a memory
 * dump nor Redis holds a token someone could use.
 */
export class Relay {
	/** One receive at a time per queue in this process, so that a put-back never reorders. */
	private readonly receivers = new KeyedSerial();
	private readonly closing = new AbortController();
	private sweeper: ReturnType<typeof setInterval> | undefined;

	constructor(
		readonly store: RelayStore,
		readonly config: RelayConfig,
		private readonly clock: () => number = Date.now
	) {}

	/** Sweeps expired sessions every `sweepIntervalMs` until `close`; `onError` hears failed sweeps. */
	startSweeping(onError: (error: unknown) => void): void {
		this.sweeper ??= setInterval(() => this.sweep().catch(onError), this.config.sweepIntervalMs);
		this.sweeper.unref();
	}

	/** Lists `party`; with a token, claims its slot (or renews the claim). */
	async join(session: string, party: number, token?: string): Promise<void> {
		await this.store.join(session, party, tokenHash(token), this.clock());
	}

	/** Unlists `party` and frees its slot. */
	async leave(session: string, party: number, token?: string): Promise<void> {
		await this.store.leave(session, party, tokenHash(token), this.clock());
	}

	async participants(session: string, activeWithinMs?: number): Promise<number[]> {
		return this.store.participants(session, this.clock(), activeWithinMs);
	}

	/** Queues `message`; `token` is the slot token of `from`, where the request carries one. */
	async send(queue: QueueRef, message: Uint8Array, token?: string): Promise<void> {
		if (message.length > this.config.maxMessageBytes) throw tooLarge('message', this.config.maxMessageBytes, message.length);
		await this.store.push(queue, message, tokenHash(token), this.clock());
	}

	/** The oldest queued message, waiting up to `waitMs` for one; null if there is none. */
	recv(queue: QueueRef, { waitMs = 0, signal, token }: RecvOptions = {}): Promise<Uint8Array | null> {
		const deadline = performance.now() + Math.min(waitMs, this.config.maxWaitMs);
		const stop = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
		return this.receivers.run(queueKey(queue), () => this.receive(queue, tokenHash(token), deadline, stop));
	}

	async putInfo(session: string, info: Uint8Array): Promise<InfoWrite> {
		if (info.length > this.config.maxInfoBytes) throw tooLarge('info', this.config.maxInfoBytes, info.length);
		return this.store.putInfo(session, info, this.clock());
	}

	async getInfo(session: string): Promise<Uint8Array | null> {
		return this.store.getInfo(session, this.clock());
	}

	async health(): Promise<RelayHealth> {
		return { ok: true, store: this.store.kind, sessions: await this.store.sessionCount(this.clock()) };
	}

	async sweep(): Promise<number> {
		return this.store.sweep(this.clock());
	}

	/** Ends every long poll (they answer "nothing queued"), then closes the store. */
	async close(): Promise<void> {
		clearInterval(this.sweeper);
		this.closing.abort();
		await this.receivers.idle();
		await this.store.close();
	}

	get closed(): boolean {
		return this.closing.signal.aborted;
	}

	private async receive(queue: QueueRef, token: string | null, deadline: number, stop: AbortSignal): Promise<Uint8Array | null> {
		for (;;) {
			if (stop.aborted) return null;
			// Register for a wake-up before looking, so that a push right after the look wakes us.
			const watch = this.store.watch(queue);
			try {
				// The token is checked at every look: a slot taken over meanwhile ends the wait.
				const message = await this.store.take(queue, token, this.clock());
				if (message) {
					if (!stop.aborted) return message;
					await this.store.putBack(queue, message, this.clock());
					return null;
				}
				const remaining = deadline - performance.now();
				if (remaining <= 0 || stop.aborted) return null;
				await wakeOrTimeout(watch.woken, remaining, stop);
			} finally {
				watch.cancel();
			}
		}
	}
}

/** Resolves on the first of: a wake-up, `ms` elapsed, `stop` aborted. */
function wakeOrTimeout(woken: Promise<void>, ms: number, stop: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			stop.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		stop.addEventListener('abort', done, { once: true });
		void woken.then(done);
	});
}

/** What the store keeps of a slot token: its SHA-256 in hex; null without a token. */
function tokenHash(token: string | undefined): string | null {
	return token === undefined ? null : createHash('sha256').update(token).digest('hex');
}
