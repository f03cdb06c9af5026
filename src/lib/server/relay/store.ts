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

/**
 * A wake-up registration for one queue, made *before* looking at the queue so that a push in
 * between is not missed. `woken` resolves on the next push to the queue, or when the store
 * asks every waiter to look again (e.g. once a shared store's subscription is live, since
 * pushes before that went unannounced); `cancel` must be called once the waiter is done.
 */
export interface QueueWatch {
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
 */
export interface RelayStore {
	readonly kind: 'memory' | 'redis';
	/** Lists `party` as joined (creating the session) and marks it seen; claims or renews its slot with a token. */
	join(session: string, party: number, token: string | null, now: number): Promise<void>;
	/** Removes `party` from the joined list and frees its slot; queued messages stay. */
	leave(session: string, party: number, token: string | null, now: number): Promise<void>;
	/** Joined parties, ascending; with `activeWithinMs`, only those seen that recently. */
	participants(session: string, now: number, activeWithinMs?: number): Promise<number[]>;
	/** Appends a message from the slot of `from` (creating the session) and marks `from` seen; throws a RelayError over a cap. */
	push(queue: QueueRef, message: Uint8Array, token: string | null, now: number): Promise<void>;
	/** Removes and returns the oldest message for the slot of `to`, or null; marks `to` seen. */
	take(queue: QueueRef, token: string | null, now: number): Promise<Uint8Array | null>;
	/** Puts a message that was taken but could not be delivered back at the front, ignoring caps. */
	putBack(queue: QueueRef, message: Uint8Array, now: number): Promise<void>;
	/** Stores the session's info blob once; the same bytes again are fine, other bytes conflict. */
	putInfo(session: string, info: Uint8Array, now: number): Promise<InfoWrite>;
	getInfo(session: string, now: number): Promise<Uint8Array | null>;
	/** Live sessions. */
	sessionCount(now: number): Promise<number>;
	/** Deletes expired sessions; returns how many. */
	sweep(now: number): Promise<number>;
	watch(queue: QueueRef): QueueWatch;
	/** Releases connections and timers; pending watches are woken. */
	close(): Promise<void>;
}

/** The key of a queue inside one process, for maps of waiters and locks. */
export function queueKey({ session, from, to }: QueueRef): string {
	return `${session}/${from}/${to}`;
}
