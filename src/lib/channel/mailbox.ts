import { partyName, type Channel, type MessageInfo } from './channel';
import { PeerGoneError } from './http';
import { repeatInTurn } from './in-turn';
import { Inbox } from './mailbox-inbox';
import { Outbox } from './mailbox-outbox';
import { decodeAnswer, encodeRequestParts, framesBytes, type MailAnswer, type MailFrame } from './mailbox-wire';
import { nextTurn } from './next-turn';
import { ANSWER_GRACE_MS, path, refusal, REFUSAL_HEADER, RelayClient, RelayRefusedError, RelaySessionLostError } from './relay-client';

export interface MailboxChannelOptions {
	/** Relay requests (base URL, fetch, retry window, cancellation). */
	relay: RelayClient;
	session: string;
	/** This party's index (255 for the dealer). */
	party: number;
	/** This party's slot token: the mailbox needs it (RelayClient.join claims the slot with it). */
	token: string;
	/** Longest wait of one receive before it fails with PeerTimeoutError. Default 10 minutes. */
	timeoutMs?: number;
	/** How long one request may wait at the relay for frames (`?wait=`; it caps it). Default 25 s. */
	pollWaitMs?: number;
	/** Largest request body and answer; the relay says its own (RelayClient.capabilities). Default and most: 16 MiB, the relay's own default, so that a 5-party dealer's material or garbled tables (about 12 MB) come in one answer. */
	maxRequestBytes?: number;
	/**
	 * With this, a receive that waits asks the relay (every 10 s at most) whether the sender
	 * was seen within this many ms; a sender present before and absent now can never send
	 * again, so its receives fail with PeerGoneError instead of waiting for the timeout.
	 */
	presenceMs?: number;
	/**
	 * The parties that must be there before the relay stores anything this party sends
	 * (`?until=`, a relay extension), so that it may speak along with its join: until an answer
	 * shows they all are, one request at a time carries the frames, and a held answer sends
	 * them again.
	 */
	holdUntil?: { parties: readonly number[]; activeMs: number };
}

const MiB = 1024 * 1024;
const DEFAULT_REQUEST_BYTES = 16 * MiB;
/** Requests are never made smaller than this, whatever a relay says (its 413 then says why). */
const SMALLEST_REQUEST_BYTES = 1024;
/** Frames ride on a request that waits for incoming ones only up to this size; more go on their own. */
const PIGGYBACK_BYTES = 256 * 1024;
/**
 * Requests that wait for incoming frames at once, each for senders the others do not cover:
 * a receive from a new sender need not wait for the answer of a request that waits for
 * another. Two, so that with the pushes and the heartbeat a browser stays within its six
 * connections per relay.
 */
const MAX_TAKERS = 2;
/**
 * How long the relay may hold an answer that has frames from some of the awaited senders for
 * the others: about a round trip, which is what asking again would cost (`?gather=`). Within
 * these bounds; the round trip is estimated by RelayClient.quickestMs.
 */
const LEAST_GATHER_MS = 5;
const MOST_GATHER_MS = 1000;
/** Sends resolve at once while the frames the relay has not stored yet stay below this. */
const OUTBOX_BYTES = 16 * MiB;
/** Requests with frames that may be on their way at once (besides the one that waits). */
const MAX_PUSHES = 2;
const PRESENCE_CHECK_MS = 10_000;
/** Backoff of frames refused for a full session: from this, doubling to the longest. */
const FIRST_ROOM_WAIT_MS = 100;
const LONGEST_ROOM_WAIT_MS = 5000;
/** After a held answer that came back early (the relay's own wait is shorter, or a join still on its way), the pause before asking again. */
const HELD_RETRY_MS = 250;

interface Flight {
	frames: MailFrame[];
	/** The senders whose frames it asks for (none: it only delivers `frames`). */
	senders: readonly number[];
	/** It waits at the relay for incoming frames, so its answer may take up to the poll wait. */
	waiting: boolean;
}

