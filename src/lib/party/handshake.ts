/**
 * The session handshake, run by every computing party before `mpc()` (and its dealer side).
 *
 * 1. hello (every party to every other, the opening message of each direction): protocol
 *    version, party count, evaluator, output parties, preprocessing choice, the dealer the
 *    session grants, the sender's own constants, a fresh nonce, its identity in the run
 *    (identity.ts; in a later attempt, signed with it for that attempt), (with a session
 *    key) a fresh X25519 share and (when it will use OT preprocessing) its base-OT offer. Each party
 *    compares every hello with its own settings and keys the pair with its sender
 *    (PairSealedChannel): everything after the hellos is sealed per pair. When both hellos of
 *    a pair carry an offer, each party answers the other's along with its confirm (3.): the
 *    run's base OTs (src/lib/ot/setup.ts) take no flights of their own.
 * 2. Each party compiles the program with everyone's constants, hashes the circuit and
 *    decides the preprocessing from the hellos alone, as every other party does: the mode a
 *    party forced, else the dealer when the session grants one, else OT.
 * 3. confirm (every party to every other): the circuit hash and the transcript (the hash of
 *    every hello's hash), so that a party that sent different hellos to different parties (or a
 *    relay that replayed an earlier run's) is caught. With OT the handshake resolves once the
 *    confirms are sent, so that the run's first round goes with them; the run reads nothing
 *    until every confirm has matched (`Agreement.confirmed`, MpcOptions.agreed).
 * 4. dealer call (every party to party 255, when the dealer is used or has joined): whether it
 *    is used, with version, party count, circuit hash, the hash of the party's hello and its
 *    share, so that the dealer checks them too, and stops cleanly when it is not needed; when
 *    it is used, also what the run first asks of it (the engine's announcement), so that the
 *    dealer can deal right after its hello. A party whose program needs no one's constants and
 *    that takes the dealer unless another party forces OT calls along with its hello; any other
 *    calls along with its confirms, and its call names the transcript as well.
 * 5. dealer hello (the dealer to every party, once all called it to deal; the first
 *    preprocessing follows at once): the transcript of the hellos whose hashes the calls
 *    carry, its nonce and share, signed with the granted dealer key. Called along with the
 *    hellos, it speaks along with the confirms. A party refuses a
 *    hello for another run, and (with a grant) one not signed by the granted key; it then
 *    keys the pair with the dealer, bound to its call and this hello, so that every byte the
 *    dealer deals belongs to this run. The dealer speaks only once called, not as soon as it
 *    joins: a message to a party that has not joined yet is discarded as an earlier run's
 *    leftover when that party joins, and answering the calls lets the hello name the run.
 *
 * Any difference is a MismatchError naming what differs and the party that differs, or
 * nobody where that cannot be told.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { PeerAbortError } from '../channel/abortable';
import { PeerTimeoutError } from '../channel/http';
import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { dealerAnnouncementFor, type ReadyOts } from '../mpc';
import { prepareCircuit } from '../mpc/prepare';
import { ANSWER_BYTES, type BaseOts, type PairwiseOt } from '../ot/setup';
import { turnPassed } from '../channel/next-turn';
import { PairKeyError, type PairSealedChannel } from '../channel/pair-sealed';
import type { Program } from '../garble';
import type { PreparedParty } from './prepare';
import { PROTOCOL_VERSION } from '../version';
import { dealerFingerprint, signDealerHello, verifyDealerHello } from './dealer-grant';
import { SET_UP_MARK } from './marks';
import { signContinuedHello, signDealerCall, verifyContinuedHello, verifyDealerCall, type ContinuedHello, type RunIdentity } from './identity';
import { HandshakeError, listParties, MismatchError, NOBODY, UntrustedDealerError } from './errors';
import {
	encodeMessage,
	receiveMessage,
	type Confirm,
	type DealerCall,
	type DealerHello,
	type Hello,
	type PartyTerms,
	type Preprocessing,
	type PreprocessingChoice,
	type Received
} from './messages';

export interface PartyHandshakeOptions extends PartyTerms, Pick<PreparedParty, 'program' | 'compileWith'> {
	/** The session's channel, carrying abort notices: sealed with `pairs` when there is a key. */
	channel: Channel;
	/** With a session key: the pair sealing under `channel`, keyed here as the hellos arrive. */
	pairs?: PairSealedChannel;
	/** The session name, which the dealer's signature covers. */
	session: string;
	/** Whether the dealer has joined the session: a dealer that is there hears that it is not needed. */
	dealerJoined(): Promise<boolean>;
	/** This party's base OTs, when it will use OT preprocessing: they ride along with the handshake. */
	baseOts?: BaseOts;
	/** This party's identity in the run (identity.ts). */
	identity: RunIdentity;
	/** Every party's identity as its personal link or the run's first attempt fixed it, by party: their hellos must be signed. */
	knownIdentities?: readonly string[];
	/** Called with every party's identity, by party, once every hello is in. */
	onIdentities?: (identities: readonly string[]) => void;
	/** Called as the handshake fails, with what settles once an abort notice can be sealed for the dealer (keyDealerForNotice). */
	onStopped?: (dealerKeyed: Promise<void>) => void;
}

