import { createCipheriv, type Cipher } from 'node:crypto';
import { FIXED_KEY, tableCipher, type BlockCipher, type Keystream } from '../lib/crypto/backend';
import { asBytes } from '../lib/crypto/block';

/** Below this many blocks one node:crypto call costs more than the T-table AES. */
const MIN_BATCH_BLOCKS = 16;

function ecbCipher(key: Uint32Array): Cipher {
	const cipher = createCipheriv('aes-128-ecb', asBytes(key), null);
	cipher.setAutoPadding(false);
	return cipher;
}

/**
 * What the keystream encrypts: at most this many bytes of zeros per call into node:crypto,
 * shared by every keystream (there is one per seed, and SoftSpokenOT makes one per GGM leaf)
 * and never written, so that it stays small and in cache.
 */
const ZEROS = new Uint8Array(64 * 1024);

class CtrKeystream implements Keystream {
	private readonly cipher: Cipher;

	constructor(key: Uint32Array) {
		this.cipher = createCipheriv('aes-128-ctr', asBytes(key), new Uint8Array(16));
	}

	fill(out: Uint32Array, offset: number, count: number): void {
		const bytes = new Uint8Array(out.buffer, out.byteOffset + offset * 4, count * 16);
		for (let done = 0; done < bytes.length; done += ZEROS.length) {
			const chunk = Math.min(ZEROS.length, bytes.length - done);
			bytes.set(this.cipher.update(ZEROS.subarray(0, chunk)), done);
		}
	}
}

/**
 * AES through node:crypto (OpenSSL, AES-NI where the CPU has it): several times faster than the
 * T-table AES on large batches, bit-identical results. Install with
 * `setBlockCipher(createAesNiCipher())` at start-up of a Node process.
 */
export function createAesNiCipher(): BlockCipher {
	const fixed = ecbCipher(FIXED_KEY);
	return {
		name: 'aes-ni',
		encryptFixed(input, inOffset, output, outOffset, count) {
			if (count < MIN_BATCH_BLOCKS) {
				tableCipher.encryptFixed(input, inOffset, output, outOffset, count);
				return;
			}
			const encrypted = fixed.update(new Uint8Array(input.buffer, input.byteOffset + inOffset * 4, count * 16));
			new Uint8Array(output.buffer, output.byteOffset + outOffset * 4, count * 16).set(encrypted);
		},
		keystream(key) {
			return new CtrKeystream(key);
		}
	};
}
