/**
 * A party's or the dealer's run through the relay: join, heartbeat, the best channel the
 * relay offers (the run seals it with the session key when there is one), the run itself,
 * leave. The one
 * implementation behind `polytune party`, `polytune pre` and the browser's Worker.
 */
import { DEALER_PARTY } from '../channel/channel';
import { turnPassed } from '../channel/next-turn';
import { holdsFirstFrames, openRelayChannel, type RelayChannel } from '../channel/relay-channel';
import { newSlotToken, RelayClient, sleep, type Fetch, type RelayCapabilities } from '../channel/relay-client';
import { PeerAbortError } from '../channel/abortable';
import { PeerGoneError, StreamError } from '../channel/http';
import { SealError } from '../channel/sealed';
import { repeatInTurn } from '../channel/in-turn';
import { WaitingChannel } from '../channel/waits';
import { MpcAbortError } from '../mpc';
import { prepareCircuit } from '../mpc/prepare';
import type { Circuit } from '../garble';
import { OtCheckError } from '../ot/errors';
import { CIRCUIT_READY_MARK } from './marks';
import { attemptSession, DEALER_RESTART_REASON, finishedSession, MAX_RESTARTS, rejoinReason, restartCauseSession, RestartLimitError, RestartRefusedError, type Restart } from './attempts';
import { DEALER_SECRET_BYTES } from './dealer-grant';
import { MismatchError, PartySetupError } from './errors';
import { runIdentity, type RunIdentity } from './identity';
import { followParticipants, PARTICIPANTS_WAIT_MS, type LookAtParticipants } from './presence';
import { dealerCircuit, prepareParty, type DealerProgram, type PartySettings, type PreparedParty } from './prepare';
import { awaitedBy, lookAt, runDealerOver, runPreparedParty, type PartyResult, type SessionTransport } from './run';
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
	/** The attempt to join first (attempts.ts): a participant that left mid-run rejoins the one after the attempt it had started. Default 0. */
	attempt?: number;
}

export interface PartyOptions extends SessionOptions, PartySettings {
	/**
	 * Hears the result as soon as it is known and everything this party sent has reached the
	 * relay: a round trip before `runParty` resolves, which waits until the party has left.
	 */
	onResult?: (result: PartyResult) => void;
	/**
	 * Awaited before this party sends the first message of the output phase: from then on it
	 * never starts again. A tab records it where a reload finds it, so that it refuses to rejoin.
	 */
	beforeOutput?: () => Promise<void>;
	/**
	 * This party's identity in the run (identity.ts), which a tab keeps where a reload finds it:
	 * the Ed25519 secret (hex) and, rejoining a later attempt, every party's identity as the
	 * run's first hellos fixed it. Default: a fresh identity.
	 */
	identity?: { secret: string; known?: readonly string[] };
	/**
	 * With personal links (identity.ts): every party's identity as the session info fixes it, by
	 * party. `identity.secret` must then be this party's, from its link; every hello is signed.
	 */
	slotKeys?: readonly string[];
	/** Hears every party's identity once the run's first hellos are all in (a tab keeps them with its secret). */
	onIdentities?: (identities: readonly string[]) => void;
}

export interface DealerSessionOptions extends SessionOptions {
	/** The number of computing parties. */
	parties: number;
	/** The secret of the session's dealer grant; required with a session key. */
	dealerSecret?: Uint8Array;
	/** With personal links: every party's identity as the session info fixes it, by party; the dealer takes a call only from its party. */
	slotKeys?: readonly string[];
	/**
	 * The session's program, where the dealer knows it: compiled as the parties compile it, it
	 * lets the dealer deal the products of the AND gates' input masks instead of triples (half
	 * the material, no Beaver round); the parties must run the same circuit.
	 */
	program?: DealerProgram;
}

