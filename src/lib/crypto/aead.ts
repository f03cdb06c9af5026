import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

/**
 * ChaCha20-Poly1305 (RFC 8439, no associated data) for the sealed channels. Two kernels give
 * the same bytes: @noble/ciphers in JavaScript (the default) and the WebAssembly one of
 * wasm-kernels.ts (ChaCha20 four blocks at a time in SIMD lanes, Poly1305 in 64-bit limbs).
 */
export interface AeadKernel {
	readonly name: string;
	/** The ciphertext of `plaintext` followed by its 16-byte tag, under a 32-byte key and a 12-byte nonce. */
	seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
	/** The plaintext of a sealed message; throws where the tag does not match. */
	open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array;
}

export const TAG_BYTES = 16;

/** @noble/ciphers' ChaCha20-Poly1305. */
export const nobleAead: AeadKernel = {
	name: 'noble',
	seal: (key, nonce, plaintext) => chacha20poly1305(key, nonce).encrypt(plaintext),
	open: (key, nonce, sealed) => chacha20poly1305(key, nonce).decrypt(sealed)
};

let kernel: AeadKernel = nobleAead;

/** Installs the kernel for the whole process (at start-up, before any run; see wasm-kernels.ts). */
export function setAeadKernel(next: AeadKernel): void {
	kernel = next;
}

/** The kernel in use. */
export function aeadKernel(): AeadKernel {
	return kernel;
}