export interface Agreement {
	program: Program;
	circuitHash: string;
	/** SHA-256 (hex) of all hellos: fresh for this run and the same at every party. */
	transcript: string;
	preprocessing: Preprocessing;
	/** The base OTs with every peer, when every pair did them along with the handshake. */
	ot?: ReadyOts;
	/**
	 * Settles once every peer's confirm matched ours (and the dealer, if called, has the call).
	 * With the dealer the handshake resolves after that; with OT it resolves before, so that the
	 * run's first round leaves with the confirms, and the run reads nothing until this resolves
	 * (MpcOptions.agreed). Rejects with the MismatchError, or whatever ended the wait.
	 */
	confirmed: Promise<void>;
}

const NONCE_BYTES = 16;

/** Runs the handshake; resolves once every party agrees on everything, else throws MismatchError. */
export async function partyHandshake(options: PartyHandshakeOptions): Promise<Agreement> {
	const line = dealerLine(options.channel);
	try {
		return await shakeHands(options, line);
	} catch (error) {
		options.onStopped?.(keyDealerForNotice(options, line, error));
		throw error;
	}
}

/** This party's line to the dealer in the handshake: its call once sent, and the dealer's hello, received once for whoever asks first. */
interface DealerLine {
	/** The call's bytes, once sent (undefined where this party made none). */
	call?: Promise<Uint8Array | undefined>;
	/** A peer's hello shows that it will not call the dealer (it forces OT, or takes no dealer): the dealer will not say hello. */
	uncalled?: boolean;
	hello(): Promise<Received<DealerHello>>;
}

function dealerLine(channel: Channel): DealerLine {
	let hello: Promise<Received<DealerHello>> | undefined;
	return { hello: () => (hello ??= receiveMessage(channel, DEALER_PARTY, 'dealer-hello')) };
}

/**
 * With a session key, a party that stops after calling the dealer can tell it why only under
 * their pair's keys (its call was the one message a pair sends before them), and those come
 * with the dealer's hello, which the dealer sends once every party called. So such a party
 * keys the pair with that hello when it comes, unchecked: only its abort notice travels under
 * those keys. Settles once keyed, or once there is nothing to wait for; never rejects. A party
 * stopped by another's notice tells nobody, so needs none.
 */
async function keyDealerForNotice({ pairs, party }: PartyHandshakeOptions, line: DealerLine, error: unknown): Promise<void> {
	const { call } = line;
	if (!pairs || !call || error instanceof PeerAbortError || pairs.linked(DEALER_PARTY)) return;
	// No hello will come where a peer does not call, or is silent (its call is not in either).
	if (line.uncalled || error instanceof PeerTimeoutError) return;
	try {
		const callBytes = await call;
		if (!callBytes) return;
		const { message, bytes } = await line.hello();
		if (!pairs.linked(DEALER_PARTY)) linkPair(pairs, party, DEALER_PARTY, callBytes, bytes, message.share);
	} catch {
		// No hello (the run was cancelled, or the dealer stopped first): the notice cannot be sealed for it.
	}
}

