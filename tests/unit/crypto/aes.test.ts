import { ctr, ecb } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { encryptBlocks, expandKey, sbox } from '../../../src/lib/crypto/aes';
import { FIXED_KEY, tableCipher, type BlockCipher } from '../../../src/lib/crypto/backend';
import { asBytes, asWords, randomBlocks, randomFill } from '../../../src/lib/crypto/block';
import { createAesNiCipher } from '../../../src/node/aesni';
import { wasmKernels } from '../../helpers/kernels';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function encryptOne(key: Uint8Array, block: Uint8Array): Uint8Array {
	const out = new Uint32Array(4);
	encryptBlocks(expandKey(asWords(key)), asWords(block), 0, out, 0, 1);
	return asBytes(out);
}

describe('AES-128 (T-table)', () => {
	it('matches the FIPS-197 S-box', () => {
		expect([sbox(0x00), sbox(0x01), sbox(0x53), sbox(0xff)]).toEqual([0x63, 0x7c, 0xed, 0x16]);
		expect(new Set(Array.from({ length: 256 }, (_, x) => sbox(x))).size).toBe(256);
	});

	it('expands the FIPS-197 Appendix A.1 key', () => {
		const rk = expandKey(asWords(hex('2b7e151628aed2a6abf7158809cf4f3c')));
		const word = (i: number) => toHex(asBytes(Uint32Array.of(rk[i])));
		expect(word(4)).toBe('a0fafe17');
		expect(word(43)).toBe('b6630ca6');
	});

	it('encrypts the FIPS-197 Appendix B and C.1 vectors', () => {
		expect(toHex(encryptOne(hex('2b7e151628aed2a6abf7158809cf4f3c'), hex('3243f6a8885a308d313198a2e0370734')))).toBe('3925841d02dc09fbdc118597196a0b32');
		expect(toHex(encryptOne(hex('000102030405060708090a0b0c0d0e0f'), hex('00112233445566778899aabbccddeeff')))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
	});

	it('agrees with @noble/ciphers on random keys and batches, in place and not', () => {
		for (let trial = 0; trial < 20; trial++) {
			const key = randomFill(new Uint8Array(16));
			const count = 1 + trial * 7;
			const blocks = randomBlocks(count);
			const reference = ecb(key, { disablePadding: true }).encrypt(asBytes(blocks));
			const out = new Uint32Array(4 * count);
			encryptBlocks(expandKey(asWords(key)), blocks, 0, out, 0, count);
			expect(toHex(asBytes(out))).toBe(toHex(reference));
			encryptBlocks(expandKey(asWords(key)), blocks, 0, blocks, 0, count);
			expect(toHex(asBytes(blocks))).toBe(toHex(reference));
		}
	});
});

describe.each([
	['t-table', tableCipher],
	['aes-ni (node:crypto)', createAesNiCipher()],
	['wasm-simd (bitsliced)', (await wasmKernels()).cipher]
] as [string, BlockCipher][])('block cipher backend %s', (_name, cipher) => {
	it('computes the fixed-key permutation like @noble/ciphers, for small and large batches at offsets', () => {
		for (const count of [1, 3, 15, 16, 17, 200]) {
			const input = randomBlocks(count + 2);
			const reference = ecb(asBytes(FIXED_KEY), { disablePadding: true }).encrypt(asBytes(input).subarray(16, 16 * (count + 1)));
			const output = new Uint32Array(4 * (count + 3));
			cipher.encryptFixed(input, 4, output, 8, count);
			expect(toHex(asBytes(output).subarray(32, 32 + 16 * count))).toBe(toHex(reference));
		}
	});

	it('produces the AES-128-CTR keystream of @noble/ciphers across several fills', () => {
		const key = randomBlocks(1);
		const stream = cipher.keystream(key);
		// The last fill is longer than one call into node:crypto makes (aes-ni works in chunks).
		const out = new Uint32Array(4 * 9300);
		stream.fill(out, 0, 1);
		stream.fill(out, 4, 30);
		stream.fill(out, 124, 269);
		stream.fill(out, 1200, 9000);
		const reference = ctr(asBytes(key), new Uint8Array(16)).encrypt(new Uint8Array(16 * 9300));
		expect(toHex(asBytes(out))).toBe(toHex(reference));
	});
});
