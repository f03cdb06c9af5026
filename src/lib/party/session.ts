/**
 * A party's or the dealer's run through the relay: join, heartbeat, the best channel the
 * relay offers (the run seals it with the session key when there is one), the run itself,
 * leave. The one
 * implementation behind `polytune party`, `polytune pre` and the browser's Worker.
 */
import { DEALER_PARTY } from '../channel/channel';
import { turnPassed } from '../channel/next-turn';
import { openRelayChannel, type RelayChannel } from '../channel/relay-channel';
import { newSlotToken, RelayClient, type Fetch, type RelayCapabilities } from '../channel/relay-client';
import { WaitingChannel } from '../channel/waits';
import { DEALER_SECRET_BYTES } from './dealer-grant';
import { PartySetupError } from './errors';
import { prepareParty, type PartySettings, type PreparedParty } from './prepare';
import { runDealerOver, runPreparedParty, type PartyResult, type SessionTransport } from './run';
import type { PartyStatus } from './status';

export interface SessionOptions {
	/** The relay's base URL, e.g. `http://127.0.0.1:8000`. */
	url: string;
	session: string;
	/** The 32-byte session key: every message is sealed end to end. Without it the wire is plaintext. */
	key?: Uint8Array;
	/** How long to wait for a missing participant, and the longest silence during the run. Default 10 minutes. */
	timeoutMs?: number;
	onStatus?: (status: PartyStatus) => void;
	/** Cancels the run; the others are told. */
	signal?: AbortSignal;
	/** The `fetch` to use (default: the global one). */
	fetch?: Fetch;
	/** The long poll asked of the relay (default 25 s). */
	pollWaitMs?: number;
	/** The secret that holds this participant's slot on the relay (default: a fresh one for this run); whoever leaves the slot for it needs it. */
	slotToken?: string;
}

export interface PartyOptions extends SessionOptions, PartySettings {
	/**
	 * Hears the result as soon as it is known and everything this party sent has reached the
	 * relay: a round trip before `runParty` resolves, which waits until the party has left.
	 */
	onResult?: (result: PartyResult) => void;
}

export interface DealerSessionOptions extends SessionOptions {
	/** The number of computing parties. */
	parties: number;
	/** The secret of the session's dealer grant; required with a session key. */
	dealerSecret?: Uint8Array;
}

export const DEFAULT_TIMEOUT_MS = 600_000;
/** An unreachable relay at the start is most likely a wrong URL: say so soon. */
const FIRST_CONTACT_MS = 3000;
/** A participant joins again this often, so that the relay lists it as active while it runs. */
const HEARTBEAT_MS = 5000;
/** Participants seen within this long count as present in the waiting room (several heartbeats). */
export const ACTIVE_MS = 20_000;
/**
 * How long a participant's network (or the relay) may be away in the middle of a run: its
 * requests are retried, the others wait for it, and the run goes on once it is back.
 */
const OFFLINE_TOLERANCE_MS = 60_000;
/** A peer the relay has not seen for this long (beyond the tolerance and a few heartbeats) has vanished: receives from it fail. */
const GONE_MS = OFFLINE_TOLERANCE_MS + 30_000;
/** A receive that has waited this long makes the status name whom the run waits for. */
export const SILENCE_MS = 5000;
const SILENCE_CHECK_MS = 1000;
/** After a failure, how long what is still on its way (abort notices) may take before the run gives up on it. */
const NOTICE_MS = 3000;
/** How long the relay may hold a request for the participant list while it waits for a change. */
const PARTICIPANTS_WAIT_MS = 25_000;
const SESSION_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Runs one computing party: checks the program, settings and input, joins, waits for the
 * others, runs the handshake and the MPC protocol, and resolves with the output (for an
 * output party). Rejects with a PartySetupError, GarbleCompileError or GarbleLiteralError
 * before joining; later with a RelayUnreachableError, RelayRefusedError, SlotTakenError, JoinTimeoutError,
 * PeerTimeoutError, PeerGoneError, MismatchError, HandshakeError, SealError, StreamError,
 * PeerAbortError or MpcAbortError, each naming the party and what failed.
 */