async function shakeHands(options: PartyHandshakeOptions, line: DealerLine): Promise<Agreement> {
	const { channel, pairs, party, parties } = options;
	const peers = range(parties).filter((p) => p !== party);
	const hello: Hello = {
		kind: 'hello',
		version: PROTOCOL_VERSION,
		party,
		parties,
		evaluator: options.evaluator,
		outputParties: [...options.outputParties],
		preprocessing: options.preprocessing,
		consts: { ...options.consts },
		...(options.dealer ? { dealer: options.dealer } : {}),
		nonce: freshNonce(),
		identity: options.identity.publicKey,
		...(pairs ? { share: bytesToHex(pairs.share) } : {}),
		...(options.baseOts ? { ot: bytesToHex(options.baseOts.offer) } : {})
	};
	if (options.knownIdentities) hello.continuity = signContinuedHello(options.identity, continuedHello(options.session, hello));
	const helloBytes = encodeMessage(hello);
	const helloHash = bytesToHex(sha256(helloBytes));
	const compiled = options.program;
	// A party that takes the dealer unless another party forces OT, and whose program needs no
	// one's constants, calls the dealer along with its hello (4.): the dealer, called by every
	// party so, answers along with the confirms, a flight earlier.
	const early =
		compiled && expectsDealer(hello, !!pairs) ? await dealerCall(options, { use: true, program: compiled, circuitHash: await circuitHash(compiled), helloHash, share: hello.share }) : undefined;
	await Promise.all([
		...peers.map((p) => channel.sendBytesTo(p, helloBytes, { phase: 'handshake: hello' })),
		...(early ? [sendCall(options, early)] : [])
	]);
	if (early) line.call = Promise.resolve(early);
	// Otherwise a program compiled already (it needs no party's constants) has its circuit
	// validated, scheduled and hashed (cached per circuit) once the hellos have left, while the
	// peers' travel: tens of ms that would otherwise come after them. A failure is reported
	// where the hash is taken below.
	if (compiled && !early) void turnPassed().then(() => circuitHash(compiled)).catch(() => {});

	const hellos: Hello[] = [];
	/** Every party's hello hash (hex), by party: what the transcript hashes. */
	const helloHashes: string[] = [];
	hellos[party] = hello;
	helloHashes[party] = helloHash;
	// A peer's confirm is awaited from the moment its hello is in, so that an abort notice it
	// sends meanwhile (it found a mismatch, or was cancelled) ends every wait at once.
	const confirms = new Map<number, Promise<Confirm>>();
	const otPairs: PairwiseOt[] = [];
	const otAnswers: Uint8Array[] = [];
	let peerFailed!: (error: unknown) => void;
	const failure = new Promise<never>((_, reject) => (peerFailed = reject));
	failure.catch(() => {});
	await Promise.race([
		failure,
		Promise.all(
			peers.map(async (p) => {
				const theirs = await receiveMessage(channel, p, 'hello');
				if (!expectsDealer(theirs.message, !!pairs)) line.uncalled = true;
				// Keyed before it is compared, so that it hears why this party stops.
				linkPair(pairs, party, p, helloBytes, theirs.bytes, theirs.message.share);
				compareHellos(hello, theirs.message, p);
				checkIdentity(options, theirs.message, p);
				hellos[p] = theirs.message;
				helloHashes[p] = bytesToHex(sha256(theirs.bytes));
				const { baseOts } = options;
				const offer = theirs.message.ot;
				let answered: Promise<unknown> = Promise.resolve();
				if (baseOts && offer) {
					const { message, ot } = baseOts.answer(p, hexToBytes(offer));
					otAnswers[p] = message;
					otPairs[p] = ot;
					answered = receiveBytes(channel, p, ANSWER_BYTES, 'handshake: base OT').then((answer) => {
						baseOts.finish(p, answer);
						return ot.sender;
					});
				}
				const confirm = answered.then(() => receiveMessage(channel, p, 'confirm')).then((received) => received.message);
				confirm.catch(peerFailed);
				confirms.set(p, confirm);
			})
		)
	]);
	options.onIdentities?.(hellos.map((h) => h.identity));
	const transcript = transcriptOf(helloHashes);
	const program = options.program ?? options.compileWith(hellos.map((h) => h.consts));
	if (program.parties.length !== parties) {
		throw new MismatchError('party count', party, `the program compiled for ${program.parties.length} parties, but ${parties} take part`);
	}
	const hash = await circuitHash(program);
	const preprocessing = decidePreprocessing(hellos, hello, !!pairs);
	// The dealer's hello is awaited from now on, along with the confirms: a dealer called with the
	// hellos answers with the confirms, and the relay hands both over in one answer.
	const dealerHello = preprocessing === 'dealer' ? line.hello() : undefined;
	dealerHello?.catch(() => {});
	const confirm: Confirm = { kind: 'confirm', circuitHash: hash, transcript };
	const confirmBytes = encodeMessage(confirm);
	// A base-OT answer goes with the confirm, in the same turn: sent apart, the two could reach the
	// relay in different requests, and a peer would wait a round trip more for the second.
	await Promise.all(
		peers.flatMap((p) => [
			...(otAnswers[p] ? [channel.sendBytesTo(p, otAnswers[p], { phase: 'handshake: base OT' })] : []),
			channel.sendBytesTo(p, confirmBytes, { phase: 'handshake: confirm' })
		])
	);
	// The dealer is called at once, along with the confirms, unless it was called with the hello:
	// should they disagree, this party stops and tells the dealer too. A party that called early
	// and now finds OT chosen says nothing more: the party that forced OT releases the dealer.
	const called = early ? Promise.resolve(early) : callDealer(options, preprocessing, { program, circuitHash: hash, helloHash, transcript, share: hello.share });
	line.call = called;
	// Awaited once the confirms are in; should it fail before, that is no unhandled rejection.
	called.catch(() => {});
	const confirmed = (async () => {
		for (const p of peers) compareConfirms(confirm, await Promise.race([failure, confirms.get(p)!]), p);
		await called;
	})();
	confirmed.catch(() => {});
	const everyPair = peers.every((p) => otPairs[p]);
	const ot = options.baseOts && everyPair ? { ot: { delta: options.baseOts.delta, pairs: otPairs } } : {};
	const agreed = { program, circuitHash: hash, transcript, preprocessing, ...ot };
	// Set up with the peers: what follows (meeting the dealer, which deals, or OT's first round) the in-process engine does too.
	performance.mark(SET_UP_MARK);
	// With OT the run starts now: its first round leaves along with the confirms (MpcOptions.agreed).
	if (preprocessing === 'ot') return { ...agreed, confirmed };
	await confirmed;
	meetDealer(options, (await called)!, helloHashes, transcript, await dealerHello!);
	return { ...agreed, confirmed };
}