export const DEFAULT_TIMEOUT_MS = 600_000;
/** The longest timeout: JavaScript timers take at most 2^31 − 1 ms (and fire at once beyond), so 24 days. */
export const MAX_TIMEOUT_MS = 24 * 86_400_000;
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
export const OFFLINE_TOLERANCE_MS = 60_000;
/** A peer the relay has not seen for this long (beyond the tolerance and a few heartbeats) has vanished: receives from it fail. */
const GONE_MS = OFFLINE_TOLERANCE_MS + 30_000;
/** A receive that has waited this long makes the status name whom the run waits for. */
export const SILENCE_MS = 5000;
const SILENCE_CHECK_MS = 1000;
/** After a failure, how long what is still on its way (abort notices) may take before the run gives up on it. */
const NOTICE_MS = 3000;
/** How long the dealer stays after every party has left an attempt it dealt for, in case the run starts again. */
const RESTART_GRACE_MS = 3000;
const SESSION_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** What is wrong with `session` as a session name, or undefined when nothing is. */
export function sessionNameProblem(session: string): string | undefined {
	return SESSION_NAME.test(session) ? undefined : `bad session name '${session}': use 1 to 128 of the characters A-Z a-z 0-9 _ . -`;
}

/**
 * Runs one computing party: checks the program, settings and input, joins, waits for the
 * others, runs the handshake and the MPC protocol, and resolves with the output (for an
 * output party). A peer that rejoins after it left mid-run makes the run start again
 * (attempts.ts), reported in the status's `restarted`. Rejects with a PartySetupError,
 * GarbleCompileError or GarbleLiteralError before joining; later with a
 * RelayUnreachableError, RelayRefusedError, SlotTakenError, JoinTimeoutError,
 * PeerTimeoutError, PeerGoneError, MismatchError, HandshakeError, SealError, StreamError,
 * PeerAbortError, MpcAbortError, RestartRefusedError or RestartLimitError, each naming the
 * party and what failed.
 */
export async function runParty(options: PartyOptions): Promise<PartyResult> {
	const contact = contactRelay(options);
	let prepared: PreparedParty;
	try {
		// The first request leaves before compiling holds this thread, and its answer travels meanwhile.
		await turnPassed();
		prepared = prepareParty(options, { keyed: options.key !== undefined });
		performance.mark(CIRCUIT_READY_MARK);
	} catch (error) {
		contact.abandon(error);
		throw error;
	}
	const others = Array.from({ length: prepared.parties }, (_, p) => p).filter((p) => p !== prepared.party);
	let identity: RunIdentity;
	try {
		identity = slotIdentity(options, prepared.party, prepared.parties);
	} catch (error) {
		contact.abandon(error);
		throw error;
	}
	// Fixed by the personal links, else by the run's first hellos; later hellos are checked against them.
	let known = options.slotKeys ?? options.identity?.known;
	const onIdentities = (identities: readonly string[]) => {
		if (known) return;
		known = [...identities];
		options.onIdentities?.(known);
	};
	let revealing = false;
	// Recorded here first, then wherever the caller keeps it (a tab's sessionStorage), before the output phase's first message leaves.
	const beforeOutput = async () => {
		revealing = true;
		await options.beforeOutput?.();
	};
	return inSession(
		options,
		contact,
		prepared.party,
		[...others, DEALER_PARTY],
		{
			run: (transport, onStatus, signal) =>
				runPreparedParty(transport, prepared, { timeoutMs: contact.timeoutMs, onStatus, signal, beforeOutput, identity, onIdentities, ...(known ? { knownIdentities: known } : {}) }),
			awaits: awaitedBy(prepared),
			revealing: () => revealing,
			identified: () => known !== undefined
		},
		options.onResult
	);
}

/** This party's identity: from its personal link where the session has them (checked against the session info), else the given or a fresh one. */
function slotIdentity(options: PartyOptions, party: number, parties: number): RunIdentity {
	const { slotKeys } = options;
	if (!slotKeys) return runIdentity(options.identity?.secret);
	checkSlotKeys(slotKeys, parties);
	if (!options.identity) throw new PartySetupError(`this session gives every party a personal link: join with yours (this one names no party)`);
	const identity = runIdentity(options.identity.secret);
	if (identity.publicKey !== slotKeys[party]) {
		const holder = slotKeys.indexOf(identity.publicKey);
		throw new PartySetupError(holder >= 0 ? `this personal link is party ${holder}'s, not party ${party}'s` : `this personal link's pass is not one of this session's: check the link`);
	}
	return identity;
}

