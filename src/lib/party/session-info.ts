// The session's info blob on the relay (`PUT /info/{session}`): the program, the settings, the
// dealer grant and the parties' identities, sealed with the session key so that the relay
// learns nothing and a party needs only the link. The relay stores it once while it knows the
// session; a link made with the info also pins it (`info=`, a digest of what was sealed), so
// that nobody can swap what a session trusts even once the relay has forgotten the session (a
// restart, an hour without requests) and anyone with the key could publish it again.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { RelayClient } from '../channel/relay-client';
import { SESSION_KEY_BYTES } from '../channel/sealed';
import { bytesEqual } from '../crypto/hash';
import type { ConstInputs } from '../garble';
import { formatSessionKey } from './link';
import type { Preprocessing } from './messages';

/** What every party of a session learns from the link. */
export interface SessionInfo {
	/** The Garble program all parties run; absent when `polytune pre` created the session. */
	program?: string;
	/** 'dealer' exactly when `dealer` grants one. */
	preprocessing: Preprocessing;
	/** How many parties compute (the dealer not counted). */
	parties: number;
	/** The Ed25519 public key (hex) of the dealer the session's creator granted. */
	dealer?: string;
	/**
	 * With personal links: the Ed25519 public key (hex) of every party's identity (identity.ts),
	 * by party. A party's link carries its secret, and every hello must be signed with it.
	 */
	slotKeys?: string[];
	/** Constants fixed by whoever created the session (e.g. `PARTIES::TOTAL`). */
	consts?: ConstInputs;
	/** The example's title, when the program is one of the shipped examples. */
	title?: string;
	/** Example inputs per party, shown as placeholders (never used unless typed). */
	sampleInputs?: string[];
	/** The example's party constants, shown as placeholders too. */
	sampleConsts?: ConstInputs;
}

const FORMAT = 'polytune-session-info/2';
/** Bytes of the digest a link pins the info with (`info=`): a truncated SHA-256 of the sealed plaintext. */
export const INFO_DIGEST_BYTES = 16;
const MAGIC = new TextEncoder().encode('PTI1');
const NONCE_BYTES = 24;

/** Why an info blob could not be read. */
export class SessionInfoError extends Error {
	override name = 'SessionInfoError';
	constructor(
		readonly reason: 'wrong-key' | 'malformed' | 'changed',
		message: string
	) {
		super(message);
	}
}

/** A fresh random session name (16 characters the relay accepts). */
export function newSessionName(): string {
	return formatSessionKey(crypto.getRandomValues(new Uint8Array(12)));
}

/** The key that seals the info of one session, bound to its name. */
function infoKey(key: Uint8Array, session: string): Uint8Array {
	if (key.length !== SESSION_KEY_BYTES) throw new Error(`a session key has ${SESSION_KEY_BYTES} bytes, this one ${key.length}`);
	return hkdf(sha256, key, undefined, new TextEncoder().encode(`polytune session info|${session}`), 32);
}

/** The bytes that are sealed for `info`. */
function infoPlaintext(info: SessionInfo): Uint8Array {
	return new TextEncoder().encode(JSON.stringify({ format: FORMAT, ...info }));
}

/** What a link pins `info` with: the digest of the bytes sealSessionInfo seals for it. */
export function sessionInfoDigest(info: SessionInfo): Uint8Array {
	return digestOfPlaintext(infoPlaintext(info));
}

function digestOfPlaintext(plain: Uint8Array): Uint8Array {
	return sha256(plain).slice(0, INFO_DIGEST_BYTES);
}

export function sealSessionInfo(info: SessionInfo, key: Uint8Array, session: string): Uint8Array {
	const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
	const plain = infoPlaintext(info);
	const sealed = xchacha20poly1305(infoKey(key, session), nonce).encrypt(plain);
	const blob = new Uint8Array(MAGIC.length + NONCE_BYTES + sealed.length);
	blob.set(MAGIC, 0);
	blob.set(nonce, MAGIC.length);
	blob.set(sealed, MAGIC.length + NONCE_BYTES);
	return blob;
}