/**
 * Calls the dealer once every hello is in: to deal, or (when it has joined though OT was
 * chosen) to say it is not needed. Only a dealer that is there hears it: a call it never reads
 * would be a stray message for the next dealer of this session. Resolves with the call's
 * bytes, or undefined when none.
 */
async function callDealer(options: PartyHandshakeOptions, preprocessing: Preprocessing, terms: Omit<CallTerms, 'use'> & { transcript: string }): Promise<Uint8Array | undefined> {
	const use = preprocessing === 'dealer';
	if (!use && !(await options.dealerJoined())) return undefined;
	const call = await dealerCall(options, { ...terms, use });
	await sendCall(options, call);
	return call;
}

/** What a party tells the dealer in its call: `transcript` once every hello is in. */
interface CallTerms {
	use: boolean;
	program: Program;
	circuitHash: string;
	/** SHA-256 (hex) of the party's hello. */
	helloHash: string;
	transcript?: string;
	share: string | undefined;
}

/** A call to the dealer, signed where the party has a known identity. */
async function dealerCall(options: PartyHandshakeOptions, { use, program, circuitHash, helloHash, transcript, share }: CallTerms): Promise<Uint8Array> {
	const { party, parties } = options;
	const call: DealerCall = {
		kind: 'dealer',
		version: PROTOCOL_VERSION,
		party,
		parties,
		use,
		circuitHash,
		hello: helloHash,
		...(transcript ? { transcript } : {}),
		...(share ? { share } : {}),
		...(use ? { request: bytesToHex(await dealerAnnouncementFor(program.circuit, party)) } : {})
	};
	if (options.knownIdentities) call.signature = signDealerCall(options.identity, { session: options.session, ...call });
	return encodeMessage(call);
}