function checkSlotKeys(slotKeys: readonly string[], parties: number): void {
	if (slotKeys.length !== parties) throw new PartySetupError(`the session names the identities of ${slotKeys.length} parties, but ${parties} take part`);
}

/**
 * Runs the trusted dealer (party 255) for `parties` computing parties. Resolves with
 * `{ used: true }` once it has dealt, or `{ used: false }` when the parties chose OT
 * preprocessing (it stops cleanly either way); `forCircuit` says whether it dealt material made
 * for the program's circuit (it knew a program that needs no party's constants). After dealing
 * it stays in the attempt until every party has left it, and RESTART_GRACE_MS after, so that it
 * deals again when the run starts again (attempts.ts).
 */
export async function runDealerSession(options: DealerSessionOptions): Promise<{ used: boolean; forCircuit: boolean }> {
	const { parties } = options;
	if (!Number.isInteger(parties) || parties < 2 || parties >= DEALER_PARTY) {
		throw new PartySetupError(`the number of parties must be a whole number from 2 to ${DEALER_PARTY - 1}, got ${parties}`);
	}
	const secret = options.dealerSecret;
	if (options.key && !secret) {
		throw new PartySetupError("with a session key, only the dealer the session's creator granted can deal: give the grant's secret (the dealer link carries it)");
	}
	if (secret && secret.length !== DEALER_SECRET_BYTES) throw new PartySetupError(`a dealer secret has ${DEALER_SECRET_BYTES} bytes, this one ${secret.length}`);
	const { slotKeys } = options;
	if (slotKeys) checkSlotKeys(slotKeys, parties);
	const contact = contactRelay(options);
	let circuit: Circuit | null = null;
	if (options.program) {
		try {
			// The first request leaves before compiling holds this thread, and its answer travels meanwhile.
			await turnPassed();
			const compiled = dealerCircuit(options.program, parties);
			// Scheduled and hashed before joining: the dealer then listens for the calls at once.
			if (compiled) prepareCircuit(compiled).digest().catch(() => {});
			circuit = compiled;
		} catch (error) {
			contact.abandon(error);
			throw error;
		}
	}
	const everyone = Array.from({ length: parties }, (_, p) => p);
	return inSession(options, contact, DEALER_PARTY, everyone, {
		run: async (transport, onStatus, signal) => {
			const outcome = await runDealerOver(transport, {
				parties,
				timeoutMs: contact.timeoutMs,
				secret,
				...(slotKeys ? { slotKeys } : {}),
				...(circuit ? { circuit } : {}),
				onStatus,
				signal
			});
			if (outcome.used) {
				await untilLeft(transport, everyone, signal);
				await sleep(RESTART_GRACE_MS, signal);
			}
			return { used: outcome.used, forCircuit: outcome.used && circuit !== null };
		},
		// The dealer speaks once every party has called it: it listens along with its join, and the relay holds that until they are all there.
		awaits: everyone,
		revealing: () => false,
		identified: () => true
	});
}

/** The first contact with the relay, made before anything else so that its answer travels while the party prepares. */
interface Contact {
	relay: RelayClient;
	/** Ends every request of the run: aborted at its end, or when it fails before joining. */
	stop: AbortController;
	/** What the relay offers, and who is in the first attempt's session. */
	offers: Promise<RelayCapabilities>;
	/** Who finished a run of this session before (empty where the relay does not say, and for a participant that rejoins a later attempt). */
	ranBefore: Promise<number[]>;
	/** The attempt this participant joins first. */
	attempt: number;
	timeoutMs: number;
	/** Cancels the contact when the run is cancelled before it has joined. */
	cancelled: () => void;
	/** Ends the contact of a run that stops before it joins. */
	abandon(reason: unknown): void;
}