/**
 * A Channel through our relay's mailbox endpoint (docs/relay.md), in as few requests as the
 * relay's size limit allows.
 *
 * A send cuts the message into numbered frames (per direction, from 1) and resolves at once
 * while less than OUTBOX_BYTES wait for the relay; what was sent in one turn of the event
 * loop leaves in one request, and requests never wait for each other: the sequence numbers
 * keep the order. A frame is sent again, with the same number, until the relay has it; the
 * relay stores it once however often it comes. Receiving: whenever a receive waits, one
 * request asks the relay for what is addressed to this party from every sender a receive
 * waits for (waiting there while there is nothing, and about a round trip for the others once
 * some have sent), acknowledging what arrived so far; small sends ride on that request. A
 * receive from a sender that no request covers yet gets a second request of its own, so that
 * it never waits for another sender's answer. The relay keeps each frame until it is
 * acknowledged, so an answer lost on the way loses nothing, and the frames of each sender are
 * put together and handed out in order, duplicates dropped. Frames the relay refuses for a
 * full session (429) wait in the outbox, in smaller requests, while receiving goes on.
 *
 * Errors: a receive waits at most `timeoutMs` (PeerTimeoutError) and fails early for a sender
 * that left (PeerGoneError, with `presenceMs`); a relay that stays away for its retry window
 * (RelayUnreachableError), refuses (RelayRefusedError; a full session after `timeoutMs`), lost
 * the session (RelaySessionLostError) or answers with a gap (StreamError) fails the whole
 * channel: every pending and later send and receive rejects with that error.
 */
export class MailboxChannel implements Channel {
	private readonly relay: RelayClient;
	private readonly inbox: Inbox;
	private readonly outbox: Outbox;
	private readonly timeoutMs: number;
	private readonly pollWaitMs: number;
	private readonly maxRequestBytes: number;
	private readonly route: string;
	private readonly flights = new Set<Flight>();
	/** Requests on their way with frames that do not wait. */
	private pushes = 0;
	private scheduled = false;
	/** False once receives are cancelled: no more requests for incoming frames. */
	private receiving = true;
	private epoch: string | undefined;
	private failure: { error: unknown } | undefined;
	private readonly watchers: { done(): boolean; resolve(): void; reject(error: unknown): void }[] = [];
	/** Parties seen present (or heard from): only their absence means they are gone. */
	private readonly seen = new Set<number>();
	private presence: ReturnType<typeof setInterval> | undefined;
	/** Since the relay first refused frames for a full session (until it takes some again): the backoff, and whether frames wait out its delay now. */
	private full: { since: number; delay: number; waiting: boolean } | undefined;
	/** The relay holds what this party sends until everyone of `holdUntil` is there (none of its answers has said otherwise yet). */
	private holding: boolean;
	/** A held answer came back early: the next request waits a moment. */
	private pausedAfterHeld = false;

	constructor(private readonly options: MailboxChannelOptions) {
		this.relay = options.relay;
		this.timeoutMs = options.timeoutMs ?? 600_000;
		this.pollWaitMs = options.pollWaitMs ?? 25_000;
		this.maxRequestBytes = Math.max(SMALLEST_REQUEST_BYTES, Math.min(options.maxRequestBytes ?? DEFAULT_REQUEST_BYTES, DEFAULT_REQUEST_BYTES));
		this.inbox = new Inbox(this.timeoutMs);
		this.outbox = new Outbox(this.maxRequestBytes);
		this.route = path('exchange', options.session, options.party);
		this.holding = options.holdUntil !== undefined;
	}

	get bytesSent(): number {
		return this.outbox.bytesSent;
	}

