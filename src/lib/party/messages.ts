/**
 * The session handshake's messages: JSON in UTF-8, one per channel message. Every field is
 * checked on arrival, since a peer (or, without a key, the relay) may send anything.
 */
import { partyName, type Channel } from '../channel/channel';
import { OFFER_BYTES } from '../ot/setup';
import { PROTOCOL_VERSION } from '../version';
import { HandshakeError, MismatchError } from './errors';

/** How the parties get their correlated randomness: a trusted dealer (party 255) or OT. */
export type Preprocessing = 'dealer' | 'ot';
/** What a party asks for: `auto` takes the dealer when the session grants one, OT otherwise. */
export type PreprocessingChoice = Preprocessing | 'auto';

/** What a party states about its run: the others must agree with all of it but `party` and `consts`. */
export interface PartyTerms {
	party: number;
	/** Number of computing parties. */
	parties: number;
	evaluator: number;
	outputParties: readonly number[];
	preprocessing: PreprocessingChoice;
	/** The party's own constants `PARTY_{party}::NAME`, by NAME, as Garble literals. */
	consts: Readonly<Record<string, string>>;
	/** The Ed25519 public key (hex) of the dealer that the session's creator granted, if any. */
	dealer?: string;
}

/** Round 1, every party to every other (each direction's opening message): its terms. */
export interface Hello extends PartyTerms {
	kind: 'hello';
	/** PROTOCOL_VERSION of the sender; checked first, as the rest may differ between versions. */
	version: number;
	/** Fresh random hex: makes the transcript of every run unique. */
	nonce: string;
	/** The sender's identity in this run (identity.ts): an Ed25519 public key, hex, the same in every attempt. */
	identity: string;
	/** In a later attempt of the run: the sender's signature (hex) over the attempt and this hello's fresh values. */
	continuity?: string;
	/** With a session key: the sender's X25519 public key (hex) for this run's pair keys. */
	share?: string;
	/**
	 * When the sender will use OT preprocessing: its base-OT offer (hex, OFFER_BYTES), so that the
	 * base OTs of the run cost no flights of their own (the answers go with the confirms).
	 */
	ot?: string;
}

/** Round 2, every party to every other, sealed per pair: what it compiled and what it saw. */
export interface Confirm {
	kind: 'confirm';
	/** SHA-256 (hex) of the serialised circuit and the input and output types. */
	circuitHash: string;
	/** SHA-256 (hex) of all hellos in party order. */
	transcript: string;
}

/** Every party to the dealer (party 255), its opening message there: whether it is needed. */
export interface DealerCall {
	kind: 'dealer';
	version: number;
	party: number;
	parties: number;
	use: boolean;
	circuitHash: string;
	/** SHA-256 (hex) of the party's hello as it sent it to its peers: the dealer's hello names the transcript of them all. */
	hello: string;
	/**
	 * The transcript, in a call made once every hello is in (handshake.ts, 4.); a call that goes
	 * with the party's hello has none yet.
	 */
	transcript?: string;
	/** With a session key: the party's X25519 public key, as in its hello. */
	share?: string;
	/** When the dealer is used: what the party's run first asks of it (hex of the engine's dealerAnnouncement). */
	request?: string;
	/** With known identities (personal links, a later attempt): the party's Ed25519 signature (hex) over the call (identity.ts). */
	signature?: string;
}

/**
 * The dealer to every party once all have called it (its opening message there): the run it
 * answers, fresh values of its own, and the grant's signature over both.
 */
export interface DealerHello {
	kind: 'dealer-hello';
	version: number;
	/** The transcript of the parties' hellos, from the hashes their calls carry: a dealer hello answers one run only. */
	transcript: string;
	/** Those hashes (hex), by party: a party whose transcript differs sees whose hello the dealer was told otherwise. */
	hellos: string[];
	nonce: string;
	/** With a session key: the dealer's X25519 public key (hex) for this run. */
	share?: string;
	/** Ed25519 signature (hex) with the granted dealer key over session, transcript, nonce and share. */
	signature?: string;
}

export type HandshakeMessage = Hello | Confirm | DealerCall | DealerHello;

/** A message as checked, and its bytes exactly as they arrived (what transcripts hash). */
export interface Received<M> {
	message: M;
	bytes: Uint8Array;
}

