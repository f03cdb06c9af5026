import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { anySignal } from '../../channel/any-signal';
import type { MailAnswer, MailFrame } from '../../channel/mailbox-wire';
import type { RelayConfig } from './config';
import { RelayError, tooLarge } from './errors';
import { KeyedSerial } from './serial';
import { mailboxKey, participantsKey, queueKey, type InfoWrite, type QueueRef, type RelayStore, type Watch } from './store';

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

/**
 * How long an exchange that has frames for some of the senders its client waits for holds
 * its answer for the others, unless the client says (`gatherMs`): long enough for the frames
 * of one round, which the parties send at about the same time, short enough not to matter
 * when a sender waits for this party. A client that asks again once it has an answer would
 * meet the others' frames a round trip later: holding for about that long costs it nothing.
 */
const GATHER_MS = 20;
const MAX_GATHER_MS = 1000;

/** One look of a long poll: what to answer, whether that is what the client waits for, and until when to wait for more. */
interface Look<T> {
	result: T;
	ready: boolean;
	gatherUntil?: number;
}

export interface LongPoll {
	/** How long to wait (capped by `maxWaitMs`); 0 = answer at once. */
	waitMs?: number;
	/** Aborted when the client is gone: the wait ends. */
	signal?: AbortSignal;
}

export interface ExchangeRequest extends LongPoll {
	session: string;
	/** The party whose mailbox this is, and the sender of `frames`. */
	party: number;
	/** Frames to other parties (`peer` = recipient), numbered per direction from 1. */
	frames: readonly MailFrame[];
	/** Per sender, the highest sequence number received from it without a gap. */
	acks: ReadonlyMap<number, number>;
	/** Most payload bytes wanted in the answer; default and upper bound: `maxMessageBytes`. */
	maxAnswerBytes?: number;
	/**
	 * The senders the client waits for: the answer holds frames from these only, and waits (up
	 * to GATHER_MS after the first frame is there) until it has some from each, so that one
	 * answer carries a round. Undefined: frames from anyone, answered as soon as there is one.
	 */
	awaited?: readonly number[];
	/** How long to hold an answer with frames from some of `awaited` for the others (default GATHER_MS, at most MAX_GATHER_MS). */
	gatherMs?: number;
	/** The slot token of `party`: required. */
	token?: string;
	/**
	 * Store and take nothing until every one of `parties` and the requester is listed (seen
	 * within `activeWithinMs`, where given): the request waits for that within its wait, else it answers
	 * `held`, as it does when its slot turns out not to be claimed with `token` yet (its join is
	 * on its way). A party sends its first frames along with its join so: they reach the others
	 * once all are there, as frames sent after seeing them all would, a round trip sooner.
	 */
	until?: { parties: readonly number[]; activeWithinMs?: number };
}

/** The answer of an exchange whose `until` did not hold within its wait. */
const HELD_ANSWER: MailAnswer = { frames: [], more: false, epoch: '0'.repeat(16), held: true };

export interface ParticipantsWait extends LongPoll {
	/** The list the client knows: the answer waits until the list differs from it. */
	known: readonly number[];
}