/** Checks the session options and asks the relay what it offers (and who is there); every later request goes through its client. */
function contactRelay(options: SessionOptions): Contact {
	const { session, signal } = options;
	const problem = sessionNameProblem(session);
	if (problem) throw new PartySetupError(problem);
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	if (!(timeoutMs > 0)) throw new PartySetupError(`the timeout must be positive, got ${timeoutMs} ms`);
	if (timeoutMs > MAX_TIMEOUT_MS) throw new PartySetupError(`the timeout is at most ${MAX_TIMEOUT_MS / 86_400_000} days (${MAX_TIMEOUT_MS} ms), got ${timeoutMs} ms`);
	const attempt = options.attempt ?? 0;
	if (!Number.isInteger(attempt) || attempt < 0) throw new PartySetupError(`the attempt to rejoin must be a whole number from 0, got ${attempt}`);
	if (attempt > MAX_RESTARTS) throw new RestartLimitError(`this participant would rejoin attempt ${attempt}`);
	signal?.throwIfAborted();
	const stop = new AbortController();
	const cancelled = () => stop.abort(signal!.reason);
	signal?.addEventListener('abort', cancelled, { once: true });
	const relay = new RelayClient({ url: options.url, fetch: options.fetch, signal: stop.signal });
	const offers = relay.capabilities(attemptSession(session, attempt), ACTIVE_MS, { retryWindowMs: FIRST_CONTACT_MS });
	// Awaited once the party is ready to join; a party that fails before that never looks.
	offers.catch(() => {});
	// Asked along with the first contact (no round trip of its own), by a first attempt only: a note for the waiting status.
	const ranBefore =
		attempt === 0
			? relay
					.participants(finishedSession(session), undefined, undefined, { retryWindowMs: 0 })
					.then((listed) => listed.filter((p) => p !== DEALER_PARTY))
					.catch(() => [])
			: Promise.resolve([]);
	const abandon = (reason: unknown) => {
		signal?.removeEventListener('abort', cancelled);
		stop.abort(reason);
	};
	return { relay, stop, offers, ranBefore, attempt, timeoutMs, cancelled, abandon };
}

/** What a participant does in each attempt, and whether it may still start again. */
interface Work<T> {
	run: (transport: SessionTransport, onStatus: (status: PartyStatus) => void, signal: AbortSignal) => Promise<T>;
	/** Who must be present before anything this participant says reaches anyone (runPreparedParty waits for them, or the relay holds what it says until they are there). */
	awaits: readonly number[];
	/** True once this participant has begun the output phase: it must not start again. */
	revealing: () => boolean;
	/**
	 * True once the run's identities are fixed (identity.ts): before, a party in the next attempt
	 * could not be told from someone who took its slot, so the run must not start again.
	 */
	identified: () => boolean;
}

/** The current attempt stopped because `parties` joined the next one. */
class NextAttempt extends Error {
	override name = 'NextAttempt';
	constructor(readonly parties: number[]) {
		super(`${rejoinReason(parties)}: the run starts again`);
	}
}

/**
 * Runs `work` in attempt after attempt (attempts.ts) until one ends: a participant that
 * appears in the next attempt, or a peer that left and rejoins within OFFLINE_TOLERANCE_MS,
 * makes everyone start again there; every status then says why. `onResult` hears the
 * result before the participant leaves.
 */
async function inSession<T>(options: SessionOptions, contact: Contact, party: number, senders: readonly number[], work: Work<T>, onResult?: (result: T) => void): Promise<T> {
	let attempt = contact.attempt;
	let restarted: Restart | undefined;
	let last: PartyStatus | undefined;
	const onStatus = (status: PartyStatus) => {
		last = { ...status, ...(attempt > 0 ? { attempt } : {}), ...(restarted ? { restarted } : {}) };
		options.onStatus?.(last);
	};
	try {
		for (;;) {
			const next = new AbortController();
			try {
				return await inAttempt({ ...options, onStatus }, contact, party, attempt, senders, work, next, onResult);
			} catch (error) {
				restarted = await restartAfter(error, { options, relay: contact.relay, party, attempt, stopped: next.signal, revealing: work.revealing(), identified: work.identified() }, (left) => {
					if (last) options.onStatus?.({ ...last, left });
				});
				attempt = restarted.attempt;
			}
		}
	} finally {
		options.signal?.removeEventListener('abort', contact.cancelled);
		contact.stop.abort(new Error('the run is over'));
	}
}

