import { describe, expect, it } from 'vitest';
import { nobleAead, TAG_BYTES, type AeadKernel } from '../../../src/lib/crypto/aead';
import { createOpenSslAead } from '../../../src/node/openssl-aead';

/** A kernel for short messages that counts its calls, so that the test sees which one sealed. */
function countingShort() {
	const calls = { seal: 0, open: 0 };
	const kernel: AeadKernel = {
		name: 'counted noble',
		seal: (key, nonce, plaintext) => (calls.seal++, nobleAead.seal(key, nonce, plaintext)),
		open: (key, nonce, sealed) => (calls.open++, nobleAead.open(key, nonce, sealed))
	};
	return { kernel, calls };
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe('ChaCha20-Poly1305 through OpenSSL (the CLI)', () => {
	it('seals and opens as @noble/ciphers does, long messages in OpenSSL and short ones in the other kernel', () => {
		const key = crypto.getRandomValues(new Uint8Array(32));
		for (const [length, inOpenSsl] of [
			[0, false],
			[100, false],
			[4095, false],
			[4096, true],
			[4097, true],
			[(1 << 20) + 300, true]
		] as const) {
			const { kernel: short, calls } = countingShort();
			const aead = createOpenSslAead(short);
			const nonce = crypto.getRandomValues(new Uint8Array(12));
			const plaintext = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
			const sealed = aead.seal(key, nonce, plaintext);
			expect(equal(sealed, nobleAead.seal(key, nonce, plaintext)), `length ${length}`).toBe(true);
			const opened = aead.open(key, nonce, sealed);
			expect(equal(opened, plaintext), `length ${length}`).toBe(true);
			expect(opened.byteOffset % 8).toBe(0);
			// A plain Uint8Array (OpenSSL's output without a copy), not a Buffer, whose slice() would share memory.
			expect(Object.getPrototypeOf(opened)).toBe(Uint8Array.prototype);
			expect(calls, `length ${length}`).toEqual(inOpenSsl ? { seal: 0, open: 0 } : { seal: 1, open: 1 });
		}
	});

	it('refuses a long sealed message whose ciphertext, tag or nonce changed', () => {
		const aead = createOpenSslAead(nobleAead);
		const key = crypto.getRandomValues(new Uint8Array(32));
		const nonce = crypto.getRandomValues(new Uint8Array(12));
		const sealed = aead.seal(key, nonce, new Uint8Array(10_000).fill(7));
		for (const at of [0, 5000, 9999, 10_000, 10_000 + TAG_BYTES - 1]) {
			const altered = sealed.slice();
			altered[at] ^= 1;
			expect(() => aead.open(key, nonce, altered), `byte ${at}`).toThrow();
		}
		const otherNonce = nonce.slice();
		otherNonce[0] ^= 1;
		expect(() => aead.open(key, otherNonce, sealed)).toThrow();
		expect(aead.open(key, nonce, sealed).every((byte) => byte === 7)).toBe(true);
	});
});
