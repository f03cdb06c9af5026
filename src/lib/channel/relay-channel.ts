import type { Channel } from './channel';
import { PollingHttpChannel } from './http';
import { MailboxChannel, type MailboxChannelOptions } from './mailbox';
import { MAILBOX_WIRE_VERSION } from './mailbox-wire';
import type { RelayCapabilities } from './relay-client';

/** A channel through the relay, with what a run needs around its messages. */
export interface RelayChannel extends Channel {
	readonly bytesSent: number;
	readonly bytesReceived: number;
	/** Ends the waiting receives, and later ones, with `reason`; what was sent still goes out. */
	cancel(reason: unknown): void;
	/** Resolves once the relay has everything sent so far. */
	finish(): Promise<void>;
}

export interface RelayChannelOptions extends Omit<MailboxChannelOptions, 'maxRequestBytes'> {
	/** Who may have left messages for this party in an earlier run: drained where the relay does not clear a claimed slot. */
	senders: readonly number[];
	/** What the relay offers (RelayClient.capabilities), asked before joining. */
	offers: RelayCapabilities;
}

/** Whether the channel `openRelayChannel` opens with these offers holds what is sent until the parties of `holdUntil` are there. */
export function holdsFirstFrames(offers: RelayCapabilities): boolean {
	return offers.exchange === MAILBOX_WIRE_VERSION && offers.holds;
}

/**
 * The best channel the relay offers, chosen before joining: the mailbox (MailboxChannel) on
 * a relay that has it, else one queue per direction (PollingHttpChannel), as the original
 * relay. On a relay that does not clear a claimed slot (the original), what earlier runs left
 * for this party is received and discarded first.
 */
export async function openRelayChannel(options: RelayChannelOptions): Promise<RelayChannel> {
	const { relay, session, party, token, timeoutMs, pollWaitMs, presenceMs, offers } = options;
	if (offers.exchange === MAILBOX_WIRE_VERSION) {
		const holdUntil = offers.holds ? options.holdUntil : undefined;
		return new MailboxChannel({ relay, session, party, token, timeoutMs, pollWaitMs, presenceMs, maxRequestBytes: offers.maxBytes, ...(holdUntil ? { holdUntil } : {}) });
	}
	const channel = new PollingHttpChannel({ relay, session, party, token, timeoutMs, pollWaitMs, presenceMs });
	if (!offers.slotTokens) await Promise.all(options.senders.map((sender) => channel.drain(sender)));
	return channel;
}