/**
 * One attempt: claims the slot of `party` in the attempt's session with a slot token (the
 * relay then drops what an earlier run left for it; one that does not check tokens is
 * drained of what `senders` left), runs `work` while it watches the next attempt's session
 * (someone there aborts `next`), leaves. Every request for the slot carries the token, so
 * nobody else can act for it. `work` reports through the `onStatus` it is given, which adds
 * whom the run waits for.
 */
async function inAttempt<T>(
	options: SessionOptions,
	contact: Contact,
	party: number,
	attempt: number,
	senders: readonly number[],
	work: Work<T>,
	next: AbortController,
	onResult?: (result: T) => void
): Promise<T> {
	const { signal } = options;
	const { relay, timeoutMs } = contact;
	const session = attemptSession(options.session, attempt);
	const token = options.slotToken ?? newSlotToken();
	let http: RelayChannel | undefined;
	const traffic = () => ({ bytesSent: http?.bytesSent ?? 0, bytesReceived: http?.bytesReceived ?? 0 });
	let heartbeat: ReturnType<typeof setInterval> | undefined;
	const joins = new AbortController();
	let silences: ReturnType<typeof reportSilences> | undefined;
	let watching: AbortController | undefined;
	let joined = false;
	let finished = false;
	// Until it has joined, a cancellation ends this attempt's requests (a listener added twice counts once).
	signal?.addEventListener('abort', contact.cancelled, { once: true });
	try {
		options.onStatus?.({ stage: 'joining', ...traffic() });
		// Rejoining a run mid-way (a reloaded tab), it says so where the others look for the cause, before they can see it in the attempt.
		const rejoining = attempt === contact.attempt && attempt > 0 && party !== DEALER_PARTY;
		const saidWhy = rejoining ? relay.join(restartCauseSession(options.session, attempt), party, { token: newSlotToken() }).catch(() => {}) : undefined;
		const [offers, ranBefore] = await Promise.all([
			attempt === contact.attempt ? contact.offers : relay.capabilities(session, ACTIVE_MS),
			attempt === contact.attempt ? contact.ranBefore : []
		]);
		await saidWhy;
		// Where the relay holds what a party sends until everyone it awaits is there, the party speaks along with its join.
		const speaksAtOnce = holdsFirstFrames(offers) && work.awaits.length > 0;
		const holdUntil = { parties: work.awaits, activeMs: ACTIVE_MS };
		const opened = await openRelayChannel({ relay, session, party, token, timeoutMs, pollWaitMs: options.pollWaitMs, presenceMs: GONE_MS, senders, offers, ...(speaksAtOnce ? { holdUntil } : {}) });
		http = opened;
		// Left at the end whatever happens from here: the join may claim the slot however the run ends.
		joined = true;
		const joining = relay.join(session, party, { token, signal: joins.signal });
		// Speaking at once, the run does not wait for its join, and a failed join ends it.
		if (!speaksAtOnce) await joining;
		const joinFailed = joining.then(() => new Promise<never>(() => {}));
		joinFailed.catch(() => {});
		signal?.removeEventListener('abort', contact.cancelled);
		heartbeat = repeatInTurn(() => relay.join(session, party, { token, signal: joins.signal }), HEARTBEAT_MS);
		watching = watchNextAttempt(relay, attemptSession(options.session, attempt + 1), party, options.pollWaitMs, (parties) => next.abort(new NextAttempt(parties)));
		const channel = new WaitingChannel(opened);
		const onStatus = ranBefore.length === 0 ? options.onStatus : (status: PartyStatus) => options.onStatus?.(status.stage === 'waiting' ? { ...status, ranBefore } : status);
		silences = reportSilences(channel, relay, onStatus);
		// Ends the waits for a change of the participants on cancel and when the run starts again (receives end with the channel's cancel).
		const waits = new AbortController();
		next.signal.addEventListener('abort', () => waits.abort(next.signal.reason), { once: true });
		const transport: SessionTransport = {
			session,
			channel,
			...(options.key ? { key: options.key } : {}),
			present: [...new Set([...offers.participants, party])].sort((a, b) => a - b),
			speaksAtOnce,
			participants: (change) =>
				relay.participants(session, ACTIVE_MS, change && { known: change.known, waitMs: Math.min(change.waitMs, PARTICIPANTS_WAIT_MS) }, { signal: waits.signal }),
			traffic,
			cancel: (reason) => {
				waits.abort(reason);
				opened.cancel(reason);
			}
		};
		const running = work.run(transport, silences.onStatus, signal ? AbortSignal.any([signal, next.signal]) : next.signal);
		const result = await Promise.race([running, joinFailed.catch((error: unknown) => (transport.cancel(error), Promise.reject(error)))]);
		// What this party sent last must reach the relay before it leaves.
		await opened.finish();
		finished = true;
		onResult?.(result);
		return result;
	} catch (error) {
		// Abort notices to the others are still on their way: give them a moment.
		await settleWithin(http?.finish(), NOTICE_MS);
		throw error;
	} finally {
		clearInterval(heartbeat);
		// A join still on its way (or retrying) would claim the slot again after the leave.
		joins.abort();
		watching?.abort();
		silences?.stop();
		const farewell = new RelayClient({ url: options.url, fetch: options.fetch, retryWindowMs: 1000 });
		await Promise.all([
			joined ? farewell.leave(session, party, token).catch(() => {}) : undefined,
			// Said alongside the leave (no round trip of its own); a relay that refuses it only loses the notice.
			finished ? farewell.join(finishedSession(options.session), party, { token: newSlotToken() }).catch(() => {}) : undefined
		]);
	}
}

