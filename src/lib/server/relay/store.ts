import { EPOCH_BYTES, type MailAnswer, type MailFrame } from '../../channel/mailbox-wire';

/** One direction of one session: the FIFO of messages from `from` to `to`. */
export interface QueueRef {
	session: string;
	from: number;
	to: number;
}

/** What a store enforces atomically (across relay instances, for a shared store). */
export interface StoreLimits {
	maxSessionBytes: number;
	maxTotalBytes: number;
	maxSessions: number;
	sessionTtlMs: number;
	slotLeaseMs: number;
}

/** Outcome of a set-once info write. */
export type InfoWrite = 'stored' | 'unchanged' | 'conflict';

/** What the relay holds: live sessions and the bytes of their queued messages, frames and info. */
export interface StoreStats {
	sessions: number;
	bytes: number;
}

/**
 * One party's turn at its mailbox (see RelayStore.exchange): `acks` maps each sender to the
 * highest sequence number received from it without a gap; `frames` go to their recipients.
 */
export interface Exchange {
	session: string;
	party: number;
	frames: readonly MailFrame[];
	acks: ReadonlyMap<number, number>;
	/** Most payload bytes the answer may carry (at least one frame when one is waiting, unless 0). */
	maxAnswerBytes: number;
	/** Only frames from these senders; undefined: from anyone. */
	senders?: readonly number[];
}

/**
 * A wake-up registration for one key (a queue, a mailbox or a participant list; see the
 * key functions below), made *before* looking so that a change in between is not missed.
 * `woken` resolves on the next change under the key, or when the store asks every waiter to
 * look again (e.g. once a shared store's subscription is live, since changes before that
 * went unannounced); `cancel` must be called once the waiter is done.
 */
export interface Watch {
	woken: Promise<void>;
	cancel(): void;
}

/**
 * Where sessions live. Every method is atomic on its own and takes the caller's clock
 * (`now`, ms) so that expiry and presence behave the same in every store and in tests.
 * A session exists from the first join, push or info write until it has been idle for
 * `sessionTtlMs`; any call that names a live session counts as activity.
 * Limits are enforced here, since only the store sees every instance's traffic.
 *
 * Slot tokens: `token` is the SHA-256 (hex) of the secret a request carries for its slot
 * (the party it joins or leaves as, sends from or receives for), null without one. A join
 * with a token claims a free slot (dropping what is queued to it: an earlier run's
 * leftovers), renews the claim of the same token, and is refused (`slot-taken`) while
 * another token holds the slot and its holder was seen within `slotLeaseMs`. From the first
 * claim on, the session uses tokens: every join, leave, push from and take for a slot must
 * carry the token that holds it. A session that never saw a token works without them (the
 * original API); a request with a token for a slot it does not hold is always refused. A
 * refusal is the RelayError of `slotRefused`.
 *
 * Mailboxes: besides the FIFO queues of the original API, every party has a mailbox of
 * numbered frames from anyone (`exchange`). A frame stays until its receiver acknowledges it,
 * so an answer lost on the way loses nothing, and a frame whose (from, to, seq) is already
 * held or acknowledged is ignored, so a retried send is never doubled. A claim of a slot
 * drops the frames to and from it and starts its directions' numbering afresh.
 */
export interface RelayStore {
	readonly kind: 'memory' | 'redis';
	/** Lists `party` as joined (creating the session) and marks it seen; claims or renews its slot with a token. */
	join(session: string, party: number, token: string | null, now: number): Promise<void>;
	/** Removes `party` from the joined list and frees its slot; queued messages stay, the mailbox frames to it are dropped. */
	leave(session: string, party: number, token: string | null, now: number): Promise<void>;
	/**
	 * Joined parties, ascending; with `activeWithinMs`, only those seen that recently; with
	 * `claimedOnly`, only those whose slot a token holds (a join without one lists a party too).
	 */
	participants(session: string, now: number, activeWithinMs?: number, claimedOnly?: boolean): Promise<number[]>;
	/** Appends a message from the slot of `from` (creating the session) and marks `from` seen; throws a RelayError over a cap. */
	push(queue: QueueRef, message: Uint8Array, token: string | null, now: number): Promise<void>;
	/** Removes and returns the oldest message for the slot of `to`, or null; marks `to` seen. */
	take(queue: QueueRef, token: string | null, now: number): Promise<Uint8Array | null>;
	/** Puts a message that was taken but could not be delivered back at the front, ignoring caps. */
	putBack(queue: QueueRef, message: Uint8Array, now: number): Promise<void>;
	/** Stores the session's info blob once; the same bytes again are fine, other bytes conflict. */
	putInfo(session: string, info: Uint8Array, now: number): Promise<InfoWrite>;
	getInfo(session: string, now: number): Promise<Uint8Array | null>;
	/**
	 * Applies `acks` (dropping the frames they cover), then stores the new `frames` from
	 * `party` (refusing them all over a cap, acks still applied), and answers with the frames
	 * for `party` (from `senders`, if given) that follow each sender's acknowledged number
	 * without a gap, oldest first, taking from the senders in turn. Needs the slot token of
	 * `party`; marks it seen.
	 */
	exchange(exchange: Exchange, token: string | null, now: number): Promise<MailAnswer>;
	/** Live sessions and the bytes they hold. */
	stats(now: number): Promise<StoreStats>;
	/** Deletes expired sessions; returns how many. */
	sweep(now: number): Promise<number>;
	/** Registers for the next change under `key` (`queueKey`, `mailboxKey` or `participantsKey`). */
	watch(key: string): Watch;
	/** Releases connections and timers; pending watches are woken. */
	close(): Promise<void>;
}

/**
 * What every held frame or queued message counts against the caps beyond its bytes: the
 * store's bookkeeping of it (a map entry and its object, or a Redis member), about this much,
 * so that empty frames cannot fill a relay's memory while its caps count nothing.
 */
export const ITEM_OVERHEAD_BYTES = 256;

/**
 * A join of a party not seen for longer than this wakes the waiters of the participant list,
 * as a new one does: a party back from an outage counts again for those that ask who was seen
 * lately (`activeWithinMs`). Our parties join every 5 s, so their heartbeats wake nobody.
 */
export const RETURNED_AFTER_MS = 10_000;

/** The key of a queue inside one process, for maps of waiters and locks. */
export function queueKey({ session, from, to }: QueueRef): string {
	return `${session}/${from}/${to}`;
}

/** The wake-up key of a party's mailbox: a frame for it arrived. */
export function mailboxKey(session: string, party: number): string {
	return `${session}/*/${party}`;
}

/** The wake-up key of a session's participant list: a party joined or left. */
export function participantsKey(session: string): string {
	return `${session}/participants`;
}

/** A fresh mailbox epoch: 8 random bytes in hex (see MailAnswer.epoch). */
export function newEpoch(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(EPOCH_BYTES)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