	get bytesReceived(): number {
		return this.inbox.bytesReceived;
	}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		return this.send(to, bytes, undefined, info);
	}

	/** The tail goes in its own part of the message's last frame: the message is not copied. */
	sendWithTailTo(to: number, bytes: Uint8Array, tail: number, info?: MessageInfo): Promise<void> {
		return this.send(to, bytes, tail, info);
	}

	private send(to: number, bytes: Uint8Array, tail: number | undefined, info: MessageInfo | undefined): Promise<void> {
		if (this.failure) return Promise.reject(this.failure.error);
		if (!Number.isInteger(to) || to < 0 || to > 255 || to === this.options.party) {
			return Promise.reject(new Error(`cannot send ${info?.phase ? `${info.phase} ` : ''}to party ${to}: parties are 0 to 255, other than this one`));
		}
		this.outbox.add(to, bytes, tail);
		this.schedule();
		return this.until(() => this.outbox.unconfirmedBytes <= OUTBOX_BYTES);
	}

	recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const message = this.inbox.receive(from, info);
		if (this.receiving && this.inbox.awaited().has(from)) {
			this.schedule();
			this.watchPresence();
		}
		return message;
	}

	/** Ends the waiting receives, and later ones, with `reason`; what was sent still goes out (see `finish`). */
	cancel(reason: unknown): void {
		this.receiving = false;
		this.inbox.fail(reason);
		this.stopWatchingPresence();
	}

	/**
	 * Resolves once the relay has every frame sent so far; rejects with the channel's failure.
	 * What arrived needs no last acknowledgement: the relay drops the frames to a party when it
	 * leaves. While the relay holds what was sent (`holdUntil`), nothing of it reached anyone:
	 * there is nothing to wait for.
	 */
	async finish(): Promise<void> {
		if (this.holding) return;
		// Frames riding on a request that waits for incoming ones go again on their own, so that nothing waits for that answer.
		for (const flight of this.flights) {
			const open = this.outbox.open(flight.frames);
			if (flight.waiting && open.length > 0) void this.exchange(open, [], 0);
		}
		this.pump();
		await this.until(() => this.outbox.confirmed);
	}

	private schedule(): void {
		if (this.scheduled || this.failure) return;
		this.scheduled = true;
		nextTurn(() => {
			this.scheduled = false;
			this.pump();
		});
	}

	/**
	 * Starts the requests the state calls for: the outbox's frames (small ones riding on a
	 * request for incoming frames), and a request for the frames of the senders a receive
	 * waits for that no request on its way asks for.
	 */
	private pump(): void {
		if (this.failure) return;
		if (this.holding) return this.pumpHeld();
		let uncovered = this.uncovered();
		while (this.outbox.queued && this.pushes < MAX_PUSHES && !this.full?.waiting) {
			const frames = this.outbox.take();
			const ride = uncovered.length > 0 && framesBytes(frames) <= PIGGYBACK_BYTES;
			void this.exchange(frames, ride ? uncovered : [], ride ? this.pollWaitMs : 0);
			if (ride) uncovered = [];
		}
		if (uncovered.length > 0) void this.exchange([], uncovered, this.pollWaitMs);
	}

	/** While held: one request at a time, with every queued frame it holds, waiting for every awaited sender. */
	private pumpHeld(): void {
		if (this.flights.size > 0 || this.pausedAfterHeld) return;
		const frames = this.outbox.queued ? this.outbox.take() : [];
		const senders = this.receiving ? [...this.inbox.awaited().keys()] : [];
		if (frames.length > 0 || senders.length > 0) void this.exchange(frames, senders, this.pollWaitMs);
	}

	/** The senders a receive waits for and no request on its way asks for; none while MAX_TAKERS requests ask. */
	private uncovered(): number[] {
		if (!this.receiving) return [];
		const asked = new Set<number>();
		let takers = 0;
		for (const flight of this.flights) {
			if (flight.senders.length > 0) takers++;
			flight.senders.forEach((sender) => asked.add(sender));
		}
		return takers < MAX_TAKERS ? [...this.inbox.awaited().keys()].filter((sender) => !asked.has(sender)) : [];
	}

	/** One request: sends `frames`, and receives what `senders` sent (waiting up to `waitMs` for it). */
	private async exchange(frames: MailFrame[], senders: readonly number[], waitMs: number): Promise<void> {
		const flight: Flight = { frames, senders, waiting: waitMs > 0 };
		const push = frames.length > 0 && !flight.waiting;
		this.flights.add(flight);
		if (push) this.pushes++;
		try {
			const asked = Date.now();
			const answer = await this.post(frames, senders, waitMs);
			if (answer.held) return this.held(frames, Date.now() - asked < waitMs / 2);
			this.holding = false;
			this.outbox.confirm(frames);
			this.notify();
			for (const frame of answer.frames) {
				this.seen.add(frame.peer);
				this.inbox.accept(frame);
			}
			if (this.inbox.awaited().size === 0) this.stopWatchingPresence();
			if (frames.length > 0) this.full = undefined;
		} catch (error) {
			if (!(frames.length > 0 && this.waitForRoom(frames, error))) this.fail(error);
		} finally {
			this.flights.delete(flight);
			if (push) this.pushes--;
			this.schedule();
		}
	}

	/** The relay stored nothing of `frames` (someone awaited is not there yet): they go again, after a pause where the answer came early. */
	private held(frames: readonly MailFrame[], early: boolean): void {
		this.outbox.requeue(frames);
		if (!early) return;
		this.pausedAfterHeld = true;
		setTimeout(() => {
			this.pausedAfterHeld = false;
			this.schedule();
		}, HELD_RETRY_MS);
	}

	/** One exchange request, retried as RelayClient does; the relay's answer, checked. */
	private async post(frames: MailFrame[], senders: readonly number[], waitMs: number): Promise<MailAnswer> {
		const acks = this.inbox.acknowledgements();
		const take = senders.length > 0;
		// Frames only from the senders a receive waits for: what this party holds stays bounded, whatever others send.
		const asks = take ? `&for=${senders.join(',')}${senders.length > 1 ? `&gather=${this.gatherMs()}` : ''}` : '';
		const { holdUntil } = this.options;
		const until = this.holding && holdUntil ? `&until=${holdUntil.parties.join(',')}&active=${holdUntil.activeMs}` : '';
		const query = `?wait=${waitMs}&max=${take ? this.maxRequestBytes : 0}${acks ? `&ack=${acks}` : ''}${asks}${until}`;
		const what = frames.length > 0 ? `pass on messages to ${[...new Set(frames.map((f) => partyName(f.peer)))].join(' and ')}` : 'pass on messages for this party';
		const response = await this.relay.request('POST', `${this.route}${query}`, {
			body: encodeRequestParts(frames),
			what,
			token: this.options.token,
			// A full session is handled here (waitForRoom), so that receiving goes on meanwhile.
			busyWindowMs: frames.length > 0 ? 0 : this.timeoutMs,
			attemptTimeoutMs: waitMs + ANSWER_GRACE_MS,
			waits: waitMs > 0,
			readAnswer: true
		});
		if (response.status === 403 && response.headers.get(REFUSAL_HEADER) === 'slot-unclaimed') {
			throw new RelaySessionLostError(this.relay.url, this.options.session, `it no longer knows the slot of ${partyName(this.options.party)}`);
		}
		if (!response.ok) throw await refusal(response, what);
		const answer = decodeAnswer(new Uint8Array(await response.arrayBuffer()));
		if (answer.held) return answer;
		this.epoch ??= answer.epoch;
		if (answer.epoch !== this.epoch) throw new RelaySessionLostError(this.relay.url, this.options.session, 'its mailbox of the session started anew');
		return answer;
	}

	/** How long the relay may hold a partial answer for the other senders: about a round trip to it. */
	private gatherMs(): number {
		return Math.round(Math.min(MOST_GATHER_MS, Math.max(LEAST_GATHER_MS, this.relay.quickestMs ?? LEAST_GATHER_MS)));
	}

	/**
	 * The relay refused `frames` for a full session or relay (429): they go back to the
	 * outbox and wait, with backoff, while requests without frames go on receiving (which is
	 * what drains the session). False once the session has stayed full for the timeout.
	 */
	private waitForRoom(frames: MailFrame[], error: unknown): boolean {
		if (!(error instanceof RelayRefusedError && error.status === 429)) return false;
		const now = Date.now();
		const full = (this.full ??= { since: now, delay: FIRST_ROOM_WAIT_MS, waiting: false });
		if (now - full.since > this.timeoutMs) return false;
		this.outbox.refused(frames);
		if (full.waiting) return true;
		full.waiting = true;
		setTimeout(() => {
			full.waiting = false;
			this.schedule();
		}, full.delay);
		full.delay = Math.min(full.delay * 2, LONGEST_ROOM_WAIT_MS);
		return true;
	}

	private fail(error: unknown): void {
		if (this.failure) return;
		this.failure = { error };
		this.inbox.fail(error);
		this.stopWatchingPresence();
		this.notify();
	}

	/** Resolves once `done()` holds; rejects once the channel has failed. */
	private until(done: () => boolean): Promise<void> {
		if (this.failure) return Promise.reject(this.failure.error);
		if (done()) return Promise.resolve();
		return new Promise((resolve, reject) => this.watchers.push({ done, resolve, reject }));
	}

	private notify(): void {
		for (const watcher of [...this.watchers]) {
			if (!this.failure && !watcher.done()) continue;
			this.watchers.splice(this.watchers.indexOf(watcher), 1);
			if (this.failure) watcher.reject(this.failure.error);
			else watcher.resolve();
		}
	}

	private watchPresence(): void {
		const { presenceMs } = this.options;
		if (presenceMs === undefined || this.presence !== undefined) return;
		this.presence = repeatInTurn(() => this.checkPresence(presenceMs), Math.min(PRESENCE_CHECK_MS, presenceMs / 2));
	}

	private stopWatchingPresence(): void {
		clearInterval(this.presence);
		this.presence = undefined;
	}

	/** Fails the receives waiting for a sender that was present and is no longer. */
	private async checkPresence(presenceMs: number): Promise<void> {
		const awaited = this.inbox.awaited();
		if (awaited.size === 0) return this.stopWatchingPresence();
		const active = await this.relay.participants(this.options.session, presenceMs).catch(() => undefined);
		if (!active) return;
		active.forEach((party) => this.seen.add(party));
		const gone = [...awaited.keys()].filter((party) => !active.includes(party) && this.seen.has(party));
		if (gone.length === 0) return;
		// A sender may have sent its last message just before it left: look once more.
		await this.exchange([], [...awaited.keys()], 0);
		for (const party of gone) this.inbox.failSender(party, (info) => new PeerGoneError(party, info?.phase));
	}
}