/** Opens the info with the key; with `pinned` (a link's `info=`), only the info the link was made with. */
export function openSessionInfo(blob: Uint8Array, key: Uint8Array, session: string, pinned?: Uint8Array): SessionInfo {
	if (blob.length < MAGIC.length + NONCE_BYTES + 16 || MAGIC.some((byte, i) => blob[i] !== byte)) {
		throw new SessionInfoError('malformed', 'the session info on the relay is not in a format this version understands');
	}
	const nonce = blob.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
	let plain: Uint8Array;
	try {
		plain = xchacha20poly1305(infoKey(key, session), nonce).decrypt(blob.subarray(MAGIC.length + NONCE_BYTES));
	} catch {
		throw new SessionInfoError('wrong-key', "the key does not open this session's program and settings");
	}
	if (pinned && !bytesEqual(digestOfPlaintext(plain), pinned)) {
		throw new SessionInfoError(
			'changed',
			"the session's program and settings on the relay are not the ones this link was made with: someone who holds the key published them again (the relay had forgotten the session, or replaced them)"
		);
	}
	return parseInfo(JSON.parse(new TextDecoder().decode(plain)) as unknown);
}

/** The session's info from the relay, opened with the key (and checked against a link's pin); undefined when the session has none. */
export async function readSessionInfo(relay: RelayClient, session: string, key: Uint8Array, pinned?: Uint8Array): Promise<SessionInfo | undefined> {
	const blob = await relay.getInfo(session);
	return blob && openSessionInfo(blob, key, session, pinned);
}

/** Stores the session's info sealed with the key; false when the session has (other) info already. */
export function publishSessionInfo(relay: RelayClient, session: string, key: Uint8Array, info: SessionInfo): Promise<boolean> {
	return relay.putInfo(session, sealSessionInfo(info, key, session));
}

function isConsts(value: unknown): value is ConstInputs {
	return (
		typeof value === 'object' &&
		value !== null &&
		Object.values(value).every((names) => typeof names === 'object' && names !== null && Object.values(names).every((v) => typeof v === 'string' || typeof v === 'number'))
	);
}

/** One distinct Ed25519 public key (hex) per party. */
function isSlotKeys(value: unknown, parties: number): value is string[] {
	return Array.isArray(value) && value.length === parties && value.every((key) => typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)) && new Set(value).size === parties;
}

/** Checks the shape of decrypted info: it was sealed by someone holding the key, but maybe another version. */
function parseInfo(value: unknown): SessionInfo {
	const info = value as Partial<SessionInfo> & { format?: unknown };
	const valid =
		typeof info === 'object' &&
		info !== null &&
		info.format === FORMAT &&
		(info.program === undefined || typeof info.program === 'string') &&
		(info.preprocessing === 'ot' || info.preprocessing === 'dealer') &&
		(info.preprocessing === 'dealer') === (typeof info.dealer === 'string' && /^[0-9a-f]{64}$/.test(info.dealer)) &&
		Number.isInteger(info.parties) &&
		info.parties! >= 2 &&
		info.parties! < 255 &&
		(info.slotKeys === undefined || isSlotKeys(info.slotKeys, info.parties!)) &&
		(info.consts === undefined || isConsts(info.consts)) &&
		(info.title === undefined || typeof info.title === 'string') &&
		(info.sampleInputs === undefined || (Array.isArray(info.sampleInputs) && info.sampleInputs.every((s) => typeof s === 'string'))) &&
		(info.sampleConsts === undefined || isConsts(info.sampleConsts));
	if (!valid) throw new SessionInfoError('malformed', 'the session info on the relay is not in a format this version understands');
	return {
		...(info.program !== undefined ? { program: info.program } : {}),
		preprocessing: info.preprocessing!,
		parties: info.parties!,
		...(info.dealer ? { dealer: info.dealer } : {}),
		...(info.slotKeys ? { slotKeys: info.slotKeys } : {}),
		...(info.consts ? { consts: info.consts } : {}),
		...(info.title ? { title: info.title } : {}),
		...(info.sampleInputs ? { sampleInputs: info.sampleInputs } : {}),
		...(info.sampleConsts ? { sampleConsts: info.sampleConsts } : {})
	};
}
