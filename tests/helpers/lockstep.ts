import type { Channel } from '../../src/lib/channel/channel';
import { untilQuiet } from './quiet';

/** Real time without activity before a tick passes (see settle). */
const SETTLE_MS = 20;

/**
 * An in-memory network that counts flights exactly: every message takes one tick to arrive,
 * and a tick passes only once every participant waits for a message still in flight. The
 * number of ticks until everyone has finished is the length of the longest chain of messages
 * each sent after the one before it arrived — the sequential one-way delays a run costs on a
 * real network when computing takes no time.
 */
export class LockstepNetwork {
	private readonly inFlight: { key: string; bytes: Uint8Array }[] = [];
	private readonly queues = new Map<string, Uint8Array[]>();
	private readonly waiters = new Map<string, (bytes: Uint8Array) => void>();
	private activity = 0;
	/** Web Crypto digests under way: work outside the event loop that a participant awaits before it goes on. */
	private nativeWork = 0;
	ticks = 0;
	messages = 0;

	channel(party: number): Channel {
		return {
			sendBytesTo: async (to, bytes) => {
				this.activity++;
				this.messages++;
				this.inFlight.push({ key: `${party}>${to}`, bytes: bytes.slice() });
			},
			recvBytesFrom: (from) => {
				this.activity++;
				const key = `${from}>${party}`;
				const queue = this.queues.get(key);
				if (queue?.length) return Promise.resolve(queue.shift()!);
				if (this.waiters.has(key)) return Promise.reject(new Error(`party ${party} receives from party ${from} twice at once`));
				return new Promise((resolve) => this.waiters.set(key, resolve));
			}
		};
	}

	/** Runs `work` (every participant's run) tick by tick; resolves with its result once all are done. */
	async run<T>(work: Promise<T>): Promise<T> {
		const restore = this.trackNativeWork();
		try {
			return await this.tickUntilDone(work);
		} finally {
			restore();
		}
	}

	/**
	 * Counts the Web Crypto digests under way (the circuit digest is one): on a loaded machine one
	 * may take longer than any quiet period, and a tick that passed meanwhile would be counted as
	 * a flight the protocol does not take.
	 */
	private trackNativeWork(): () => void {
		const subtle = globalThis.crypto?.subtle;
		if (!subtle) return () => {};
		const digest = subtle.digest;
		subtle.digest = (...args: Parameters<SubtleCrypto['digest']>) => {
			this.nativeWork++;
			return digest.apply(subtle, args).finally(() => {
				this.nativeWork--;
				this.activity++;
			});
		};
		return () => {
			delete (subtle as Partial<SubtleCrypto>).digest;
		};
	}

	private async tickUntilDone<T>(work: Promise<T>): Promise<T> {
		let done = false;
		const finished = work.finally(() => (done = true));
		finished.catch(() => {});
		for (;;) {
			await this.settle(() => done);
			if (done) return finished;
			if (this.inFlight.length === 0) throw new Error(`deadlock after ${this.ticks} ticks: everyone waits and nothing is in flight`);
			this.ticks++;
			for (const { key, bytes } of this.inFlight.splice(0)) {
				const waiter = this.waiters.get(key);
				if (waiter) {
					this.waiters.delete(key);
					waiter(bytes);
				} else {
					const queue = this.queues.get(key);
					if (queue) queue.push(bytes);
					else this.queues.set(key, [bytes]);
				}
			}
		}
	}

	/**
	 * Resolves once every participant waits for a message: no Web Crypto digest under way, and
	 * SETTLE_MS without a send or a receive; while nothing is in flight, up to 2 s.
	 */
	private async settle(done: () => boolean): Promise<void> {
		await this.quiesce();
		let quietMs = 0;
		for (let waited = 0; !done() && waited < 2000 && (quietMs < SETTLE_MS || this.nativeWork > 0 || this.inFlight.length === 0); waited += 10) {
			const seen = this.activity;
			await new Promise((resolve) => setTimeout(resolve, 10));
			await this.quiesce();
			quietMs = this.activity === seen ? quietMs + 10 : 0;
		}
	}

	/** Resolves once a few turns of the event loop pass without a send or a receive. */
	private quiesce(): Promise<void> {
		return untilQuiet(() => this.activity, 4);
	}
}