/** The relay's state for monitoring; `ok: false` (with `storeStatus` saying why) while the store is unreachable. */
export type RelayHealth =
	| { ok: true; store: RelayStore['kind']; storeStatus: 'ok'; sessions: number; queuedBytes: number }
	| { ok: false; store: RelayStore['kind']; storeStatus: string };

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
	) {
		// Every long poll listens on it until it ends: many at once are the normal load, not a leak.
		setMaxListeners(0, this.closing.signal);
	}

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

	/** Joined parties; with `wait`, once the list differs from `wait.known` (or the wait is over). */
	async participants(session: string, activeWithinMs?: number, wait?: ParticipantsWait): Promise<number[]> {
		if (!wait) return this.store.participants(session, this.clock(), activeWithinMs);
		const known = wait.known.join();
		return this.waitFor(participantsKey(session), this.longPoll(wait), async () => {
			const parties = await this.store.participants(session, this.clock(), activeWithinMs);
			return { result: parties, ready: parties.join() !== known };
		});
	}

	/**
	 * A party's turn at its mailbox: applies its acknowledgements, stores its frames (each
	 * once, however often it is sent) and answers with the frames for it from anyone, waiting
	 * up to `waitMs` while there are none. Frames stay on the relay until acknowledged, so an
	 * answer lost on the way loses nothing: the next exchange answers them again.
	 */
	async exchange(request: ExchangeRequest): Promise<MailAnswer> {
		const { session, party, token } = request;
		if (token === undefined) {
			throw new RelayError('unauthorized', `the mailbox of slot ${party} needs the X-Relay-Token it joined with: join first with one (PUT /join/${session}/${party})`, 'token-missing');
		}
		request.frames.forEach((frame, i) => {
			if (frame.peer === party) throw new RelayError('bad-request', `bad exchange body: frame ${i + 1} is addressed to party ${party} itself`);
		});
		const maxAnswerBytes = Math.min(request.maxAnswerBytes ?? this.config.maxMessageBytes, this.config.maxMessageBytes);
		const hash = tokenHash(token);
		let frames = request.frames;
		const { awaited } = request;
		const gatherMs = Math.min(request.gatherMs ?? GATHER_MS, MAX_GATHER_MS);
		const poll = this.longPoll(request);
		try {
			const until = request.until && { ...request.until, parties: [...request.until.parties, party] };
			if (until && !(await this.lookUntil(participantsKey(session), poll.deadline, poll.stop, () => this.everyoneThere(session, until)))) return HELD_ANSWER;
			return await this.lookUntil(mailboxKey(session, party), poll.deadline, poll.stop, async () => {
				const exchange = { session, party, frames, acks: request.acks, maxAnswerBytes, senders: awaited };
				const answer = await this.store.exchange(exchange, hash, this.clock()).catch((error: unknown) => {
					// Listed, but not (yet) with this token: nothing was stored; the client asks again.
					if (until && frames === request.frames && error instanceof RelayError && (error.reason === 'slot-unclaimed' || error.reason === 'token-wrong')) return HELD_ANSWER;
					throw error;
				});
				if (answer.held) return { result: answer, ready: true };
				frames = []; // stored: later looks only ask
				if (answer.frames.length === 0 && !answer.more) return { result: answer, ready: false };
				const complete = answer.more || (awaited ?? []).every((from) => answer.frames.some((frame) => frame.peer === from));
				return { result: answer, ready: complete, gatherUntil: performance.now() + gatherMs };
			});
		} finally {
			poll.release();
		}
	}

	/**
	 * Whether an exchange's `until` holds: every one of its parties listed with its slot claimed.
	 * A join without a token lists a party too, but the frames it let through would be dropped
	 * when the party claims its slot: someone who knows only the session's name could do that.
	 */
	private async everyoneThere(session: string, until: NonNullable<ExchangeRequest['until']>): Promise<Look<boolean>> {
		const listed = await this.store.participants(session, this.clock(), until.activeWithinMs, true);
		const ready = until.parties.every((p) => listed.includes(p));
		return { result: ready, ready };
	}

	/** Queues `message`; `token` is the slot token of `from`, where the request carries one. */
	async send(queue: QueueRef, message: Uint8Array, token?: string): Promise<void> {
		if (message.length > this.config.maxMessageBytes) throw tooLarge('message', this.config.maxMessageBytes, message.length);
		await this.store.push(queue, message, tokenHash(token), this.clock());
	}

	/** The oldest queued message, waiting up to `waitMs` for one; null if there is none. */
	recv(queue: QueueRef, { waitMs, signal, token }: RecvOptions = {}): Promise<Uint8Array | null> {
		// The wait starts now, also for a receive that queues behind another of its queue.
		const poll = this.longPoll({ waitMs, signal });
		const hash = tokenHash(token);
		return this.receivers.run(queueKey(queue), () =>
			this.waitFor(queueKey(queue), poll, async (stop) => {
				if (stop.aborted) return { result: null, ready: true };
				// The token is checked at every look: a slot taken over meanwhile ends the wait.
				const message = await this.store.take(queue, hash, this.clock());
				if (!message || !stop.aborted) return { result: message, ready: message !== null };
				await this.store.putBack(queue, message, this.clock());
				return { result: null, ready: true };
			})
		);
	}

	async putInfo(session: string, info: Uint8Array): Promise<InfoWrite> {
		if (info.length > this.config.maxInfoBytes) throw tooLarge('info', this.config.maxInfoBytes, info.length);
		return this.store.putInfo(session, info, this.clock());
	}

	async getInfo(session: string): Promise<Uint8Array | null> {
		return this.store.getInfo(session, this.clock());
	}

	async health(): Promise<RelayHealth> {
		try {
			const { sessions, bytes } = await this.store.stats(this.clock());
			return { ok: true, store: this.store.kind, storeStatus: 'ok', sessions, queuedBytes: bytes };
		} catch (error) {
			if (!(error instanceof RelayError && error.kind === 'unavailable')) throw error;
			return { ok: false, store: this.store.kind, storeStatus: error.message };
		}
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

	/** When a wait that starts now ends (`deadline`, in performance.now() time) and what stops it early. */
	private longPoll({ waitMs = 0, signal }: LongPoll): Poll {
		const deadline = performance.now() + Math.min(waitMs, this.config.maxWaitMs);
		const { signal: stop, release } = anySignal(this.closing.signal, signal);
		return { deadline, stop, release };
	}

	/**
	 * Looks (`look`) until it finds what the client waits for, the deadline passes, or `stop`
	 * aborts (the client is gone, the relay closes). It registers for a wake-up under `key`
	 * before each look, so that a change right after the look is not missed. A look may bring
	 * the deadline forward (`gatherUntil`): it has something, but waits a moment for more.
	 */
	private async waitFor<T>(key: string, { deadline, stop, release }: Poll, look: (stop: AbortSignal) => Promise<Look<T>>): Promise<T> {
		try {
			return await this.lookUntil(key, deadline, stop, look);
		} finally {
			release();
		}
	}

	private async lookUntil<T>(key: string, deadline: number, stop: AbortSignal, look: (stop: AbortSignal) => Promise<Look<T>>): Promise<T> {
		for (;;) {
			const watch: Watch = this.store.watch(key);
			try {
				const { result, ready, gatherUntil } = await look(stop);
				if (gatherUntil !== undefined) deadline = Math.min(deadline, gatherUntil);
				const remaining = deadline - performance.now();
				if (ready || remaining <= 0 || stop.aborted) return result;
				await wakeOrTimeout(watch.woken, remaining, stop);
			} finally {
				watch.cancel();
			}
		}
	}
}

/** A long poll: when it ends (performance.now() time), what stops it early, and `release` once it is over. */
interface Poll {
	deadline: number;
	stop: AbortSignal;
	release(): void;
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