function sendCall(options: PartyHandshakeOptions, call: Uint8Array): Promise<void> {
	return options.channel.sendBytesTo(DEALER_PARTY, call, { phase: 'handshake: dealer call' });
}

/**
 * Whether this party takes the dealer when no other party forces a mode: it forces the dealer,
 * or leaves it to the session, which grants one (decidePreprocessing on its hello alone).
 */
function expectsDealer(hello: Hello, keyed: boolean): boolean {
	try {
		return decidePreprocessing([hello], hello, keyed) === 'dealer';
	} catch {
		return false;
	}
}

/** A binary message of exactly `length` bytes from `from`. */
async function receiveBytes(channel: Channel, from: number, length: number, phase: string): Promise<Uint8Array> {
	const bytes = await channel.recvBytesFrom(from, { phase });
	if (bytes.length !== length) throw new HandshakeError(from, `its ${phase} message has ${bytes.length} bytes, not ${length}`);
	return bytes;
}

/**
 * Checks the dealer's hello: it must answer this run and, with a grant, be signed by the granted
 * key. Where it answers another run, the hellos it names tell whose hello the dealer was told
 * otherwise; the abort names nobody, as a party that lied in its call and a relay that replayed
 * an earlier run's messages look the same from here.
 */
function meetDealer(options: PartyHandshakeOptions, callBytes: Uint8Array, helloHashes: readonly string[], transcript: string, { message: hello, bytes }: Received<DealerHello>): void {
	// With a grant, first whether the granted dealer said it: what a forged hello names is no one's word.
	if (options.dealer) {
		const fingerprint = dealerFingerprint(options.dealer);
		if (!hello.signature) throw new UntrustedDealerError('unsigned', fingerprint);
		const signed = { session: options.session, transcript: hello.transcript, nonce: hello.nonce, share: hello.share };
		if (!verifyDealerHello(options.dealer, signed, hello.signature)) throw new UntrustedDealerError('signature', fingerprint);
	}
	if (hello.transcript !== transcript) {
		if (hello.hellos.length !== helloHashes.length) {
			throw new HandshakeError(DEALER_PARTY, `its hello names the hellos of ${hello.hellos.length} parties, this run has ${helloHashes.length}`);
		}
		if (transcriptOf(hello.hellos) !== hello.transcript) {
			throw new HandshakeError(DEALER_PARTY, 'its hello names a transcript that is not the hash of the hellos it names');
		}
		const differing = helloHashes.flatMap((hash, p) => (hash === hello.hellos[p] ? [] : [p]));
		// No party can tell the dealer of another hello for this one: where ours differs, the relay replayed or rewrote.
		const cause = differing.includes(options.party)
			? `, ours among them: the relay replayed an earlier run's dealer messages, or rewrote our call`
			: `: a party told the dealer of another hello than it sent its peers, or the relay replayed an earlier run's dealer messages`;
		throw new MismatchError(
			'handshake',
			NOBODY,
			`the dealer answered another run (transcript ${short(hello.transcript)} vs ours ${short(transcript)}): it was told of other hellos from ${listParties(differing)} than we have${cause}`
		);
	}
	linkPair(options.pairs, options.party, DEALER_PARTY, callBytes, bytes, hello.share);
}

