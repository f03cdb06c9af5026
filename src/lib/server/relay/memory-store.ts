import { bytesEqual } from '../../crypto/hash';
import { relayFull, sessionFull, slotRefused, tooManySessions, type SlotRefusal } from './errors';
import { Fifo } from './fifo';
import { queueKey, type InfoWrite, type QueueRef, type QueueWatch, type RelayStore, type StoreLimits } from './store';
import { WakeRegistry } from './wake';

interface Session {
	lastActive: number;
	/** Joined parties and when each was last seen. */
	parties: Map<number, number>;
	/** Keyed by `from * 256 + to`. */
	queues: Map<number, Fifo<Uint8Array>>;
	info: Uint8Array | null;
	/** Queued message bytes plus the info blob. */
	bytes: number;
	/** The token hash holding each claimed slot; null while the session has never seen a token. */
	tokens: Map<number, string> | null;
}

/** Sessions swept per slice before the sweep yields to requests. */
const SWEEP_SLICE = 1000;

/**
 * The default store: sessions in this process's memory. Each method runs to completion
 * without awaiting, so it is atomic without any lock, and sessions never block each other.
 */
export class MemoryStore implements RelayStore {
	readonly kind = 'memory';
	private readonly sessions = new Map<string, Session>();
	private readonly wakeups = new WakeRegistry();
	private totalBytes = 0;

	constructor(private readonly limits: StoreLimits) {}

	async join(name: string, party: number, token: string | null, now: number): Promise<void> {
		const existing = this.live(name, now);
		const held = existing?.tokens?.get(party);
		const claiming = token !== null && held !== token;
		if (token === null) this.check(name, existing, party, null);
		// Another token holds the slot: it stays held while its holder has been seen within the lease.
		else if (claiming && held !== undefined && now - (existing?.parties.get(party) ?? -Infinity) <= this.limits.slotLeaseMs) {
			throw slotRefused('slot-taken', name, party, this.limits.slotLeaseMs);
		}
		const session = existing ?? this.create(name, now);
		if (claiming) {
			(session.tokens ??= new Map()).set(party, token);
			this.dropQueuedTo(session, party);
		}
		session.parties.set(party, now);
	}

	async leave(name: string, party: number, token: string | null, now: number): Promise<void> {
		const session = this.live(name, now);
		this.check(name, session, party, token);
		session?.parties.delete(party);
		session?.tokens?.delete(party);
	}

	async participants(session: string, now: number, activeWithinMs?: number): Promise<number[]> {
		const parties = this.live(session, now)?.parties ?? new Map<number, number>();
		const since = activeWithinMs === undefined ? -Infinity : now - activeWithinMs;
		return [...parties].filter(([, seen]) => seen >= since).map(([party]) => party).sort((a, b) => a - b);
	}

	async push(queue: QueueRef, message: Uint8Array, token: string | null, now: number): Promise<void> {
		this.check(queue.session, this.live(queue.session, now), queue.from, token);
		const session = this.admit(queue.session, message.length, now);
		this.seen(session, queue.from, now);
		this.fifo(session, queue).push(message);
		this.account(session, message.length);
		this.wakeups.wake(queueKey(queue));
	}

	async take(queue: QueueRef, token: string | null, now: number): Promise<Uint8Array | null> {
		const session = this.live(queue.session, now);
		this.check(queue.session, session, queue.to, token);
		if (!session) return null;
		this.seen(session, queue.to, now);
		const id = queue.from * 256 + queue.to;
		const fifo = session.queues.get(id);
		const message = fifo?.shift();
		if (!fifo || message === undefined) return null;
		if (fifo.length === 0) session.queues.delete(id);
		this.account(session, -message.length);
		return message;
	}

	async putBack(queue: QueueRef, message: Uint8Array, now: number): Promise<void> {
		const session = this.live(queue.session, now) ?? this.create(queue.session, now, false);
		this.fifo(session, queue).unshift(message);
		this.account(session, message.length);
		this.wakeups.wake(queueKey(queue));
	}

	async putInfo(session: string, info: Uint8Array, now: number): Promise<InfoWrite> {
		const existing = this.live(session, now)?.info;
		if (existing) return bytesEqual(existing, info) ? 'unchanged' : 'conflict';
		const target = this.admit(session, info.length, now);
		target.info = info;
		this.account(target, info.length);
		return 'stored';
	}

	async getInfo(session: string, now: number): Promise<Uint8Array | null> {
		return this.live(session, now)?.info ?? null;
	}

