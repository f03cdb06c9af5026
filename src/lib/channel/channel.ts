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
}

/** What a message is for, so that a timeout or failure can say what was awaited. */
export interface MessageInfo {
	phase?: string;
}

/** Party index of the trusted dealer, as in the original Polytune example. */
export const DEALER_PARTY = 255;

/** Names a participant in messages meant for people. */
export function partyName(party: number): string {
	return party === DEALER_PARTY ? 'the dealer (party 255)' : `party ${party}`;
}
