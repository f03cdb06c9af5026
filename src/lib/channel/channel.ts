/**
 * How parties talk: one ordered stream of messages per (sender, receiver) pair.
 * Implementations: in memory (tests, benchmarks), polling HTTP through the relay, and
 * wrappers that seal messages or carry aborts. Party 255 is the trusted dealer.
 */
export interface Channel {
	/** Queues one message for party `to`; resolves once the transport has accepted it. */
	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void>;
	/** Resolves with the oldest message from party `from` not yet received. */
	recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array>;
	/**
	 * Sends `bytes` and then the one byte `tail` as one message, as sendBytesTo of both joined
	 * would, but without joining them: a transport that can send a message in parts saves a copy
	 * (of a large message, into fresh memory). See sendWithTail.
	 */
	sendWithTailTo?(to: number, bytes: Uint8Array, tail: number, info?: MessageInfo): Promise<void>;
}

/** `bytes` and then the byte `tail` to `to` over `channel`: in parts where it can, else joined. */
export function sendWithTail(channel: Channel, to: number, bytes: Uint8Array, tail: number, info?: MessageInfo): Promise<void> {
	if (channel.sendWithTailTo) return channel.sendWithTailTo(to, bytes, tail, info);
	const joined = new Uint8Array(bytes.length + 1);
	joined.set(bytes);
	joined[bytes.length] = tail;
	return channel.sendBytesTo(to, joined, info);
}

/** What a message is for, so that a timeout or failure can say what was awaited. */
export interface MessageInfo {
	phase?: string;
	/** A receive that waits as long as the peer computes (the dealer's wait for the end of the run): its length is no silence. */
	patient?: boolean;
}

/** Party index of the trusted dealer, as in the original Polytune example. */
export const DEALER_PARTY = 255;

/** Names a participant in messages meant for people. */
export function partyName(party: number): string {
	return party === DEALER_PARTY ? 'the dealer (party 255)' : `party ${party}`;
}