export async function runParty(options: PartyOptions): Promise<PartyResult> {
	const contact = contactRelay(options);
	let prepared: PreparedParty;
	try {
		// The first request leaves before compiling holds this thread, and its answer travels meanwhile.
		await turnPassed();
		prepared = prepareParty(options, { keyed: options.key !== undefined });
	} catch (error) {
		contact.abandon(error);
		throw error;
	}
	const others = Array.from({ length: prepared.parties }, (_, p) => p).filter((p) => p !== prepared.party);
	return inSession(
		options,
		contact,
		prepared.party,
		[...others, DEALER_PARTY],
		(transport, onStatus) => runPreparedParty(transport, prepared, { timeoutMs: contact.timeoutMs, onStatus, signal: options.signal }),
		options.onResult
	);
}

/**
 * Runs the trusted dealer (party 255) for `parties` computing parties. Resolves with
 * `{ used: true }` once it has dealt, or `{ used: false }` when the parties chose OT
 * preprocessing (it stops cleanly either way).
 */
export async function runDealerSession(options: DealerSessionOptions): Promise<{ used: boolean }> {
	const { parties } = options;
	if (!Number.isInteger(parties) || parties < 2 || parties >= DEALER_PARTY) {
		throw new PartySetupError(`the number of parties must be a whole number from 2 to ${DEALER_PARTY - 1}, got ${parties}`);
	}
	const secret = options.dealerSecret;
	if (options.key && !secret) {
		throw new PartySetupError("with a session key, only the dealer the session's creator granted can deal: give the grant's secret (the dealer link carries it)");
	}
	if (secret && secret.length !== DEALER_SECRET_BYTES) throw new PartySetupError(`a dealer secret has ${DEALER_SECRET_BYTES} bytes, this one ${secret.length}`);
	const contact = contactRelay(options);
	return inSession(options, contact, DEALER_PARTY, Array.from({ length: parties }, (_, p) => p), (transport, onStatus) =>
		runDealerOver(transport, { parties, timeoutMs: contact.timeoutMs, secret, onStatus, signal: options.signal })
	);
}

/** The first contact with the relay, made before anything else so that its answer travels while the party prepares. */
interface Contact {
	relay: RelayClient;
	/** Ends every request of the run: aborted at its end, or when it fails before joining. */
	stop: AbortController;
	/** What the relay offers, and who is there. */
	offers: Promise<RelayCapabilities>;
	timeoutMs: number;
	/** Cancels the contact when the run is cancelled before it has joined. */
	cancelled: () => void;
	/** Ends the contact of a run that stops before it joins. */
	abandon(reason: unknown): void;
}

/** Checks the session options and asks the relay what it offers (and who is there); every later request goes through its client. */
function contactRelay(options: SessionOptions): Contact {
	const { session, signal } = options;
	if (!SESSION_NAME.test(session)) throw new PartySetupError(`bad session name '${session}': use 1 to 128 of the characters A-Z a-z 0-9 _ . -`);
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	if (!(timeoutMs > 0)) throw new PartySetupError(`the timeout must be positive, got ${timeoutMs} ms`);
	signal?.throwIfAborted();
	const stop = new AbortController();
	const cancelled = () => stop.abort(signal!.reason);
	signal?.addEventListener('abort', cancelled, { once: true });
	const relay = new RelayClient({ url: options.url, fetch: options.fetch, signal: stop.signal });
	const offers = relay.capabilities(session, ACTIVE_MS, { retryWindowMs: FIRST_CONTACT_MS });
	// Awaited once the party is ready to join; a party that fails before that never looks.
	offers.catch(() => {});
	const abandon = (reason: unknown) => {
		signal?.removeEventListener('abort', cancelled);
		stop.abort(reason);
	};
	return { relay, stop, offers, timeoutMs, cancelled, abandon };
}

