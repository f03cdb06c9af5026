/**
 * The session handshake's messages: JSON in UTF-8, one per channel message. Every field is
 * checked on arrival, since a peer (or, without a key, the relay) may send anything.
 */
import { partyName, type Channel } from '../channel/channel';
import { PROTOCOL_VERSION } from '../version';
import { HandshakeError, MismatchError } from './errors';

/** How the parties get their correlated randomness: a trusted dealer (party 255) or OT. */
export type Preprocessing = 'dealer' | 'ot';
/** What a party asks for: `auto` takes the dealer when it has joined, OT otherwise. */
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
}

/** Round 1, every party to every other: its terms. */
export interface Hello extends PartyTerms {
	kind: 'hello';
	/** PROTOCOL_VERSION of the sender; checked first, as the rest may differ between versions. */
	version: number;
	/** Fresh random hex: makes the transcript of every run unique. */
	nonce: string;
}

/** Round 2, every party to every other: what it compiled and what it saw. */
export interface Confirm {
	kind: 'confirm';
	/** SHA-256 (hex) of the serialised circuit and the input and output types. */
	circuitHash: string;
	/** SHA-256 (hex) of all hellos in party order. */
	transcript: string;
	/** The evaluator's decision; absent from the other parties. */
	preprocessing?: Preprocessing;
}

/** Every party to the dealer (party 255), which it may never read: whether it is needed. */
export interface DealerCall {
	kind: 'dealer';
	version: number;
	parties: number;
	use: boolean;
	circuitHash: string;
	transcript: string;
}

export type HandshakeMessage = Hello | Confirm | DealerCall;

export function encodeMessage(message: HandshakeMessage): Uint8Array {
	return new TextEncoder().encode(JSON.stringify(message));
}

const HEX64 = /^[0-9a-f]{64}$/;
const isParty = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
const isChoice = (value: unknown): value is PreprocessingChoice => value === 'auto' || value === 'dealer' || value === 'ot';
const isStringRecord = (value: unknown): value is Record<string, string> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** The fields each kind must have, beyond `kind` and (for hello and dealer) `version`. */
const SHAPES: { [K in HandshakeMessage['kind']]: (m: Record<string, unknown>) => boolean } = {
	hello: (m) =>
		isParty(m.party) &&
		isParty(m.parties) &&
		isParty(m.evaluator) &&
		Array.isArray(m.outputParties) &&
		m.outputParties.every(isParty) &&
		isChoice(m.preprocessing) &&
		isStringRecord(m.consts) &&
		typeof m.nonce === 'string',
	confirm: (m) =>
		typeof m.circuitHash === 'string' &&
		HEX64.test(m.circuitHash) &&
		typeof m.transcript === 'string' &&
		HEX64.test(m.transcript) &&
		(m.preprocessing === undefined || m.preprocessing === 'dealer' || m.preprocessing === 'ot'),
	dealer: (m) =>
		isParty(m.parties) && typeof m.use === 'boolean' && typeof m.circuitHash === 'string' && HEX64.test(m.circuitHash) && typeof m.transcript === 'string' && HEX64.test(m.transcript)
};

/**
 * Receives the next message from `from` and checks that it is a well-formed `kind` message of
 * our protocol version (a different version is a MismatchError: its other fields may differ).
 */
export async function receiveMessage<K extends HandshakeMessage['kind']>(
	channel: Channel,
	from: number,
	kind: K
): Promise<Extract<HandshakeMessage, { kind: K }>> {
	let bytes: Uint8Array;
	try {
		bytes = await channel.recvBytesFrom(from, { phase: `handshake: ${kind}` });
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
	return message as Extract<HandshakeMessage, { kind: K }>;
}
