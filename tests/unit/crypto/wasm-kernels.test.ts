/**
 * The WebAssembly SIMD kernels against the JavaScript ones they replace (bit for bit, on
 * random inputs, sizes, strides and offsets, including sizes that take several chunks of the
 * module's buffers), and the kernel module itself against FIPS-197.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KERNELS_WASM } from '../../../scripts/build-wasm.js';
import { expandKey } from '../../../src/lib/crypto/aes';
import { FIXED_KEY, setBlockCipher, tableCipher } from '../../../src/lib/crypto/backend';
import { asBytes, asWords, randomBlocks } from '../../../src/lib/crypto/block';
import { tableHornerKernel } from '../../../src/lib/crypto/gf128';
import { hashBlocks, tweakedHash } from '../../../src/lib/crypto/hash';
import { tileTransposeKernel } from '../../../src/lib/crypto/transpose';
import { nobleAead } from '../../../src/lib/crypto/aead';
import { simdSupported, type WasmKernels } from '../../../src/lib/crypto/wasm-kernels';
import { firstDifference } from '../../helpers/arrays';
import { wasmKernels } from '../../helpers/kernels';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

let kernels: WasmKernels;
beforeAll(async () => {
	kernels = await wasmKernels();
});

it('finds WebAssembly SIMD in this Node', () => {
	expect(simdSupported()).toBe(true);
});

describe('bitsliced AES-128 (the module’s own exports)', () => {
	/** Encrypts blocks under `key` with aesBitsliceKey and aesEncrypt of a fresh instance. */
	async function encrypt(key: Uint8Array, blocks: Uint8Array): Promise<Uint8Array> {
		const { instance } = await WebAssembly.instantiate(readFileSync(KERNELS_WASM), {});
		const exports = instance.exports as unknown as {
			memory: WebAssembly.Memory;
			heapBase(): number;
			aesBitsliceKey(roundKeys: number, out: number): void;
			aesEncrypt(key: number, input: number, output: number, count: number): void;
		};
		exports.memory.grow(1);
		const base = Math.ceil(exports.heapBase() / 16) * 16;
		const [roundKeys, schedule, data] = [base, base + 256, base + 2048];
		const bytes = new Uint8Array(exports.memory.buffer);
		bytes.set(asBytes(new Uint32Array(expandKey(asWords(key)).buffer)), roundKeys);
		exports.aesBitsliceKey(roundKeys, schedule);
		bytes.set(blocks, data);
		exports.aesEncrypt(schedule, data, data, blocks.length / 16);
		return bytes.slice(data, data + blocks.length);
	}

	it('encrypts the FIPS-197 Appendix B and C.1 vectors', async () => {
		expect(toHex(await encrypt(hex('2b7e151628aed2a6abf7158809cf4f3c'), hex('3243f6a8885a308d313198a2e0370734')))).toBe('3925841d02dc09fbdc118597196a0b32');
		expect(toHex(await encrypt(hex('000102030405060708090a0b0c0d0e0f'), hex('00112233445566778899aabbccddeeff')))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
	});

	it('encrypts each of eight different blocks of a group on its own (no lane mixes with another)', async () => {
		const key = hex('000102030405060708090a0b0c0d0e0f');
		const blocks = new Uint8Array(8 * 16);
		// Block j is the C.1 plaintext with byte j flipped, except block 3 which is the vector itself.
		for (let j = 0; j < 8; j++) {
			blocks.set(hex('00112233445566778899aabbccddeeff'), 16 * j);
			if (j !== 3) blocks[16 * j + j] ^= 0xff;
		}
		const out = await encrypt(key, blocks);
		expect(toHex(out.subarray(48, 64))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
		expect(toHex(out)).toBe(toHex(ecb(key, { disablePadding: true }).encrypt(blocks)));
	});
});