/**
 * Claims the slot of `party` with a slot token (the relay then drops what an earlier run left
 * for it; one that does not check tokens is drained of what `senders` left), runs `work`,
 * leaves. Every request for the slot carries the token, so nobody else can act for it.
 * `work` reports through the `onStatus` it is given, which adds whom the run waits for;
 * `onResult` hears its result before the party leaves.
 */
async function inSession<T>(
	options: SessionOptions,
	contact: Contact,
	party: number,
	senders: readonly number[],
	work: (transport: SessionTransport, onStatus: (status: PartyStatus) => void) => Promise<T>,
	onResult?: (result: T) => void
): Promise<T> {
	const { session, signal } = options;
	const { relay, stop, timeoutMs } = contact;
	const token = options.slotToken ?? newSlotToken();
	let http: RelayChannel | undefined;
	const traffic = () => ({ bytesSent: http?.bytesSent ?? 0, bytesReceived: http?.bytesReceived ?? 0 });
	let heartbeat: ReturnType<typeof setInterval> | undefined;
	let silences: ReturnType<typeof reportSilences> | undefined;
	let joined = false;
	try {
		options.onStatus?.({ stage: 'joining', ...traffic() });
		const offers = await contact.offers;
		const opened = await openRelayChannel({ relay, session, party, token, timeoutMs, pollWaitMs: options.pollWaitMs, presenceMs: GONE_MS, senders, offers });
		http = opened;
		await relay.join(session, party, { token });
		joined = true;
		signal?.removeEventListener('abort', contact.cancelled);
		heartbeat = setInterval(() => void relay.join(session, party, { token }).catch(() => {}), HEARTBEAT_MS);
		const channel = new WaitingChannel(opened);
		silences = reportSilences(channel, options.onStatus);
		// Ends the waits for a change of the participants on cancel (receives end with the channel's cancel).
		const waits = new AbortController();
		const transport: SessionTransport = {
			session,
			channel,
			...(options.key ? { key: options.key } : {}),
			present: [...new Set([...offers.participants, party])].sort((a, b) => a - b),
			participants: (change) =>
				relay.participants(session, ACTIVE_MS, change && { known: change.known, waitMs: Math.min(change.waitMs, PARTICIPANTS_WAIT_MS) }, { signal: waits.signal }),
			traffic,
			cancel: (reason) => {
				waits.abort(reason);
				opened.cancel(reason);
			}
		};
		const result = await work(transport, silences.onStatus);
		// What this party sent last must reach the relay before it leaves.
		await opened.finish();
		onResult?.(result);
		return result;
	} catch (error) {
		// Abort notices to the others are still on their way: give them a moment.
		await settleWithin(http?.finish(), NOTICE_MS);
		throw error;
	} finally {
		signal?.removeEventListener('abort', contact.cancelled);
		clearInterval(heartbeat);
		silences?.stop();
		stop.abort(new Error('the run is over'));
		if (joined) await new RelayClient({ url: options.url, fetch: options.fetch, retryWindowMs: 1000 }).leave(session, party, token).catch(() => {});
	}
}

/**
 * Passes a run's status on, adding whom the run waits for once a receive has waited
 * SILENCE_MS (a peer offline for a while, or far slower), and again when that changes.
 */
function reportSilences(channel: WaitingChannel, onStatus: ((status: PartyStatus) => void) | undefined) {
	let last: PartyStatus | undefined;
	let silent: number[] = [];
	// Before the run (joining, waiting for the others) and after it, the status says the rest.
	const during = (status: PartyStatus) => !['joining', 'waiting', 'done'].includes(status.stage);
	const report = () => {
		if (last) onStatus?.(silent.length > 0 && during(last) ? { ...last, waitingFor: silent } : last);
	};
	const timer = setInterval(() => {
		const now = channel.waitingLongerThan(SILENCE_MS);
		if (now.join() === silent.join()) return;
		silent = now;
		if (last && during(last)) report();
	}, SILENCE_CHECK_MS);
	return {
		onStatus: (status: PartyStatus) => {
			last = status;
			report();
		},
		stop: () => clearInterval(timer)
	};
}

/** Waits for `work` to settle, at most `ms`; its outcome does not matter. */
async function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([work?.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}
