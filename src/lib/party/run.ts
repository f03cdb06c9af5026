/**
 * One party's or the dealer's whole run over any transport: handshake, compile, `mpc()` or
 * `runDealer()`, decode, status. `session.ts` supplies the relay transport; tests supply
 * an in-memory one.
 */
import { AbortableChannel, PeerAbortError } from '../channel/abortable';
import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { formatDuration, PeerTimeoutError } from '../channel/http';
import { PairSealedChannel } from '../channel/pair-sealed';
import { GarbleLiteralError, type Circuit, type DecodedOutput, type Program } from '../garble';
import { hexToBytes } from '@noble/hashes/utils.js';
import { randomBlocks } from '../crypto/block';
import { mpc, runDealer } from '../mpc';
import { dealingFor } from '../mpc/dealer-deals';
import { prepareCircuit } from '../mpc/prepare';
import { BaseOts } from '../ot/setup';
import { JoinTimeoutError } from './errors';
import { dealerHandshake, partyHandshake } from './handshake';
import { handshakePhase, type Preprocessing } from './messages';
import { followParticipants, type LookAtParticipants } from './presence';
import { runIdentity, type RunIdentity } from './identity';
import type { PreparedParty } from './prepare';
import { RunProgress } from './progress';
import type { PartyStage, PartyStatus } from './status';

/** How a participant reaches the others. */
export interface SessionTransport {
	/** The session name, for messages. */
	session: string;
	/** To every other participant: ordered, as the transport carries it (the run seals it with `key`). */
	channel: Channel;
	/** The session key: with it, the run seals everything end to end, per pair (PairSealedChannel). */
	key?: Uint8Array;
	/** The participants present (as `participants()` lists them) as the transport last saw them, this one included: the run need not ask again before it waits. */
	present?: readonly number[];
	/**
	 * The transport holds what this participant sends until everyone it awaits is there (the
	 * relay's `?until=`): it may speak at once, and it still follows who is missing.
	 */
	speaksAtOnce?: boolean;
	/**
	 * The participants joined (and recently seen), ascending. With `change`, the transport may
	 * wait up to `change.waitMs` for the list to differ from `change.known` (a long poll where
	 * the relay offers it); it may also answer at once.
	 */
	participants(change?: { known: readonly number[]; waitMs: number }): Promise<number[]>;
	/** Bytes on the wire so far. */
	traffic(): { bytesSent: number; bytesReceived: number };
	/** Ends every pending receive with `reason` (after a cancellation). */
	cancel(reason: unknown): void;
}

/** One look at the transport's participants, as followParticipants takes it (a failed look throws). */
export function lookAt(transport: SessionTransport): LookAtParticipants {
	return (known, waitMs) => transport.participants(known && { known, waitMs });
}

export interface RunOptions {
	/** How long to wait for a missing participant (and the longest silence during the run). */
	timeoutMs: number;
	onStatus?: (status: PartyStatus) => void;
	signal?: AbortSignal;
	/** Awaited before the party sends the first message of the output phase (MpcOptions.beforeOutput). */
	beforeOutput?: () => Promise<void>;
}

/** What runs a computing party, beyond RunOptions: who it is in the run, and who the others are. */
export interface PartyRunOptions extends RunOptions {
	/** This party's identity in the run (identity.ts); a fresh one by default. */
	identity?: RunIdentity;
	/** Every party's identity as its personal link or the run's first attempt fixed it, by party: their hellos must be signed. */
	knownIdentities?: readonly string[];
	/** Called with every party's identity once every hello of the attempt is in. */
	onIdentities?: (identities: readonly string[]) => void;
}

export interface PartyResult {
	/** The decoded output for an output party; undefined for the others. */
	output?: DecodedOutput;
	/** How the parties preprocessed. */
	preprocessing: Preprocessing;
	/** The program as compiled with every party's constants. */
	program: Program;
	/** What the parties agreed on (hex SHA-256). */
	circuitHash: string;
}

/** How long abort notices may take before the run gives up on telling everyone. */
const NOTICE_MS = 3000;

/** Reports status with the traffic so far. */
function reporter(transport: SessionTransport, onStatus: RunOptions['onStatus']) {
	return (stage: PartyStage, extra: Partial<PartyStatus> = {}) => onStatus?.({ stage, ...extra, ...transport.traffic() });
}

/**
 * Runs a prepared party over `transport`. Nothing it sends reaches anyone before every party
 * (and the dealer, when this party forces it or the session grants one) is present, so that a
 * party that leaves the waiting room leaves nothing behind and its slot can be taken again:
 * it waits for them before it speaks, or speaks at once where the transport holds what it
 * sends until they are there (`speaksAtOnce`), a round trip sooner. Any failure after that is
 * told to every peer and the dealer (their runs fail with a PeerAbortError naming this party
 * and the reason); during `mpc()` the engine does that itself.
 */