describe('wasm-simd cipher', () => {
	it('computes the fixed-key permutation as the T-table does, at every size around a group of eight and beyond one buffer', () => {
		for (const count of [1, 3, 4, 5, 7, 8, 9, 16, 17, 255, 65_536 + 9]) {
			const input = randomBlocks(count + 3);
			const expected = new Uint32Array(4 * (count + 5));
			const actual = new Uint32Array(4 * (count + 5));
			tableCipher.encryptFixed(input, 8, expected, 4, count);
			kernels.cipher.encryptFixed(input, 8, actual, 4, count);
			expect(firstDifference(actual, expected)).toBe(-1);
			// In place.
			kernels.cipher.encryptFixed(input, 8, input, 8, count);
			expect(firstDifference(input.subarray(8, 8 + 4 * count), expected.subarray(4, 4 + 4 * count))).toBe(-1);
		}
	});

	it('gives interleaved keystreams the T-table’s blocks, fill after fill', () => {
		const keys = [randomBlocks(1), randomBlocks(1), FIXED_KEY];
		const table = keys.map((key) => tableCipher.keystream(key));
		const wasm = keys.map((key) => kernels.cipher.keystream(key));
		for (const count of [1, 7, 8, 9, 300, 65_536 + 3, 2]) {
			for (let s = 0; s < keys.length; s++) {
				const expected = new Uint32Array(4 * count + 4);
				const actual = new Uint32Array(4 * count + 4);
				table[s].fill(expected, 4, count);
				wasm[s].fill(actual, 4, count);
				expect(firstDifference(actual, expected)).toBe(-1);
			}
		}
	});
});

describe('wasm-simd fused hashes', () => {
	const counts = [1, 3, 7, 8, 9, 100, 65_536 + 9];

	it('hash π(x) ⊕ x as the T-table and a XOR pass do', () => {
		setBlockCipher(tableCipher);
		for (const count of counts) {
			const input = randomBlocks(count + 2);
			const expected = new Uint32Array(4 * (count + 3));
			const actual = new Uint32Array(4 * (count + 3));
			hashBlocks(input, 8, expected, 4, count);
			kernels.cipher.fused!.hashBlocks(input, 8, actual, 4, count);
			expect(firstDifference(actual, expected)).toBe(-1);
		}
	});

	it('hash π(π(x) ⊕ T) ⊕ π(x) as the T-table and XOR passes do, in place too, with tweak words that wrap and use the top bit', () => {
		setBlockCipher(tableCipher);
		for (const count of counts) {
			for (const [first, t1, t2, t3] of [
				[0, 1, 2, 3],
				[0xfffffffc, 0x80000001, 0xffffffff, 0x6273736b]
			]) {
				const input = randomBlocks(count + 2);
				const expected = new Uint32Array(4 * (count + 3));
				const actual = new Uint32Array(4 * (count + 3));
				tweakedHash(input, 8, expected, 4, count, first, t1, t2, t3);
				kernels.cipher.fused!.tweakedHash(input, 8, actual, 4, count, first, t1, t2, t3);
				expect(firstDifference(actual, expected)).toBe(-1);
				kernels.cipher.fused!.tweakedHash(input, 8, input, 8, count, first, t1, t2, t3);
				expect(firstDifference(input.subarray(8, 8 + 4 * count), expected.subarray(4, 4 + 4 * count))).toBe(-1);
			}
		}
	});
});

describe('wasm-simd GF(2^128) Horner', () => {
	it('agrees with the JavaScript tables for every count, stride and offset, and across chunks', () => {
		const h = randomBlocks(1);
		for (const [count, stride, offset] of [
			[0, 4, 0],
			[1, 4, 0],
			[2, 8, 4],
			[1000, 12, 8],
			[70_000, 4, 4],
			[30_000, 12, 0]
		]) {
			const blocks = randomBlocks(Math.ceil((count * stride + offset) / 4) + 1);
			const start = randomBlocks(1);
			const [expected, actual] = [start.slice(), start.slice()];
			tableHornerKernel.create(h, 0).horner(expected, blocks, count, stride, offset);
			kernels.horner.create(h, 0).horner(actual, blocks, count, stride, offset);
			expect(firstDifference(actual, expected)).toBe(-1);
		}
	});

	it('keeps each multiplier’s tables apart when more multipliers are in use than the module keeps tables for', () => {
		const elements = randomBlocks(7);
		const js = Array.from({ length: 7 }, (_, i) => tableHornerKernel.create(elements, 4 * i));
		const wasm = Array.from({ length: 7 }, (_, i) => kernels.horner.create(elements, 4 * i));
		const [expected, actual] = [new Uint32Array(4), new Uint32Array(4)];
		for (let round = 0; round < 3; round++) {
			for (const i of [0, 3, 6, 1, 5, 2, 4, 0, 6]) {
				const blocks = randomBlocks(5);
				js[i].horner(expected, blocks, 5, 4, 0);
				wasm[i].horner(actual, blocks, 5, 4, 0);
				expect(firstDifference(actual, expected)).toBe(-1);
			}
		}
	});
});

