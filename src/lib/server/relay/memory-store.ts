import { FRAME_OVERHEAD, MAX_FRAMES_PER_BODY, payloadBytes, payloadPieces, type MailAnswer, type MailFrame } from '../../channel/mailbox-wire';
import { concatBytes } from '../../crypto/block';
import { bytesEqual } from '../../crypto/hash';
import { relayFull, sessionFull, slotRefused, tooManySessions, type SlotRefusal } from './errors';
import { Fifo } from './fifo';
import { ITEM_OVERHEAD_BYTES, mailboxKey, RETURNED_AFTER_MS, newEpoch, participantsKey, queueKey, type Exchange, type InfoWrite, type QueueRef, type RelayStore, type StoreLimits, type StoreStats, type Watch } from './store';
import { WakeRegistry } from './wake';

/** A frame's payload as the store holds it (ownBytes). */
type Held = Pick<MailFrame, 'payload' | 'rest'>;

/** One direction of the mailboxes: the frames held, by sequence number, and the highest one its receiver acknowledged. */
interface Direction {
	frames: Map<number, Held>;
	acked: number;
}

interface Session {
	lastActive: number;
	/** Joined parties and when each was last seen. */
	parties: Map<number, number>;
	/** Keyed by `from * 256 + to`. */
	queues: Map<number, Fifo<Uint8Array>>;
	info: Uint8Array | null;
	/** What counts against the caps: queued messages and held frames (each ITEM_OVERHEAD_BYTES more than its bytes), mailbox directions (ITEM_OVERHEAD_BYTES each) and the info blob. */
	bytes: number;
	/** The token hash holding each claimed slot; null while the session has never seen a token. */
	tokens: Map<number, string> | null;
	/** The token hash that last held each slot that is free now (its holder left). */
	released: Map<number, string>;
	/** Mailbox directions, keyed by `from * 256 + to`. */
	mail: Map<number, Direction>;
	/** The mailbox's identity (MailAnswer.epoch), from the session's first exchange on. */
	epoch: string | null;
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
			this.startAfresh(session, party, session.released.get(party) === token);
			session.released.delete(party);
		}
		const seen = session.parties.get(party);
		session.parties.set(party, now);
		if (seen === undefined || now - seen > RETURNED_AFTER_MS) this.wakeups.wake(participantsKey(name));
	}

	async leave(name: string, party: number, token: string | null, now: number): Promise<void> {
		const session = this.live(name, now);
		this.check(name, session, party, token);
		if (!session) return;
		if (token !== null && session.tokens?.delete(party)) session.released.set(party, token);
		if (session.parties.delete(party)) this.wakeups.wake(participantsKey(name));
		// It will not read them: the frames to it go now rather than with the session.
		for (const [id, direction] of session.mail) {
			if (id % 256 !== party) continue;
			for (const held of direction.frames.values()) this.account(session, -heldBytes(held));
			direction.frames.clear();
		}
	}

	async participants(session: string, now: number, activeWithinMs?: number, claimedOnly = false): Promise<number[]> {
		const live = this.live(session, now);
		const parties = live?.parties ?? new Map<number, number>();
		const since = activeWithinMs === undefined ? -Infinity : now - activeWithinMs;
		const claimed = (party: number) => !claimedOnly || (live?.tokens?.has(party) ?? false);
		return [...parties].filter(([party, seen]) => seen >= since && claimed(party)).map(([party]) => party).sort((a, b) => a - b);
	}

	async push(queue: QueueRef, message: Uint8Array, token: string | null, now: number): Promise<void> {
		this.check(queue.session, this.live(queue.session, now), queue.from, token);
		const session = this.admit(queue.session, messageBytes(message), now);
		this.seen(session, queue.from, now);
		this.fifo(session, queue).push(message);
		this.account(session, messageBytes(message));
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
		this.account(session, -messageBytes(message));
		return message;
	}

	async putBack(queue: QueueRef, message: Uint8Array, now: number): Promise<void> {
		const session = this.live(queue.session, now) ?? this.create(queue.session, now, false);
		this.fifo(session, queue).unshift(message);
		this.account(session, messageBytes(message));
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

	async exchange({ session: name, party, frames, acks, maxAnswerBytes, senders }: Exchange, token: string | null, now: number): Promise<MailAnswer> {
		const existing = this.live(name, now);
		this.check(name, existing, party, token);
		const session = existing ?? this.create(name, now);
		this.seen(session, party, now);
		// Only directions that hold or held frames: an acknowledgement of nothing leaves no record behind.
		for (const [from, seq] of acks) {
			const direction = session.mail.get(from * 256 + party);
			if (direction) this.acknowledge(session, direction, seq);
		}
		const fresh = this.unheard(session, party, frames);
		if (fresh.length > 0) {
			const newDirections = new Set(fresh.filter((frame) => !session.mail.has(party * 256 + frame.peer)).map((frame) => frame.peer)).size;
			const bytes = fresh.reduce((sum, frame) => sum + heldBytes(frame), newDirections * ITEM_OVERHEAD_BYTES);
			this.admit(name, bytes, now);
			for (const frame of fresh) this.direction(session, party, frame.peer).frames.set(frame.seq, ownBytes(frame));
			this.account(session, bytes);
			for (const to of new Set(fresh.map((frame) => frame.peer))) this.wakeups.wake(mailboxKey(name, to));
		}
		return { ...collect(session, party, maxAnswerBytes, senders), epoch: (session.epoch ??= newEpoch()) };
	}

	async stats(now: number): Promise<StoreStats> {
		let sessions = 0;
		for (const session of this.sessions.values()) if (!this.expired(session, now)) sessions++;
		return { sessions, bytes: this.totalBytes };
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

	watch(key: string): Watch {
		return this.wakeups.watch(key);
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
		const session: Session = { lastActive: now, parties: new Map(), queues: new Map(), info: null, bytes: 0, tokens: null, released: new Map(), mail: new Map(), epoch: null };
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

	/**
	 * A new holder of the slot of `party` starts afresh: the messages queued to it (what an
	 * earlier holder left unread) and its mailbox directions, both ways, are dropped. A holder
	 * that left and claims its slot again with the same token (say, a delayed copy of its
	 * join) is still in the same run: the frames it sent stay for their receivers.
	 */
	private startAfresh(session: Session, party: number, rejoining: boolean): void {
		for (const [id, fifo] of session.queues) {
			if (id % 256 !== party) continue;
			for (let message = fifo.shift(); message !== undefined; message = fifo.shift()) this.account(session, -messageBytes(message));
			session.queues.delete(id);
		}
		for (const [id, direction] of session.mail) {
			if (id % 256 !== party && (rejoining || Math.floor(id / 256) !== party)) continue;
			for (const held of direction.frames.values()) this.account(session, -heldBytes(held));
			this.account(session, -ITEM_OVERHEAD_BYTES);
			session.mail.delete(id);
		}
	}

	/** The direction from `from` to `to`, made if new (the caller counts its ITEM_OVERHEAD_BYTES). */
	private direction(session: Session, from: number, to: number): Direction {
		const id = from * 256 + to;
		let direction = session.mail.get(id);
		if (!direction) session.mail.set(id, (direction = { frames: new Map(), acked: 0 }));
		return direction;
	}

	/** Drops the frames of `direction` up to `seq`, which its receiver has. */
	private acknowledge(session: Session, direction: Direction, seq: number): void {
		if (seq <= direction.acked) return;
		direction.acked = seq;
		for (const [n, held] of direction.frames) {
			if (n > seq) continue;
			direction.frames.delete(n);
			this.account(session, -heldBytes(held));
		}
	}

	/** The frames from `party` that are neither held nor acknowledged yet (each once). */
	private unheard(session: Session, party: number, frames: readonly MailFrame[]): MailFrame[] {
		const taken = new Set<number>();
		return frames.filter(({ peer, seq }) => {
			const direction = session.mail.get(party * 256 + peer);
			const id = peer * 2 ** 32 + seq;
			if (seq <= (direction?.acked ?? 0) || direction?.frames.has(seq) || taken.has(id)) return false;
			taken.add(id);
			return true;
		});
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

/** The frames for `party` (from `wanted`, or anyone) after each sender's acknowledged number, without a gap, taking from the senders in turn. */
function collect(session: Session, party: number, maxBytes: number, wanted?: readonly number[]): Omit<MailAnswer, 'epoch'> {
	const senders: { from: number; direction: Direction; next: number }[] = [];
	for (const [id, direction] of session.mail) {
		const from = Math.floor(id / 256);
		if (id % 256 === party && direction.frames.size > 0 && (!wanted || wanted.includes(from))) senders.push({ from, direction, next: direction.acked + 1 });
	}
	senders.sort((a, b) => a.from - b.from);
	const frames: MailFrame[] = [];
	let bytes = 0;
	for (let progress = true; progress; ) {
		progress = false;
		for (const sender of senders) {
			const held = sender.direction.frames.get(sender.next);
			if (!held) continue;
			// Frame headers count too: an answer of many empty frames is no smaller than its headers.
			const size = FRAME_OVERHEAD + payloadBytes(held);
			if (maxBytes === 0 || (frames.length > 0 && (bytes + size > maxBytes || frames.length === MAX_FRAMES_PER_BODY))) return { frames, more: true };
			frames.push({ ...held, peer: sender.from, seq: sender.next++ });
			bytes += size;
			progress = true;
		}
	}
	return { frames, more: false };
}

/** What a held frame counts against the caps. */
function heldBytes(held: Held): number {
	return payloadBytes(held) + ITEM_OVERHEAD_BYTES;
}

/** What a queued message counts against the caps. */
function messageBytes(message: Uint8Array): number {
	return message.length + ITEM_OVERHEAD_BYTES;
}

/** Why a request with `token` may not act for the slot of `party`, given the session's claimed slots; null if it may. */
function slotRefusal(tokens: Map<number, string> | null, party: number, token: string | null): SlotRefusal | null {
	if (tokens === null) return token === null ? null : 'slot-unclaimed';
	if (token === null) return 'token-missing';
	const held = tokens.get(party);
	if (held === token) return null;
	return held === undefined ? 'slot-unclaimed' : 'token-wrong';
}

/** Bytes of request bodies beyond a stored frame's payload that the frame may keep alive: this many, or an eighth of the payload. */
const PINNED_SLACK_BYTES = 4096;

/**
 * A frame's payload as the store keeps it: the views it came in (of a request body's chunks,
 * see decodeRequest) when the arrays behind them are little more than the payload (a large
 * frame: no copy of it, whose fresh memory costs page faults), else a copy of its own, so
 * that a stored frame never pins much more than its own bytes.
 */
function ownBytes(frame: Held): Held {
	const bytes = payloadBytes(frame);
	let pinned = 0;
	for (const buffer of new Set(payloadPieces(frame).map((piece) => piece.buffer))) pinned += buffer.byteLength;
	// Only the payload: the frame's recipient and number are the direction's and the map's.
	if (pinned - bytes <= Math.max(PINNED_SLACK_BYTES, bytes / 8)) return frame.rest ? { payload: frame.payload, rest: frame.rest } : { payload: frame.payload };
	// A copy of its own, also of a payload in one piece.
	return { payload: concatBytes(...payloadPieces(frame)) };
}