export interface DealerHandshakeOptions {
	channel: Channel;
	/** With a session key: the pair sealing under `channel`, keyed here once every party called. */
	pairs?: PairSealedChannel;
	session: string;
	parties: number;
	/** The grant's secret: the dealer signs its hello with it. */
	secret?: Uint8Array;
	/** With personal links: every party's identity (the session info's), by party: each call must be signed with its party's. */
	slotKeys?: readonly string[];
	/** The parties whose call has not arrived yet, each time that changes. */
	onPending?(parties: number[]): void;
}

/**
 * The dealer's side: once every party has called it to deal (and all agree) and it has greeted
 * them, what each party's run first asks of it (by party); null as soon as one says the parties
 * chose OT (the others need not call: it is released, and says nothing).
 */
export async function dealerHandshake(options: DealerHandshakeOptions): Promise<Uint8Array[] | null> {
	const { channel, parties } = options;
	const pending = new Set(range(parties));
	options.onPending?.([...pending]);
	const calls: Received<DealerCall>[] = [];
	let first: DealerCall | undefined;
	let released!: (used: false) => void;
	const release = new Promise<false>((resolve) => (released = resolve));
	const called = Promise.all(
		range(parties).map(async (p) => {
			const received = await receiveMessage(channel, p, 'dealer');
			const call = received.message;
			checkCaller(options, call, p);
			if (call.party !== p) throw new MismatchError('party', p, `the call from ${partyName(p)} says it is ${partyName(call.party)}: two parties use the same party number?`);
			if (call.parties !== parties) {
				throw new MismatchError('party count', p, `${partyName(p)} runs a program for ${call.parties} parties, the dealer was started for ${parties}`);
			}
			if (!call.use) return released(false);
			first ??= call;
			// Who is wrong the dealer cannot tell (up to n − 1 parties may lie together): it names nobody.
			if (call.circuitHash !== first.circuitHash) {
				throw new MismatchError('handshake', NOBODY, `the parties told the dealer of different programs (${partyName(first.party)} and ${partyName(p)} differ): they did not agree on the program or settings`);
			}
			calls[p] = received;
			pending.delete(p);
			options.onPending?.([...pending]);
		})
	).then(() => true);
	if (!(await Promise.race([called, release]))) return null;
	// Every party's hello, by its hash: a call made once the hellos were in names their transcript too.
	const transcript = transcriptOf(calls.map(({ message }) => message.hello));
	if (calls.some(({ message }) => message.transcript !== undefined && message.transcript !== transcript)) {
		throw new MismatchError(
			'handshake',
			NOBODY,
			'the parties told the dealer of different hellos: the transcripts their calls name are not that of the hellos the calls name (a party told the dealer of another hello than it sent its peers)'
		);
	}
	await greetParties(options, calls, transcript);
	return calls.map(({ message }, p) => {
		if (!message.request) throw new HandshakeError(p, 'its call to the dealer says what it needs from the dealer in no form this version reads');
		return hexToBytes(message.request);
	});
}

/** With personal links, a call must be signed by its party's identity: otherwise someone else wrote it. */
function checkCaller(options: DealerHandshakeOptions, call: DealerCall, from: number): void {
	const known = options.slotKeys?.[from];
	if (known === undefined) return;
	if (!call.signature || !verifyDealerCall(known, { ...call, session: options.session }, call.signature)) {
		throw new MismatchError(
			'identity',
			from,
			`the call from ${partyName(from)} is not signed with the identity its personal link fixes: someone else (a holder of the session key, with the relay's help) wrote it`
		);
	}
}

/** The dealer's hello to every party, and the pair keys bound to each party's call and this hello. */
async function greetParties(options: DealerHandshakeOptions, calls: readonly Received<DealerCall>[], transcript: string): Promise<void> {
	const { channel, pairs, secret } = options;
	const share = pairs && bytesToHex(pairs.share);
	const nonce = freshNonce();
	const hello: DealerHello = {
		kind: 'dealer-hello',
		version: PROTOCOL_VERSION,
		transcript,
		hellos: calls.map(({ message }) => message.hello),
		nonce,
		...(share ? { share } : {}),
		...(secret ? { signature: signDealerHello(secret, { session: options.session, transcript, nonce, share }) } : {})
	};
	const helloBytes = encodeMessage(hello);
	for (const [p, call] of calls.entries()) linkPair(pairs, DEALER_PARTY, p, helloBytes, call.bytes, call.message.share);
	await Promise.all(calls.map((_, p) => channel.sendBytesTo(p, helloBytes, { phase: 'handshake: dealer hello' })));
}

