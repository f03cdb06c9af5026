/**
 * A party's identity within one run: an Ed25519 key pair it makes for the run's first attempt.
 * Its public key goes into every hello, so the first attempt's hellos fix who every party is
 * (a party that shows different keys to different peers only muddles its own slot). When the
 * run starts again (attempts.ts), each party signs its hello of the new attempt, and the others
 * accept it only under the key the first attempt fixed: a key holder that takes another party's
 * slot in the next attempt cannot act as that party. A reloaded tab keeps its secret and the
 * others' keys (src/ui/rejoin.ts) to do the same; one that lost the others' keys does not sign,
 * and the others stop rather than run with a party they cannot check.
 *
 * With personal links, the session's creator fixes every identity before anyone joins: each
 * party's link carries its secret, and the sealed session info every party's public key
 * (`SessionInfo.slotKeys`). Every hello is then signed, from the first attempt on, so that not
 * even a holder of the session key can take a free slot before its party joins.
 */
import { curve25519Kernel, newCurveSecret } from '../crypto/curve25519';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { DealerCall } from './messages';
import { signHex, verifyHex } from './signatures';

const SIGNED_LABEL = 'polytune party hello v1';
const CALL_LABEL = 'polytune dealer call v2';

export interface RunIdentity {
	/** The Ed25519 secret key (32 bytes). */
	secret: Uint8Array;
	/** Its public key, hex, as in the hellos. */
	publicKey: string;
}

/** What a party's signature in a later attempt covers: the attempt and the fresh values of its hello there. */
export interface ContinuedHello {
	session: string;
	party: number;
	nonce: string;
	share?: string;
	ot?: string;
}

/** Bytes of an identity's secret, as a personal link carries it (`pass=`). */
export const IDENTITY_SECRET_BYTES = 32;

/** Identities for every slot of a session with personal links: the secrets go into the links, the public keys into the session info. */
export function newSlotIdentities(parties: number): { secrets: Uint8Array[]; publicKeys: string[] } {
	const secrets = Array.from({ length: parties }, newCurveSecret);
	return { secrets, publicKeys: secrets.map((secret) => bytesToHex(curve25519Kernel().signingPublicKey(secret))) };
}

/** A fresh identity's secret, hex (a tab makes it before the run, where a reload finds it). */
export function newIdentitySecret(): string {
	return bytesToHex(newCurveSecret());
}

/** The identity of `secret` (hex), by default a fresh one. */
export function runIdentity(secret: string = newIdentitySecret()): RunIdentity {
	const key = hexToBytes(secret);
	return { secret: key, publicKey: bytesToHex(curve25519Kernel().signingPublicKey(key)) };
}

export function signContinuedHello(identity: RunIdentity, hello: ContinuedHello): string {
	return signHex(identity.secret, signedBytes(hello));
}

/** What a party's signature of its call to the dealer covers: the attempt, and the whole call. */
export type SignedDealerCall = Omit<DealerCall, 'kind' | 'version' | 'signature'> & { session: string };

/**
 * A party's signature of its call to the dealer: with personal links the dealer knows every
 * party's identity (the session info it reads through its link), and takes a call only from its
 * party, so that nobody with the session key and the relay's help can put a key share of its own
 * into the call and have the dealer deal that party's material to it.
 */
export function signDealerCall(identity: RunIdentity, call: SignedDealerCall): string {
	return signHex(identity.secret, callBytes(call));
}

export function verifyDealerCall(publicKey: string, call: SignedDealerCall, signature: string): boolean {
	return verifyHex(publicKey, callBytes(call), signature);
}

function callBytes(call: SignedDealerCall): Uint8Array {
	const { session, party, parties, use, circuitHash, hello, transcript, share, request } = call;
	return new TextEncoder().encode(JSON.stringify([CALL_LABEL, session, party, parties, use, circuitHash, hello, transcript ?? null, share ?? null, request ?? null]));
}

/** True if `signature` is the holder's of `publicKey` (signatures.ts). */
export function verifyContinuedHello(publicKey: string, hello: ContinuedHello, signature: string): boolean {
	return verifyHex(publicKey, signedBytes(hello), signature);
}

function signedBytes(hello: ContinuedHello): Uint8Array {
	return new TextEncoder().encode(JSON.stringify([SIGNED_LABEL, hello.session, hello.party, hello.nonce, hello.share ?? null, hello.ot ?? null]));
}
