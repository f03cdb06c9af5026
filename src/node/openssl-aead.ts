import { createCipheriv, createDecipheriv } from 'node:crypto';
import { TAG_BYTES, type AeadKernel } from '../lib/crypto/aead';

/**
 * From this many bytes a message goes through OpenSSL; below, one call into node:crypto costs
 * more than the whole of the other kernel's work (seal and open, ns per byte, OpenSSL against
 * the WebAssembly kernel: 59 against 22 at 200 bytes, 3.8 against 4.3 at 4 KiB, 0.9 against
 * 3.4 from 64 KiB on).
 */
const OPENSSL_FROM_BYTES = 4096;

/**
 * ChaCha20-Poly1305 through node:crypto (OpenSSL's vectorized code), the same bytes as the
 * other kernels (RFC 8439, no associated data): the CLI's sealed channels, whose long messages
 * (preprocessing, garbled tables) it seals and opens about four times as fast as the
 * WebAssembly kernel. `short` seals and opens the short messages.
 */
export function createOpenSslAead(short: AeadKernel): AeadKernel {
	return {
		name: 'openssl',
		seal(key, nonce, plaintext) {
			if (plaintext.length < OPENSSL_FROM_BYTES) return short.seal(key, nonce, plaintext);
			const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
			const sealed = new Uint8Array(plaintext.length + TAG_BYTES);
			sealed.set(cipher.update(plaintext));
			cipher.final();
			sealed.set(cipher.getAuthTag(), plaintext.length);
			return sealed;
		},
		open(key, nonce, sealed) {
			const length = sealed.length - TAG_BYTES;
			if (length < OPENSSL_FROM_BYTES) return short.open(key, nonce, sealed);
			const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
			decipher.setAuthTag(sealed.subarray(length));
			const opened = decipher.update(sealed.subarray(0, length));
			// Throws where the tag does not match: nothing of a forged message is returned.
			decipher.final();
			// A plain Uint8Array over OpenSSL's output, not a copy: each copy of a large message
			// costs page faults in fresh memory. The output has a buffer of its own from byte 0,
			// aligned as word views of the payload need it; anything else is copied.
			return opened.byteOffset % 4 === 0 ? new Uint8Array(opened.buffer, opened.byteOffset, length) : new Uint8Array(opened);
		}
	};
}