export async function runPreparedParty(transport: SessionTransport, prepared: PreparedParty, options: PartyRunOptions): Promise<PartyResult> {
	const { party } = prepared;
	const peers = peersOf(prepared);
	const pairs = pairSealing(transport, party);
	const sealed = pairs ?? transport.channel;
	const channel = noticesOver(sealed, pairs, peers);
	const status = reporter(transport, options.onStatus);
	// The dealer hears of a failure only when it is there: a notice it never reads would be a stray message for the next dealer of this session.
	const toTell = async () => ((await transport.participants().catch((): number[] => [])).includes(DEALER_PARTY) ? [...peers, DEALER_PARTY] : peers);
	const guard = cancelOnAbort(transport, sealed, toTell, options.signal, `${partyName(party)} cancelled`);
	try {
		const mayUseDealer = mayUseDealerOf(prepared);
		const awaited = awaitedBy(prepared);
		let shaken = false;
		const seen = new Set<number>();
		const present = waitForPresence(transport, awaited, options, seen, (missing) => shaken || status('waiting', { missing })).then(() => shaken || status('handshake'));
		// Held by the transport until everyone is there, what it says reaches the others only then: until then there is nobody to tell of a cancellation.
		if (transport.speaksAtOnce) present.then(() => guard.spoken()).catch(() => {});
		else {
			await present;
			guard.spoken();
		}
		// Speaking at once, the run still ends when someone never comes (JoinTimeoutError).
		const handshake = partyHandshake({
			...prepared,
			channel,
			pairs,
			session: transport.session,
			identity: options.identity ?? runIdentity(),
			...(options.knownIdentities ? { knownIdentities: options.knownIdentities } : {}),
			...(options.onIdentities ? { onIdentities: options.onIdentities } : {}),
			onStopped: (dealerKeyed) => guard.tellDealerOnce(dealerKeyed),
			dealerJoined: async () => (await transport.participants()).includes(DEALER_PARTY),
			// A party that will use OT does its base OTs along with the handshake.
			...(mayUseDealer ? {} : { baseOts: new BaseOts(party, randomBlocks(1)) })
		});
		// A receive of the handshake that timed out while someone had not joined: that is what to say.
		const agreement = await Promise.race([handshake, present.then(() => handshake)]).catch(async (error: unknown) => {
			throw await explainTimeout(error, transport, awaited, seen);
		});
		shaken = true;
		const { program, preprocessing } = agreement;
		const input = prepared.encodeInput(program);
		guard.handOver();
		status('preprocessing', { preprocessing });
		const progress = new RunProgress('party');
		const bits = await mpc(sealed, program.circuit, input, {
			party,
			evaluator: prepared.evaluator,
			outputParties: prepared.outputParties,
			preprocessing,
			context: hexToBytes(agreement.transcript),
			...(agreement.ot && preprocessing === 'ot' ? { ot: agreement.ot } : {}),
			agreed: agreement.confirmed,
			dealerAnnounced: preprocessing === 'dealer',
			signal: options.signal,
			...(options.beforeOutput ? { beforeOutput: options.beforeOutput } : {}),
			onProgress: (report) => {
				const { stage, estimate } = progress.update(report);
				status(stage, { progress: report, estimate, preprocessing });
			}
		});
		const output = bits && program.decodeOutput(bits);
		status('done', { preprocessing });
		return { ...(output ? { output } : {}), preprocessing, program, circuitHash: agreement.circuitHash };
	} catch (error) {
		await guard.notify(error);
		throw error;
	} finally {
		guard.dispose();
	}
}

function peersOf({ party, parties }: PreparedParty): number[] {
	return Array.from({ length: parties }, (_, p) => p).filter((p) => p !== party);
}

function mayUseDealerOf(prepared: PreparedParty): boolean {
	return prepared.preprocessing === 'dealer' || (prepared.preprocessing === 'auto' && !!prepared.dealer);
}

/** Who must be present before the party speaks: its peers, and the dealer where it may use one. */
export function awaitedBy(prepared: PreparedParty): number[] {
	return mayUseDealerOf(prepared) ? [...peersOf(prepared), DEALER_PARTY] : peersOf(prepared);
}

/** The streams and abort notices over the (sealed) channel: a notice counts as its sender's once its pair is keyed. */
function noticesOver(sealed: Channel, pairs: PairSealedChannel | undefined, peers: readonly number[]): AbortableChannel {
	return new AbortableChannel(sealed, peers, pairs && ((peer) => pairs.linked(peer)));
}

