import { createPrivateKey, createPublicKey, diffieHellman, sign, type KeyObject } from 'node:crypto';
import type { Curve25519Kernel } from '../lib/crypto/curve25519';

/**
 * OpenSSL's Ed25519 and X25519 through node:crypto. Raw 32-byte keys go in and out through the
 * fixed DER wrappings of RFC 8410: a PKCS#8 prefix before a secret, an SPKI prefix before a
 * public key.
 */
const ED25519_PKCS8 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const X25519_PKCS8 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const X25519_SPKI = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);
const SPKI_PREFIX_BYTES = 12;

/** A raw 32-byte key behind its DER prefix; `what` names it in the error for another length. */
function wrapped(prefix: Uint8Array, raw: Uint8Array, what: string): Buffer {
	if (raw.length !== 32) throw new Error(`${what} has 32 bytes, this one has ${raw.length}`);
	return Buffer.concat([prefix, raw]);
}

function privateKey(prefix: Uint8Array, secret: Uint8Array): KeyObject {
	return createPrivateKey({ key: wrapped(prefix, secret, 'a curve25519 secret'), format: 'der', type: 'pkcs8' });
}

function rawPublicKey(key: KeyObject): Uint8Array {
	return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX_BYTES));
}

export const openSslCurve25519: Curve25519Kernel = {
	name: 'openssl',
	signingPublicKey: (secret) => rawPublicKey(privateKey(ED25519_PKCS8, secret)),
	sign: (secret, message) => new Uint8Array(sign(null, message, privateKey(ED25519_PKCS8, secret))),
	agreementPublicKey: (secret) => rawPublicKey(privateKey(X25519_PKCS8, secret)),
	sharedSecret(secret, peerPublicKey) {
		const publicKey = createPublicKey({ key: wrapped(X25519_SPKI, peerPublicKey, 'an X25519 public key'), format: 'der', type: 'spki' });
		// OpenSSL refuses a key of small order (an all-zero result: "failed during derivation"), as noble does.
		return new Uint8Array(diffieHellman({ privateKey: privateKey(X25519_PKCS8, secret), publicKey }));
	}
};