describe('wasm-simd transposition', () => {
	it('agrees with the JavaScript tiles for packed and interleaved rows, and across chunks', () => {
		for (const [rows, stride, offset] of [
			[32, 4, 0],
			[128, 4, 0],
			[384, 12, 4],
			[65_536 + 128, 4, 0],
			[3 * 4096, 12, 8]
		]) {
			const columns = randomBlocks(rows);
			const expected = randomBlocks(Math.ceil(((rows - 1) * stride + offset + 4) / 4));
			const actual = expected.slice();
			tileTransposeKernel.transposeColumns(columns, rows, expected, stride, offset);
			kernels.transpose.transposeColumns(columns, rows, actual, stride, offset);
			expect(firstDifference(actual, expected)).toBe(-1);
		}
	});

	it('puts bit r of column c at bit c of row r', () => {
		const rows = 256;
		const columns = randomBlocks(rows);
		const out = new Uint32Array(4 * rows);
		kernels.transpose.transposeColumns(columns, rows, out, 4, 0);
		const bit = (words: Uint32Array, i: number) => (words[i >>> 5] >>> (i & 31)) & 1;
		for (let r = 0; r < rows; r++) for (let c = 0; c < 128; c++) expect(bit(out, 128 * r + c)).toBe(bit(columns, c * rows + r));
	});
});

describe('wasm-simd ChaCha20-Poly1305', { timeout: 60_000 }, () => {
	it('seals the RFC 8439 §2.8.2 example as the RFC does, but for its associated data, as @noble/ciphers does', () => {
		const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
		const nonce = hex('070000004041424344454647');
		const plaintext = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
		const sealed = kernels.aead.seal(key, nonce, plaintext);
		// The RFC's ciphertext does not depend on the associated data; its tag does.
		expect(toHex(sealed.subarray(0, 16))).toBe('d31a8d34648e60db7b86afbc53ef7ec2');
		expect(toHex(sealed)).toBe(toHex(nobleAead.seal(key, nonce, plaintext)));
	});

	// Two megabyte-sized messages through two implementations: seconds on a loaded 2-core machine.
	it('seals and opens as @noble/ciphers does at every length around blocks, keystream groups and chunks', () => {
		const key = crypto.getRandomValues(new Uint8Array(32));
		for (const length of [0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1000, (1 << 20) - 1, (1 << 20) + 300]) {
			const nonce = crypto.getRandomValues(new Uint8Array(12));
			const plaintext = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
			const sealed = kernels.aead.seal(key, nonce, plaintext);
			expect(firstDifference(sealed, nobleAead.seal(key, nonce, plaintext))).toBe(-1);
			expect(firstDifference(kernels.aead.open(key, nonce, sealed), plaintext)).toBe(-1);
		}
	}, 60_000);

	it('refuses a sealed message whose ciphertext, tag or nonce changed, as @noble/ciphers does', () => {
		const key = crypto.getRandomValues(new Uint8Array(32));
		const nonce = crypto.getRandomValues(new Uint8Array(12));
		const sealed = kernels.aead.seal(key, nonce, new Uint8Array(100).fill(7));
		for (const at of [0, 50, 99, 100, 115]) {
			const altered = sealed.slice();
			altered[at] ^= 1;
			expect(() => kernels.aead.open(key, nonce, altered)).toThrow(/tag/);
			expect(() => nobleAead.open(key, nonce, altered)).toThrow();
		}
		const otherNonce = nonce.slice();
		otherNonce[11] ^= 1;
		expect(() => kernels.aead.open(key, otherNonce, sealed)).toThrow(/tag/);
		expect(() => kernels.aead.open(key, nonce, sealed.subarray(0, 15))).toThrow(/shorter than a tag/);
	});
});