/** With a session key, the run's own pair sealing over the transport's channel. */
function pairSealing(transport: SessionTransport, party: number): PairSealedChannel | undefined {
	return transport.key ? new PairSealedChannel(transport.channel, { key: transport.key, session: transport.session, party }) : undefined;
}

export interface DealerRunOptions extends RunOptions {
	parties: number;
	/** The secret of the dealer grant: the dealer signs its hello of the run with it. */
	secret?: Uint8Array;
	/** With personal links: every party's identity, by party; each party's call must be signed with it. */
	slotKeys?: readonly string[];
	/** The circuit of the session's program, where the dealer knows it: it then deals products, not triples (runDealer). */
	circuit?: Circuit;
}

/** The dealer's run: waits for every party's call, then deals (or stops when not needed). */
export async function runDealerOver(transport: SessionTransport, options: DealerRunOptions): Promise<{ used: boolean }> {
	// Scheduled and hashed before the parties call, as each party does before it joins, and the
	// first deals made while the dealer waits for them: once called, it answers at once, its
	// first material in the request that carries its hello (a digest still being computed then
	// would send the hello alone, a flight ahead).
	if (options.circuit) prepareCircuit(options.circuit).digest().catch(() => {});
	const dealtAhead = options.circuit && dealingFor(options.circuit, options.parties);
	dealtAhead?.catch(() => {});
	const everyone = Array.from({ length: options.parties }, (_, p) => p);
	const pairs = pairSealing(transport, DEALER_PARTY);
	const sealed = pairs ?? transport.channel;
	const channel = noticesOver(sealed, pairs, everyone);
	const status = reporter(transport, options.onStatus);
	const guard = cancelOnAbort(transport, sealed, async () => everyone, options.signal, `${partyName(DEALER_PARTY)} cancelled`);
	guard.spoken();
	let pending = everyone;
	let joined: number[] = [];
	const seen = new Set<number>();
	const watching = watchPresence(transport, (listed) => {
		joined = listed;
		for (const p of listed) seen.add(p);
		status('waiting', { missing: pending.filter((p) => !listed.includes(p)) });
	});
	try {
		status('waiting', { missing: everyone });
		const announcements = await dealerHandshake({
			channel,
			pairs,
			session: transport.session,
			parties: options.parties,
			secret: options.secret,
			...(options.slotKeys ? { slotKeys: options.slotKeys } : {}),
			onPending: (waiting) => {
				pending = waiting;
				status('waiting', { missing: waiting.filter((p) => !joined.includes(p)) });
			}
		}).catch(async (error: unknown) => {
			// Parties that take OT do not wait for a dealer: one that comes after they finished sees nobody.
			const hint = everyone.some((p) => seen.has(p)) ? undefined : 'if they ran already: parties that chose OT preprocessing do not wait for a dealer; start it before them';
			throw await explainTimeout(error, transport, pending, seen, hint);
		});
		watching.stop();
		const used = announcements !== null;
		if (announcements) {
			guard.handOver();
			status('preprocessing', { preprocessing: 'dealer' });
			const progress = new RunProgress('dealer');
			await runDealer(sealed, {
				parties: options.parties,
				announcements,
				...(options.circuit && dealtAhead ? { circuit: options.circuit, dealing: await dealtAhead } : {}),
				signal: options.signal,
				onProgress: (report) => status('preprocessing', { progress: report, estimate: progress.update(report).estimate, preprocessing: 'dealer' })
			});
		}
		status('done', used ? { preprocessing: 'dealer' } : { preprocessing: 'ot' });
		return { used };
	} catch (error) {
		await guard.notify(error);
		throw error;
	} finally {
		watching.stop();
		guard.dispose();
	}
}

/**
 * Before `mpc()`, a cancellation ends pending receives and, once this participant has
 * `spoken`, tells the peers; `handOver` leaves both to the engine. `notify` tells the peers
 * about a failure, unless nothing was sent yet, it came from a peer, it was already told,
 * or it happened inside the engine (which tells them itself). Notices go over `channel`:
 * with a key, a participant whose pair is not keyed yet (its opening message has not
 * arrived) but has heard from this one cannot be sealed for, and is skipped; the dealer, where
 * `tellDealerOnce` says when its pair will be keyed, is told then (within NOTICE_MS).
 */
