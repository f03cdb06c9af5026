import { ed25519, x25519 } from '@noble/curves/ed25519.js';

/**
 * Ed25519 signatures (RFC 8032: the dealer grant, run identities) and X25519 key agreement
 * (RFC 7748: the pairs' sealing keys). The default is @noble/curves everywhere; a Node process
 * can install OpenSSL's (src/node/curve25519.ts), which a fresh process runs some 50 times
 * faster: noble's first key pair costs tens of milliseconds of cold code and precomputation at
 * every party's start. Both give the same bytes (Ed25519 signing is deterministic), so parties
 * with different kernels interoperate; verification stays with noble's strict RFC 8032 check
 * everywhere, so that every party accepts exactly the same signatures.
 */
export interface Curve25519Kernel {
	readonly name: string;
	/** The Ed25519 public key of a 32-byte secret. */
	signingPublicKey(secret: Uint8Array): Uint8Array;
	/** The Ed25519 signature (64 bytes) of `message` under the 32-byte secret. */
	sign(secret: Uint8Array, message: Uint8Array): Uint8Array;
	/** The X25519 public key of a 32-byte secret. */
	agreementPublicKey(secret: Uint8Array): Uint8Array;
	/** X25519 of the secret and a peer's public key; throws where the peer's key is not usable (an all-zero result). */
	sharedSecret(secret: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

/** Bytes of every secret and public key here. */
export const CURVE25519_KEY_BYTES = 32;

export const nobleCurve25519: Curve25519Kernel = {
	name: 'noble',
	signingPublicKey: (secret) => ed25519.getPublicKey(secret),
	sign: (secret, message) => ed25519.sign(message, secret),
	agreementPublicKey: (secret) => x25519.getPublicKey(secret),
	sharedSecret: (secret, peerPublicKey) => x25519.getSharedSecret(secret, peerPublicKey)
};

let kernel: Curve25519Kernel = nobleCurve25519;

/** Installs the kernel for the whole process (at start-up, before any protocol runs). */
export function setCurve25519Kernel(next: Curve25519Kernel): void {
	kernel = next;
}

/** The kernel in use. */
export function curve25519Kernel(): Curve25519Kernel {
	return kernel;
}

/** A fresh secret (32 random bytes: both curves derive what they need from any 32 bytes). */
export function newCurveSecret(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(CURVE25519_KEY_BYTES));
}

/** Strict RFC 8032 verification (no small-order keys): true if `signature` is the holder's of `publicKey`; false for anything malformed. */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
	try {
		return ed25519.verify(signature, message, publicKey, { zip215: false });
	} catch {
		return false;
	}
}