/**
 * With a session key, keys the pair with `peer` from its share: the salt is the hash of both
 * opening messages, the lower party's first. Binding to the pair's openings rather than to
 * every hello lets a party key each pair as soon as its peer has spoken (so that an abort
 * notice reaches every peer that has), and keeps a transcript that differs between parties
 * a clear mismatch in the confirm round rather than a failed authentication. The confirm round
 * then checks the whole transcript under the pair keys; the dealer's pair is bound to the
 * party's call and the dealer's hello, which names that transcript.
 */
function linkPair(pairs: PairSealedChannel | undefined, me: number, peer: number, mine: Uint8Array, theirs: Uint8Array, share: string | undefined): void {
	if (!pairs) return;
	if (!share) throw new HandshakeError(peer, 'it carries no key share for this run (does it run another version?)');
	try {
		pairs.link(peer, hexToBytes(share), pairSalt(me, peer, mine, theirs));
	} catch (error) {
		if (error instanceof PairKeyError) throw new HandshakeError(peer, 'its key share is not a usable X25519 public key');
		throw error;
	}
}

function compareHellos(ours: Hello, theirs: Hello, from: number): void {
	const differ = (check: string, message: string) => {
		throw new MismatchError(check, from, message);
	};
	const name = partyName(from);
	if (theirs.party !== from) differ('party', `the hello from ${name} says it is ${partyName(theirs.party)}: two parties use the same party number?`);
	if (theirs.parties !== ours.parties) differ('party count', `${name} runs a program for ${theirs.parties} parties, ours is for ${ours.parties}`);
	if (theirs.evaluator !== ours.evaluator) {
		differ('evaluator', `${name} takes ${partyName(theirs.evaluator)} as the evaluator, we take ${partyName(ours.evaluator)}`);
	}
	if (theirs.outputParties.join() !== ours.outputParties.join()) {
		differ('output parties', `${name} sends the output to ${listParties(theirs.outputParties)}, we to ${listParties(ours.outputParties)}`);
	}
	if (theirs.preprocessing !== 'auto' && ours.preprocessing !== 'auto' && theirs.preprocessing !== ours.preprocessing) {
		differ('preprocessing', `${name} forces ${modeName(theirs.preprocessing)}, we force ${modeName(ours.preprocessing)}`);
	}
	if ((theirs.dealer ?? '') !== (ours.dealer ?? '')) {
		const grant = (key: string | undefined) => (key ? `the dealer with key fingerprint ${dealerFingerprint(key)}` : 'no dealer');
		differ('dealer', `${name} trusts ${grant(theirs.dealer)}, we trust ${grant(ours.dealer)}: do all parties use the same session link or key?`);
	}
}

/** What a hello's signature in a later attempt covers (identity.ts). */
function continuedHello(session: string, hello: Hello): ContinuedHello {
	return { session, party: hello.party, nonce: hello.nonce, share: hello.share, ot: hello.ot };
}

/**
 * In a later attempt, a peer's hello must carry the identity the run's first attempt fixed for
 * its party and be signed with it for this attempt: otherwise someone else took its slot.
 */
function checkIdentity(options: PartyHandshakeOptions, theirs: Hello, from: number): void {
	const known = options.knownIdentities?.[from];
	if (known === undefined) return;
	if (theirs.identity !== known || !theirs.continuity || !verifyContinuedHello(known, continuedHello(options.session, theirs), theirs.continuity)) {
		throw new MismatchError(
			'identity',
			from,
			`${partyName(from)} in this attempt is not the participant that holds its slot (its hello is not signed with the identity that its personal link or the run's first attempt fixed): someone else took its slot`
		);
	}
}