	async sessionCount(now: number): Promise<number> {
		let count = 0;
		for (const session of this.sessions.values()) if (!this.expired(session, now)) count++;
		return count;
	}

	async sweep(now: number): Promise<number> {
		let swept = 0;
		let inSlice = 0;
		for (const [name, session] of this.sessions) {
			if (this.expired(session, now)) {
				this.remove(name, session);
				swept++;
			}
			// Yield now and then so that a sweep of many sessions never holds up requests.
			if (++inSlice === SWEEP_SLICE) {
				inSlice = 0;
				await new Promise((resolve) => setImmediate(resolve));
			}
		}
		return swept;
	}

	watch(queue: QueueRef): QueueWatch {
		return this.wakeups.watch(queueKey(queue));
	}

	async close(): Promise<void> {
		this.wakeups.wakeAll();
	}

	/** The session if it exists and has not expired; refreshes its activity time. */
	private live(name: string, now: number): Session | undefined {
		const session = this.sessions.get(name);
		if (!session) return undefined;
		if (this.expired(session, now)) {
			this.remove(name, session);
			return undefined;
		}
		session.lastActive = Math.max(session.lastActive, now);
		return session;
	}

	/** The live session, or a new one (within the session cap unless `capped` is false). */
	private create(name: string, now: number, capped = true): Session {
		const existing = this.live(name, now);
		if (existing) return existing;
		if (capped && this.sessions.size >= this.limits.maxSessions) {
			this.removeExpired(now);
			if (this.sessions.size >= this.limits.maxSessions) throw tooManySessions(this.limits.maxSessions);
		}
		const session: Session = { lastActive: now, parties: new Map(), queues: new Map(), info: null, bytes: 0, tokens: null };
		this.sessions.set(name, session);
		return session;
	}

	/** The session that will hold `bytes` more, if the session and total caps allow. */
	private admit(name: string, bytes: number, now: number): Session {
		const existing = this.live(name, now);
		if ((existing?.bytes ?? 0) + bytes > this.limits.maxSessionBytes) throw sessionFull(name, this.limits.maxSessionBytes);
		if (this.totalBytes + bytes > this.limits.maxTotalBytes) throw relayFull(this.limits.maxTotalBytes);
		return existing ?? this.create(name, now);
	}

	/** Synchronous sweep, for when the session cap is reached. */
	private removeExpired(now: number): void {
		for (const [name, session] of this.sessions) if (this.expired(session, now)) this.remove(name, session);
	}

	private expired(session: Session, now: number): boolean {
		return now - session.lastActive > this.limits.sessionTtlMs;
	}

	private remove(name: string, session: Session): void {
		this.sessions.delete(name);
		this.totalBytes -= session.bytes;
	}

	/** Throws unless a request with `token` may act for the slot of `party` (see RelayStore). */
	private check(name: string, session: Session | undefined, party: number, token: string | null): void {
		const refusal = slotRefusal(session?.tokens ?? null, party, token);
		if (refusal) throw slotRefused(refusal, name, party, this.limits.slotLeaseMs);
	}

	/** Drops every message queued to `party`: what an earlier holder of its slot left unread. */
	private dropQueuedTo(session: Session, party: number): void {
		for (const [id, fifo] of session.queues) {
			if (id % 256 !== party) continue;
			for (let message = fifo.shift(); message !== undefined; message = fifo.shift()) this.account(session, -message.length);
			session.queues.delete(id);
		}
	}

	private seen(session: Session, party: number, now: number): void {
		if (session.parties.has(party)) session.parties.set(party, now);
	}

	private fifo(session: Session, { from, to }: QueueRef): Fifo<Uint8Array> {
		const id = from * 256 + to;
		let fifo = session.queues.get(id);
		if (!fifo) session.queues.set(id, (fifo = new Fifo()));
		return fifo;
	}

	private account(session: Session, bytes: number): void {
		session.bytes += bytes;
		this.totalBytes += bytes;
	}
}

/** Why a request with `token` may not act for the slot of `party`, given the session's claimed slots; null if it may. */
function slotRefusal(tokens: Map<number, string> | null, party: number, token: string | null): SlotRefusal | null {
	if (tokens === null) return token === null ? null : 'slot-unclaimed';
	if (token === null) return 'token-missing';
	const held = tokens.get(party);
	if (held === token) return null;
	return held === undefined ? 'slot-unclaimed' : 'token-wrong';
}