export function encodeMessage(message: HandshakeMessage): Uint8Array {
	return new TextEncoder().encode(JSON.stringify(message));
}

const HEX64 = /^[0-9a-f]{64}$/;
/** An Ed25519 signature. */
const SIGNATURE_HEX = /^[0-9a-f]{128}$/;
const OFFER_HEX = new RegExp(`^[0-9a-f]{${2 * OFFER_BYTES}}$`);
/** Hex of a few kilobytes at most. */
const HEX = /^(?:[0-9a-f]{2}){1,8192}$/;
const isHash = (value: unknown) => typeof value === 'string' && HEX64.test(value);
const isOptional = (value: unknown, pattern: RegExp) => value === undefined || (typeof value === 'string' && pattern.test(value));
const isParty = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
const isChoice = (value: unknown): value is PreprocessingChoice => value === 'auto' || value === 'dealer' || value === 'ot';
const isStringRecord = (value: unknown): value is Record<string, string> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** The fields each kind must have, beyond `kind` and (for all but confirm) `version`. */
const SHAPES: { [K in HandshakeMessage['kind']]: (m: Record<string, unknown>) => boolean } = {
	hello: (m) =>
		isParty(m.party) &&
		isParty(m.parties) &&
		isParty(m.evaluator) &&
		Array.isArray(m.outputParties) &&
		m.outputParties.every(isParty) &&
		isChoice(m.preprocessing) &&
		isStringRecord(m.consts) &&
		typeof m.nonce === 'string' &&
		isHash(m.identity) &&
		isOptional(m.continuity, SIGNATURE_HEX) &&
		isOptional(m.share, HEX64) &&
		isOptional(m.dealer, HEX64) &&
		isOptional(m.ot, OFFER_HEX),
	confirm: (m) => isHash(m.circuitHash) && isHash(m.transcript),
	dealer: (m) =>
		isParty(m.party) &&
		isParty(m.parties) &&
		typeof m.use === 'boolean' &&
		isHash(m.circuitHash) &&
		isHash(m.hello) &&
		isOptional(m.transcript, HEX64) &&
		isOptional(m.share, HEX64) &&
		isOptional(m.request, HEX) &&
		isOptional(m.signature, SIGNATURE_HEX),
	'dealer-hello': (m) =>
		isHash(m.transcript) &&
		Array.isArray(m.hellos) &&
		m.hellos.every(isHash) &&
		typeof m.nonce === 'string' && isOptional(m.share, HEX64) && isOptional(m.signature, SIGNATURE_HEX)
};

/** The phase a wait for a handshake message of `kind` names (in timeouts and status). */
export function handshakePhase(kind: HandshakeMessage['kind']): string {
	return `handshake: ${kind}`;
}

/**
 * Receives the next message from `from` and checks that it is a well-formed `kind` message of
 * our protocol version (a different version is a MismatchError: its other fields may differ).
 */
export async function receiveMessage<K extends HandshakeMessage['kind']>(
	channel: Channel,
	from: number,
	kind: K
): Promise<Received<Extract<HandshakeMessage, { kind: K }>>> {
	let bytes: Uint8Array;
	try {
		bytes = await channel.recvBytesFrom(from, { phase: handshakePhase(kind) });
	} catch (error) {
		// AbortableChannel's words for a frame tag it does not know: typically a sealed stream read without a key.
		if (error instanceof Error && error.message.startsWith('malformed message')) {
			throw new HandshakeError(from, 'it seals its messages with a session key and this party has none (give every party the same key or link), or it runs another version');
		}
		throw error;
	}
	let message: unknown;
	try {
		message = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		throw new HandshakeError(from, 'it is not JSON (does it run another polytune version?)');
	}
	const fields = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
	if (typeof fields.version === 'number' && fields.version !== PROTOCOL_VERSION) {
		throw new MismatchError(
			'protocol version',
			from,
			`${partyName(from)} speaks protocol version ${fields.version}, this party version ${PROTOCOL_VERSION}: run the same polytune version everywhere`
		);
	}
	const versioned = kind === 'confirm' || fields.version === PROTOCOL_VERSION;
	if (fields.kind !== kind || !versioned || !SHAPES[kind](fields)) {
		throw new HandshakeError(from, `it is not the '${kind}' message expected at this point`);
	}
	return { message: message as Extract<HandshakeMessage, { kind: K }>, bytes };
}
