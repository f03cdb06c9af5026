/** Ed25519 signatures in hex, as the handshake's messages carry them (the dealer grant, run identities). */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export function signHex(secret: Uint8Array, message: Uint8Array): string {
	return bytesToHex(ed25519.sign(message, secret));
}

/** Strict RFC 8032 verification (no small-order keys): true if `signature` is the holder's of `publicKey`. */
export function verifyHex(publicKey: string, message: Uint8Array, signature: string): boolean {
	try {
		return ed25519.verify(hexToBytes(signature), message, hexToBytes(publicKey), { zip215: false });
	} catch {
		return false;
	}
}
