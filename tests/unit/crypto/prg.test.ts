import { ctr } from '@noble/ciphers/aes.js';
import { afterEach, describe, expect, it } from 'vitest';
import { blockCipher, setBlockCipher, tableCipher, type BlockCipher } from '../../../src/lib/crypto/backend';
import { asBytes, asWords, randomBlocks } from '../../../src/lib/crypto/block';
import { Prg } from '../../../src/lib/crypto/prg';
import { createAesNiCipher } from '../../../src/node/aesni';
import { wasmKernels } from '../../helpers/kernels';
import { seeded } from '../mpc/helpers';

const original = blockCipher();
afterEach(() => setBlockCipher(original));

/** The AES-128-CTR keystream of `key` as words, from @noble/ciphers (counter block 0, 1, …). */
function keystreamWords(key: Uint32Array, words: number): Uint32Array {
	const bytes = ctr(asBytes(key), new Uint8Array(16)).encrypt(new Uint8Array(Math.ceil(words / 4) * 16));
	return asWords(bytes).subarray(0, words);
}

type Call = { kind: 'word' } | { kind: 'blocks'; count: number } | { kind: 'bits'; count: number } | { kind: 'below'; bound: number };

/** A mixed sequence of draws, long enough to cross the PRG's internal buffer several times. */
function calls(seed: number): Call[] {
	const random = seeded(seed);
	return Array.from({ length: 300 }, (): Call => {
		const r = random();
		if (r < 0.3) return { kind: 'word' };
		if (r < 0.6) return { kind: 'blocks', count: 1 + Math.floor(random() * (random() < 0.1 ? 700 : 9)) };
		if (r < 0.85) return { kind: 'bits', count: 1 + Math.floor(random() * 100) };
		return { kind: 'below', bound: 2 + Math.floor(random() * 1000) };
	});
}

/** What each call returned, as numbers. */
function draw(prg: Prg, sequence: Call[]): number[][] {
	return sequence.map((call) => {
		if (call.kind === 'word') return [prg.word()];
		if (call.kind === 'blocks') return Array.from(prg.blocks(call.count));
		if (call.kind === 'bits') return Array.from(prg.bits(call.count));
		return [prg.below(call.bound)];
	});
}

describe.each([
	['t-table', tableCipher],
	['aes-ni (node:crypto)', createAesNiCipher()],
	['wasm-simd (bitsliced)', (await wasmKernels()).cipher]
] as [string, BlockCipher][])('PRG on the %s backend', (_name, cipher) => {
	it('reads the AES-CTR keystream word by word, whatever the sequence of calls', () => {
		setBlockCipher(cipher);
		const seed = randomBlocks(1);
		const sequence = calls(7);
		const results = draw(new Prg(seed), sequence);
		// The reference: blocks and words take whole words in order; bits take a word per 32.
		const total = sequence.reduce((sum, c) => sum + (c.kind === 'blocks' ? 4 * c.count : c.kind === 'bits' ? Math.ceil(c.count / 32) : c.kind === 'below' ? 2 : 1), 0);
		const stream = keystreamWords(seed, total + 64);
		let at = 0;
		sequence.forEach((call, i) => {
			if (call.kind === 'blocks') {
				expect(results[i]).toEqual(Array.from(stream.subarray(at, at + 4 * call.count)));
				at += 4 * call.count;
			} else if (call.kind === 'word') {
				expect(results[i]).toEqual([stream[at++]]);
			} else if (call.kind === 'bits') {
				const words = stream.subarray(at, at + Math.ceil(call.count / 32));
				expect(results[i]).toEqual(Array.from({ length: call.count }, (_, b) => (words[b >> 5] >>> (b & 31)) & 1));
				at += words.length;
			} else {
				// Rejection sampling may take more than one word: follow it.
				const limit = 0x100000000 - (0x100000000 % call.bound);
				while (stream[at] >= limit) at++;
				expect(results[i]).toEqual([stream[at++] % call.bound]);
			}
		});
	});
});

describe('PRG across backends', () => {
	it('gives the T-table, AES-NI and bitsliced WebAssembly backends the same values for the same seed and calls', async () => {
		const seed = randomBlocks(1);
		const wasm = (await wasmKernels()).cipher;
		for (const sequenceSeed of [1, 2, 3]) {
			setBlockCipher(tableCipher);
			const table = draw(new Prg(seed), calls(sequenceSeed));
			setBlockCipher(createAesNiCipher());
			expect(draw(new Prg(seed), calls(sequenceSeed))).toEqual(table);
			setBlockCipher(wasm);
			expect(draw(new Prg(seed), calls(sequenceSeed))).toEqual(table);
		}
	});
});
