/**
 * The session handshake, run by every computing party before `mpc()` (and its dealer side).
 *
 * 1. hello (every party to every other): protocol version, party count, evaluator, output
 *    parties, preprocessing choice, the sender's own constants, a fresh nonce. Each party
 *    compares every hello with its own settings.
 * 2. Each party compiles the program with everyone's constants and hashes the circuit.
 * 3. confirm (every party to every other): the circuit hash and the transcript hash of all
 *    hellos; the evaluator adds the preprocessing decision — the mode a party forced, else
 *    the dealer if it has joined, else OT — so that all parties take the same one.
 * 4. dealer call (every party to party 255): whether the dealer is used, with version, party
 *    count, circuit hash and transcript, so that the dealer checks them too, and stops
 *    cleanly when it is not needed. The dealer may never read it (nobody started one).
 *
 * Any difference is a MismatchError naming what differs and the party that differs.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { serializeCircuit } from '../garble/circuit/serialize';
import type { Program } from '../garble';
import { PROTOCOL_VERSION } from '../version';
import { listParties, MismatchError } from './errors';
import { encodeMessage, receiveMessage, type Confirm, type DealerCall, type Hello, type PartyTerms, type Preprocessing, type PreprocessingChoice } from './messages';

export interface PartyHandshakeOptions extends PartyTerms {
	/** The session's channel (sealed when there is a key; carrying abort notices). */
	channel: Channel;
	/** Compiles the program given every party's constants (index = party). */
	compile(consts: readonly Readonly<Record<string, string>>[]): Program;
	/** Whether the dealer has joined the session: asked once, by the evaluator, in `auto`. */
	dealerJoined(): Promise<boolean>;
}

export interface Agreement {
	program: Program;
	circuitHash: string;
	transcript: string;
	preprocessing: Preprocessing;
}

const NONCE_BYTES = 16;

/** Runs the handshake; resolves once every party agrees on everything, else throws MismatchError. */
export async function partyHandshake(options: PartyHandshakeOptions): Promise<Agreement> {
	const { channel, party, parties } = options;
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
		nonce: bytesToHex(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)))
	};
	const helloBytes = encodeMessage(hello);
	await Promise.all(peers.map((p) => channel.sendBytesTo(p, helloBytes, { phase: 'handshake: hello' })));

	const hellos: Hello[] = [];
	hellos[party] = hello;
	// A peer's confirm is awaited from the moment its hello is in, so that an abort notice it
	// sends meanwhile (it found a mismatch, or was cancelled) ends every wait at once.
	const confirms = new Map<number, Promise<Confirm>>();
	let peerFailed!: (error: unknown) => void;
	const failure = new Promise<never>((_, reject) => (peerFailed = reject));
	failure.catch(() => {});
	await Promise.race([
		failure,
		Promise.all(
			peers.map(async (p) => {
				const theirs = await receiveMessage(channel, p, 'hello');
				compareHellos(hello, theirs, p);
				hellos[p] = theirs;
				const confirm = receiveMessage(channel, p, 'confirm');
				confirm.catch(peerFailed);
				confirms.set(p, confirm);
			})
		)
	]);
	const transcript = transcriptHash(hellos);
	const program = options.compile(hellos.map((h) => h.consts));
	if (program.parties.length !== parties) {
		throw new MismatchError('party count', party, `the program compiled for ${program.parties.length} parties, but ${parties} take part`);
	}
	const hash = circuitHash(program);
	const forced = forcedPreprocessing(hellos);
	const confirm: Confirm = { kind: 'confirm', circuitHash: hash, transcript };
	if (party === options.evaluator) confirm.preprocessing = forced ?? ((await options.dealerJoined()) ? 'dealer' : 'ot');
	const confirmBytes = encodeMessage(confirm);
	await Promise.all(peers.map((p) => channel.sendBytesTo(p, confirmBytes, { phase: 'handshake: confirm' })));

	for (const p of peers) compareConfirms(confirm, await Promise.race([failure, confirms.get(p)!]), p);
	const decision = party === options.evaluator ? confirm.preprocessing : (await confirms.get(options.evaluator)!).preprocessing;
	if (!decision || (forced && decision !== forced)) {
		const what = decision ? `chose ${modeName(decision)} although a party forced ${modeName(forced!)}` : 'announced no preprocessing decision';
		throw new MismatchError('preprocessing', options.evaluator, `the evaluator (${partyName(options.evaluator)}) ${what}`);
	}
	const call: DealerCall = { kind: 'dealer', version: PROTOCOL_VERSION, parties, use: decision === 'dealer', circuitHash: hash, transcript };
	await channel.sendBytesTo(DEALER_PARTY, encodeMessage(call), { phase: 'handshake: dealer call' });
	return { program, circuitHash: hash, transcript, preprocessing: decision };
}

export interface DealerHandshakeOptions {
	channel: Channel;
	parties: number;
	/** The parties whose call has not arrived yet, each time that changes. */
	onPending?(parties: number[]): void;
}

/** The dealer's side: waits for every party's call; true if the parties use the dealer. */
export async function dealerHandshake(options: DealerHandshakeOptions): Promise<boolean> {
	const { channel, parties } = options;
	const pending = new Set(range(parties));
	options.onPending?.([...pending]);
	let first: DealerCall | undefined;
	await Promise.all(
		range(parties).map(async (p) => {
			const call = await receiveMessage(channel, p, 'dealer');
			if (call.parties !== parties) {
				throw new MismatchError('party count', p, `${partyName(p)} runs a program for ${call.parties} parties, the dealer was started for ${parties}`);
			}
			first ??= call;
			if (call.use !== first.use || call.circuitHash !== first.circuitHash || call.transcript !== first.transcript) {
				throw new MismatchError('handshake', p, `the parties told the dealer different things (${partyName(p)} differs): they did not agree on the program or settings`);
			}
			pending.delete(p);
			options.onPending?.([...pending]);
		})
	);
	return first!.use;
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
}

/** The mode some party forced, if any; two parties forcing different modes is a mismatch. */
function forcedPreprocessing(hellos: readonly Hello[]): Preprocessing | undefined {
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
	return forcing[0]?.preprocessing as Preprocessing | undefined;
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

/** SHA-256 of the serialised circuit and the parties' input and output types: what must be equal to compute together. */
export function circuitHash(program: Program): string {
	const circuit = serializeCircuit(program.circuit);
	const types = new TextEncoder().encode(JSON.stringify({ inputs: program.parties.map((p) => p.type), output: program.outputType }));
	const hash = sha256.create();
	hash.update(circuit);
	hash.update(types);
	return bytesToHex(hash.digest());
}

/** SHA-256 of all hellos in party order, each behind its length. */
function transcriptHash(hellos: readonly Hello[]): string {
	const hash = sha256.create();
	for (const hello of hellos) {
		const bytes = encodeMessage(hello);
		const length = new Uint8Array(4);
		new DataView(length.buffer).setUint32(0, bytes.length);
		hash.update(length);
		hash.update(bytes);
	}
	return bytesToHex(hash.digest());
}

function modeName(mode: PreprocessingChoice): string {
	return mode === 'dealer' ? 'the trusted dealer' : mode === 'ot' ? 'OT preprocessing' : 'automatic preprocessing';
}

const short = (hex: string) => `${hex.slice(0, 8)}…`;

function range(n: number): number[] {
	return Array.from({ length: n }, (_, i) => i);
}
