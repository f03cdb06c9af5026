/** Ed25519 signatures in hex, as the handshake's messages carry them (the dealer grant, run identities). */
import { curve25519Kernel, verifySignature } from '../crypto/curve25519';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export function signHex(secret: Uint8Array, message: Uint8Array): string {
	return bytesToHex(curve25519Kernel().sign(secret, message));
}

/** Strict RFC 8032 verification (no small-order keys): true if `signature` is the holder's of `publicKey`. */
export function verifyHex(publicKey: string, message: Uint8Array, signature: string): boolean {
	try {
		return verifySignature(hexToBytes(publicKey), message, hexToBytes(signature));
	} catch {
		return false;
	}
}