/** The computing parties but `party` in a next attempt's list: the dealer only follows them there, it never starts an attempt. */
function rejoined(listed: readonly number[] | undefined, party: number): number[] {
	return listed?.filter((p) => p !== party && p !== DEALER_PARTY) ?? [];
}

/** Calls `onJoined` with the parties that joined `session` (the next attempt's) but `party`, once there are any, until aborted. */
function watchNextAttempt(relay: RelayClient, session: string, party: number, pollWaitMs: number | undefined, onJoined: (parties: number[]) => void): AbortController {
	const stopped = new AbortController();
	void othersIn(relay, session, party, Infinity, { signal: stopped.signal, pollWaitMs }).then((others) => others && !stopped.signal.aborted && onJoined(others));
	return stopped;
}

/**
 * Whether a failed attempt starts again, and why: when a participant joined the next
 * attempt (seen by the watch, or looked for after a peer's abort notice), or a peer that
 * left comes back within OFFLINE_TOLERANCE_MS (`onLeft` says whom the run waits for
 * meanwhile). Otherwise, or after a check of this participant failed, it throws the
 * attempt's own error; when this participant has begun the output phase, or after
 * MAX_RESTARTS, RestartRefusedError or RestartLimitError.
 */
async function restartAfter(
	error: unknown,
	at: { options: SessionOptions; relay: RelayClient; party: number; attempt: number; stopped: AbortSignal; revealing: boolean; identified: boolean },
	onLeft: (left: number[]) => void
): Promise<Restart> {
	const { options, relay, party, attempt, stopped } = at;
	if (options.signal?.aborted || failedCheck(error)) throw error;
	const next = attemptSession(options.session, attempt + 1);
	let parties = stopped.reason instanceof NextAttempt ? stopped.reason.parties : undefined;
	if (!parties && (error instanceof PeerAbortError || (error instanceof MpcAbortError && error.check === 'peer abort'))) {
		// A peer stopped: perhaps because it saw someone in the next attempt already. It only follows
		// that one there (a reloaded tab tells nobody), so it is not the cause, unless nobody else is there.
		const present = await othersIn(relay, next, party, NOTICE_MS, options);
		const causes = present?.filter((p) => p !== error.party);
		parties = causes?.length ? causes : present;
	}
	if (!parties && error instanceof PeerGoneError && !at.revealing) {
		onLeft([error.party]);
		const present = await othersIn(relay, next, party, OFFLINE_TOLERANCE_MS, options);
		// The others there may have followed it already: the one that left is the cause.
		parties = present?.includes(error.party) ? [error.party] : present;
	}
	if (!parties) throw error;
	// Whoever said they rejoined, where known; else those found in the next attempt.
	const said = rejoined(await relay.participants(restartCauseSession(options.session, attempt + 1), ACTIVE_MS, undefined, { signal: options.signal, retryWindowMs: 0 }).catch(() => []), party);
	if (said.length > 0) parties = said;
	const why = party === DEALER_PARTY && said.length === 0 ? DEALER_RESTART_REASON : rejoinReason(parties);
	if (at.revealing) throw new RestartRefusedError(party, why, 'revealing');
	if (attempt + 1 > MAX_RESTARTS) throw new RestartLimitError(why);
	if (!at.identified) throw new RestartRefusedError(party, why, 'unidentified');
	return { attempt: attempt + 1, parties, reason: why };
}