/**
 * The mode some party forced, else the dealer where the session grants one, else OT: what
 * every party decides from the same hellos. `auto` takes the dealer only where the session
 * grants it; with a session key, a dealer is used only where it is granted.
 */
function decidePreprocessing(hellos: readonly Hello[], ours: Hello, keyed: boolean): Preprocessing {
	const forcing = hellos.filter((h) => h.preprocessing !== 'auto');
	const other = forcing.find((h) => h.preprocessing !== forcing[0].preprocessing);
	if (other) {
		const first = forcing[0];
		throw new MismatchError(
			'preprocessing',
			other.party,
			`${partyName(other.party)} forces ${modeName(other.preprocessing)}, ${partyName(first.party)} forces ${modeName(first.preprocessing)}`
		);
	}
	const decision = (forcing[0]?.preprocessing as Preprocessing | undefined) ?? (ours.dealer ? 'dealer' : 'ot');
	if (decision === 'dealer' && !ours.dealer && (keyed || ours.preprocessing === 'auto')) {
		const by = forcing[0].party;
		const rule = keyed ? 'with a session key, only a dealer that the session grants can deal' : 'without a grant, a dealer is used only when every party chooses it';
		throw new MismatchError('preprocessing', by, `${partyName(by)} forces the trusted dealer, but this session grants none: ${rule}`);
	}
	return decision;
}

function compareConfirms(ours: Confirm, theirs: Confirm, from: number): void {
	if (theirs.circuitHash !== ours.circuitHash) {
		throw new MismatchError('program', from, `${partyName(from)} runs a different program (circuit hash ${short(theirs.circuitHash)} vs ours ${short(ours.circuitHash)})`);
	}
	if (theirs.transcript !== ours.transcript) {
		throw new MismatchError(
			'handshake',
			from,
			`${partyName(from)} saw different handshake messages (transcript ${short(theirs.transcript)} vs ours ${short(ours.transcript)}): a party sent different settings to different parties, or the relay replayed an earlier run`
		);
	}
}

/**
 * SHA-256 of the circuit's digest (the one the engine and the dealer compare, computed once per
 * circuit) and the parties' input and output types: what must be equal to compute together.
 */
export async function circuitHash(program: Program): Promise<string> {
	const types = new TextEncoder().encode(JSON.stringify({ inputs: program.parties.map((p) => p.type), output: program.outputType }));
	const hash = sha256.create();
	hash.update(await prepareCircuit(program.circuit).digest());
	hash.update(types);
	return bytesToHex(hash.digest());
}

/** The salt of a pair's keys (PairSealedChannel.link): the pair's two hellos as each party has them, the lower party's first. */
export function pairSalt(me: number, peer: number, mine: Uint8Array, theirs: Uint8Array): Uint8Array {
	return hashMessages(me < peer ? [mine, theirs] : [theirs, mine]);
}

/**
 * The run's transcript (hex): the hash of every party's hello hash (hex), in party order. The
 * dealer computes it from the hashes the parties' calls carry, and its hello names it.
 */
function transcriptOf(helloHashes: readonly string[]): string {
	return bytesToHex(hashMessages(helloHashes.map((hash) => hexToBytes(hash))));
}

/** SHA-256 of messages exactly as sent or received, in order, each behind its length. */
function hashMessages(messages: readonly Uint8Array[]): Uint8Array {
	const hash = sha256.create();
	for (const bytes of messages) {
		const length = new Uint8Array(4);
		new DataView(length.buffer).setUint32(0, bytes.length);
		hash.update(length);
		hash.update(bytes);
	}
	return hash.digest();
}

function freshNonce(): string {
	return bytesToHex(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

function modeName(mode: PreprocessingChoice): string {
	return mode === 'dealer' ? 'the trusted dealer' : mode === 'ot' ? 'OT preprocessing' : 'automatic preprocessing';
}

const short = (hex: string) => `${hex.slice(0, 8)}…`;

function range(n: number): number[] {
	return Array.from({ length: n }, (_, i) => i);
}
