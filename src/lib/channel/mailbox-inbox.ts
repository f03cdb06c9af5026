import { concatBytes } from '../crypto/block';
import { partyName, type MessageInfo } from './channel';
import { PeerTimeoutError, StreamError } from './http';
import { FRAME_OVERHEAD, type MailFrame } from './mailbox-wire';

/** First byte of a frame's payload as our clients write it: bit 0 marks the last piece of a message. */
export const LAST_PIECE = 1;
/** That byte, in front of every piece. */
export const PIECE_HEADER_BYTES = 1;

interface Waiter {
	resolve(message: Uint8Array): void;
	reject(error: unknown): void;
	info?: MessageInfo;
	timer: ReturnType<typeof setTimeout>;
}

interface Sender {
	/** Highest sequence number received without a gap: what the relay may forget. */
	received: number;
	/** Pieces of the message being put together. */
	pieces: Uint8Array[];
	/** Whole messages nobody asked for yet, oldest first. */
	messages: Uint8Array[];
	/** Receives waiting, oldest first. */
	waiters: Waiter[];
}

/**
 * The receiving half of the mailbox channel: takes the frames the relay answers (from any
 * sender, duplicates included), puts each sender's pieces together in sequence order, and
 * hands whole messages to the receives waiting for them, per sender in order. No I/O.
 */
export class Inbox {
	bytesReceived = 0;
	private readonly senders = new Map<number, Sender>();
	private failure: unknown;

	/** `timeoutMs`: longest wait of one receive before it fails with PeerTimeoutError. */
	constructor(private readonly timeoutMs: number) {}

	/** The oldest message from `from` not received yet; waits up to the timeout. */
	receive(from: number, info?: MessageInfo): Promise<Uint8Array> {
		if (this.failure !== undefined) return Promise.reject(this.failure);
		const sender = this.sender(from);
		const ready = sender.messages.shift();
		if (ready) return Promise.resolve(ready);
		return new Promise((resolve, reject) => {
			const waiter: Waiter = { resolve, reject, info, timer: undefined as never };
			waiter.timer = setTimeout(() => {
				sender.waiters.splice(sender.waiters.indexOf(waiter), 1);
				reject(new PeerTimeoutError(from, info?.phase, this.timeoutMs));
			}, this.timeoutMs);
			sender.waiters.push(waiter);
		});
	}

	/**
	 * Takes one frame from the relay. A frame already received is a duplicate and ignored; a
	 * frame past the next one means that frames were lost (the relay answers each sender
	 * without gaps), which no retry can mend: StreamError.
	 */
	accept({ peer: from, seq, payload }: MailFrame): void {
		const sender = this.sender(from);
		if (seq <= sender.received) return;
		if (seq !== sender.received + 1) {
			throw new StreamError(from, `frame ${sender.received + 1} from ${partyName(from)} was lost on the way (the next to arrive was frame ${seq})`);
		}
		if (payload.length < PIECE_HEADER_BYTES) throw new StreamError(from, `${partyName(from)} sent a frame this version cannot read (is it the same polytune version?)`);
		sender.received = seq;
		this.bytesReceived += FRAME_OVERHEAD + payload.length;
		// Views into the answer until the message is whole. A message of one piece stays a view:
		// a copy of a large message costs page faults in fresh memory, and the sealed channels
		// above open it into a buffer of their own at once (word views of a misaligned message
		// copy it: asWords). A message of several pieces is joined into one copy.
		sender.pieces.push(payload.subarray(PIECE_HEADER_BYTES));
		if (!(payload[0] & LAST_PIECE)) return;
		const message = sender.pieces.length === 1 ? sender.pieces[0] : concatBytes(...sender.pieces);
		sender.pieces = [];
		const waiter = sender.waiters.shift();
		if (!waiter) sender.messages.push(message);
		else {
			clearTimeout(waiter.timer);
			waiter.resolve(message);
		}
	}

	/** `FROM:SEQ,…` for the `ack` query: the highest sequence number received from each sender. */
	acknowledgements(): string {
		return [...this.senders]
			.filter(([, sender]) => sender.received > 0)
			.map(([from, sender]) => `${from}:${sender.received}`)
			.join(',');
	}

	/** The senders some receive waits for, with the phase of the oldest such receive. */
	awaited(): Map<number, MessageInfo | undefined> {
		const awaited = new Map<number, MessageInfo | undefined>();
		for (const [from, sender] of this.senders) if (sender.waiters.length > 0) awaited.set(from, sender.waiters[0].info);
		return awaited;
	}

	/** Whether anything was received from `from`. */
	heardFrom(from: number): boolean {
		return (this.senders.get(from)?.received ?? 0) > 0;
	}

	/** Ends the receives waiting for `from` with `error` (made from the oldest one's info). */
	failSender(from: number, error: (info?: MessageInfo) => unknown): void {
		const sender = this.senders.get(from);
		if (!sender || sender.waiters.length === 0) return;
		const reason = error(sender.waiters[0].info);
		for (const waiter of sender.waiters.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.reject(reason);
		}
	}

	/** Ends every waiting receive, and every later one, with `error`. */
	fail(error: unknown): void {
		this.failure ??= error;
		for (const from of this.senders.keys()) this.failSender(from, () => this.failure);
	}

	private sender(from: number): Sender {
		let sender = this.senders.get(from);
		if (!sender) this.senders.set(from, (sender = { received: 0, pieces: [], messages: [], waiters: [] }));
		return sender;
	}
}