/** A check of this participant failed (cheating or tampering detected): the run aborts, it never starts again. */
function failedCheck(error: unknown): boolean {
	if (error instanceof MpcAbortError) return error.check !== 'peer abort' && error.check !== 'cancelled';
	return error instanceof OtCheckError || error instanceof SealError || error instanceof StreamError || (error instanceof MismatchError && error.check === 'identity');
}

/** The parties but `party` in `session` once there are any, within `withinMs`; undefined if none came (or on abort). */
async function othersIn(
	relay: RelayClient,
	session: string,
	party: number,
	withinMs: number,
	options: { signal?: AbortSignal; pollWaitMs?: number }
): Promise<number[] | undefined> {
	let others: number[] = [];
	const look: LookAtParticipants = (known, waitMs) => relay.participants(session, ACTIVE_MS, known && { known, waitMs }, { signal: options.signal, retryWindowMs: 0 }).catch(() => undefined);
	const came = await followParticipants(look, (listed) => (others = rejoined(listed, party)).length > 0, {
		initial: [],
		deadline: Date.now() + withinMs,
		waitMs: options.pollWaitMs,
		signal: options.signal
	});
	return came ? others : undefined;
}

/** Resolves once none of `parties` is in the transport's session (each left, or was not seen for ACTIVE_MS). */
async function untilLeft(transport: SessionTransport, parties: readonly number[], signal: AbortSignal): Promise<void> {
	if (!(await followParticipants(lookAt(transport), (listed) => !listed.some((p) => parties.includes(p)), { signal }))) signal.throwIfAborted();
}

/**
 * Passes a run's status on, adding whom the run waits for once a receive has waited
 * SILENCE_MS (a peer offline for a while, or far slower), and again when that changes; or,
 * when the relay itself has answered nothing for as long, that (the peers are not to blame).
 */
function reportSilences(channel: WaitingChannel, relay: RelayClient, onStatus: ((status: PartyStatus) => void) | undefined) {
	let last: PartyStatus | undefined;
	let silent: number[] = [];
	let unreachable: string | undefined;
	// Before the run (joining, waiting for the others) and after it, the status says the rest.
	const during = (status: PartyStatus) => !['joining', 'waiting', 'done'].includes(status.stage);
	const report = () => {
		if (!last) return;
		if (!during(last)) onStatus?.(last);
		else if (unreachable !== undefined) onStatus?.({ ...last, relayUnreachable: unreachable });
		else onStatus?.(silent.length > 0 ? { ...last, waitingFor: silent } : last);
	};
	const timer = setInterval(() => {
		const trouble = relay.unreachable();
		const nowUnreachable = trouble && Date.now() - trouble.since >= SILENCE_MS ? trouble.detail : undefined;
		const now = channel.waitingLongerThan(SILENCE_MS);
		if (now.join() === silent.join() && nowUnreachable === unreachable) return;
		silent = now;
		unreachable = nowUnreachable;
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