function cancelOnAbort(transport: SessionTransport, channel: Channel, recipients: () => Promise<number[]>, signal: AbortSignal | undefined, what: string) {
	let spoken = false;
	let engineRuns = false;
	let told = false;
	let dealerKeyed: Promise<void> = Promise.resolve();
	const tell = async (reason: string) => {
		if (told || !spoken) return;
		told = true;
		const abort = (to: readonly number[]) => new AbortableChannel(channel, to).abort(reason);
		const notices = recipients().then((to) =>
			Promise.all([abort(to.filter((p) => p !== DEALER_PARTY)), to.includes(DEALER_PARTY) ? dealerKeyed.then(() => abort([DEALER_PARTY])) : undefined])
		);
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([notices, new Promise((resolve) => (timer = setTimeout(resolve, NOTICE_MS)))]);
		clearTimeout(timer);
	};
	const onAbort = () => {
		if (engineRuns) return;
		void tell(what).then(() => transport.cancel(signal!.reason));
	};
	signal?.addEventListener('abort', onAbort, { once: true });
	return {
		spoken: () => {
			spoken = true;
		},
		handOver: () => {
			engineRuns = true;
		},
		tellDealerOnce: (keyed: Promise<void>) => {
			dealerKeyed = keyed;
		},
		notify: async (error: unknown) => {
			if (engineRuns || error instanceof PeerAbortError) return;
			await tell(toldOf(error));
		},
		dispose: () => signal?.removeEventListener('abort', onAbort)
	};
}

/**
 * What the others are told of this participant's failure: its message, but never an input
 * literal's (it quotes this party's private input): only the type it should have had.
 */
function toldOf(error: unknown): string {
	if (error instanceof GarbleLiteralError) return `its input is not a valid ${error.expectedType}`;
	return error instanceof Error ? error.message : String(error);
}

/** Calls `onChange` with the joined participants whenever they change, until stopped (errors only skip a look). */
function watchPresence(transport: SessionTransport, onChange: (joined: number[]) => void) {
	const stopped = new AbortController();
	const look = lookAt(transport);
	const retried: LookAtParticipants = (known, waitMs) => look(known, waitMs).catch(() => undefined);
	void followParticipants(retried, (joined) => (onChange([...joined]), false), { signal: stopped.signal });
	return { stop: () => stopped.abort() };
}

/**
 * A silent peer that never joined is reported as such. One that was there but never said hello
 * waits for someone this party does not wait for: its program is for more parties, or it takes
 * a dealer that is not there.
 */
async function explainTimeout(error: unknown, transport: SessionTransport, pending: readonly number[], seen: ReadonlySet<number>, hint?: string): Promise<unknown> {
	if (!(error instanceof PeerTimeoutError)) return error;
	const joined = await transport.participants().catch(() => undefined);
	const { missing, left } = joined ? absentees(pending, joined, seen) : { missing: [], left: [] };
	if (missing.length > 0) return new JoinTimeoutError(missing, transport.session, formatDuration(error.timeoutMs), { left, ...(hint ? { hint } : {}) });
	if (error.phase !== handshakePhase('hello') || !seen.has(error.party)) return error;
	return new PeerTimeoutError(
		error.party,
		error.phase,
		error.timeoutMs,
		'it joined, but waits for someone this party does not: do all parties run the same program (for as many parties) with the same preprocessing?'
	);
}

/** Waits (up to the timeout) until every one of `expected` is present, reporting who is missing; adds everyone it sees to `seen`. */
async function waitForPresence(transport: SessionTransport, expected: readonly number[], options: RunOptions, seen: Set<number>, onMissing: (missing: number[]) => void): Promise<void> {
	let missing: number[] = [];
	let last: readonly number[] = [];
	const allThere = (joined: readonly number[]) => {
		last = joined;
		for (const p of joined) seen.add(p);
		const before = missing.join();
		missing = expected.filter((p) => !joined.includes(p));
		if (missing.length > 0 && missing.join() !== before) onMissing(missing);
		return missing.length === 0;
	};
	const deadline = Date.now() + options.timeoutMs;
	const initial = transport.present ?? (await transport.participants());
	if (await followParticipants(lookAt(transport), allThere, { initial, deadline, signal: options.signal })) return;
	options.signal?.throwIfAborted();
	const absent = absentees(expected, last, seen);
	throw new JoinTimeoutError(absent.missing, transport.session, formatDuration(options.timeoutMs), { left: absent.left });
}

/** Of `expected`, those not `joined`: never seen (`missing`), or seen and gone (`left`). */
function absentees(expected: readonly number[], joined: readonly number[], seen: ReadonlySet<number>): { missing: number[]; left: number[] } {
	const absent = expected.filter((p) => !joined.includes(p));
	return { missing: absent.filter((p) => !seen.has(p)), left: absent.filter((p) => seen.has(p)) };
}
