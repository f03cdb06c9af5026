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

function privateKey(prefix: Uint8Array, secret: Uint8Array): KeyObject {
	if (secret.length !== 32) throw new Error(`a curve25519 secret has 32 bytes, this one has ${secret.length}`);
	const der = new Uint8Array(prefix.length + 32);
	der.set(prefix);
	der.set(secret, prefix.length);
	return createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
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
		if (peerPublicKey.length !== 32) throw new Error(`an X25519 public key has 32 bytes, this one has ${peerPublicKey.length}`);
		const spki = new Uint8Array(X25519_SPKI.length + 32);
		spki.set(X25519_SPKI);
		spki.set(peerPublicKey, X25519_SPKI.length);
		// OpenSSL refuses a key of small order (an all-zero result: "failed during derivation"), as noble does.
		return new Uint8Array(
			diffieHellman({ privateKey: privateKey(X25519_PKCS8, secret), publicKey: createPublicKey({ key: Buffer.from(spki.buffer), format: 'der', type: 'spki' }) })
		);
	}
};
