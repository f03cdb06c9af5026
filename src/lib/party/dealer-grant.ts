/**
 * The dealer as a role the session's creator grants: an Ed25519 key pair made when the
 * session is created. The public key goes into the sealed session info (which the relay
 * stores once), the secret only into the dealer's link. The dealer signs its hello of every
 * run with it, and parties refuse a dealer whose hello is not signed by the granted key: a
 * party link (or anyone else holding only the session key) cannot deal.
 */
import { curve25519Kernel, newCurveSecret } from '../crypto/curve25519';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { signHex, verifyHex } from './signatures';

/** Bytes of a dealer secret (an Ed25519 secret key), as in the dealer link's `dealer=`. */
export const DEALER_SECRET_BYTES = 32;
const SIGNED_LABEL = 'polytune dealer hello v1';

export interface DealerGrant {
	/** Only for the dealer: its link carries it. */
	secret: Uint8Array;
	/** For everyone: the session info carries it, as hex. */
	publicKey: Uint8Array;
}

/** What the dealer signs in every run: the run it answers and its own fresh values. */
export interface SignedDealerHello {
	session: string;
	transcript: string;
	nonce: string;
	share?: string;
}

/** A fresh grant. */
export function newDealerGrant(): DealerGrant {
	const secret = newCurveSecret();
	return { secret, publicKey: curve25519Kernel().signingPublicKey(secret) };
}

/** The public key (hex, as in the session info) that belongs to a dealer secret. */
export function dealerPublicKey(secret: Uint8Array): string {
	return bytesToHex(curve25519Kernel().signingPublicKey(secret));
}

/** What people compare: the first 8 bytes of SHA-256 of the public key, as 4 groups of hex. */
export function dealerFingerprint(publicKey: string): string {
	const hex = bytesToHex(sha256(hexToBytes(publicKey)).subarray(0, 8));
	return hex.match(/.{4}/g)!.join(' ');
}

export function signDealerHello(secret: Uint8Array, hello: SignedDealerHello): string {
	return signHex(secret, signedBytes(hello));
}

/** True if `signature` is the granted dealer's (signatures.ts). */
export function verifyDealerHello(publicKey: string, hello: SignedDealerHello, signature: string): boolean {
	return verifyHex(publicKey, signedBytes(hello), signature);
}

function signedBytes(hello: SignedDealerHello): Uint8Array {
	return new TextEncoder().encode(JSON.stringify([SIGNED_LABEL, hello.session, hello.transcript, hello.nonce, hello.share ?? null]));
}
