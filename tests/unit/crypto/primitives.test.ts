import { describe, expect, it } from 'vitest';
import { tableCipher } from '../../../src/lib/crypto/backend';
import { asBytes, doubleBlock, packBits, randomBlocks, unpackBits } from '../../../src/lib/crypto/block';
import { commit, verifyCommitment } from '../../../src/lib/crypto/commit';
import { gfMultiply } from '../../../src/lib/crypto/gf128';
import { hashBlocks, tweakedHash } from '../../../src/lib/crypto/hash';
import { Prg } from '../../../src/lib/crypto/prg';

describe('PRG', () => {
	it('gives the same stream for the same seed, however it is drawn', () => {
		const seed = randomBlocks(1);
		const a = new Prg(seed);
		const b = new Prg(seed);
		const whole = a.blocks(100);
		const parts = new Uint32Array(400);
		b.fillBlocks(parts, 0, 1);
		b.fillBlocks(parts, 4, 99);
		expect(parts).toEqual(whole);
		expect(new Prg(randomBlocks(1)).blocks(4)).not.toEqual(new Prg(randomBlocks(1)).blocks(4));
	});

	it('draws balanced bits and uniform integers below a bound', () => {
		const prg = Prg.random();
		const bits = prg.bits(20000);
		const ones = bits.reduce((s, b) => s + b, 0);
		expect(bits.every((b) => b === 0 || b === 1)).toBe(true);
		expect(Math.abs(ones - 10000)).toBeLessThan(500);
		const counts = new Array(6).fill(0);
		for (let i = 0; i < 6000; i++) counts[prg.below(6)]++;
		for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(200);
	});
});

describe('fixed-key hash', () => {
	it('is π(x) ⊕ x: two calls agree, different inputs differ, and it is not the identity', () => {
		const x = randomBlocks(8);
		const h1 = new Uint32Array(32);
		const h2 = new Uint32Array(32);
		hashBlocks(x, 0, h1, 0, 8);
		hashBlocks(x, 0, h2, 0, 8);
		expect(h1).toEqual(h2);
		const pi = new Uint32Array(32);
		tableCipher.encryptFixed(x, 0, pi, 0, 8);
		for (let w = 0; w < 32; w++) expect(h1[w]).toBe((pi[w] ^ x[w]) >>> 0);
		expect(new Set(Array.from({ length: 8 }, (_, i) => h1.slice(4 * i, 4 * i + 4).join())).size).toBe(8);
	});
});

describe('tweakable hash', () => {
	it('is π(π(x) ⊕ T) ⊕ π(x) with T_k = (first + k, t1, t2, t3), in place or not', () => {
		const count = 40; // more than the AES-NI backend's smallest batch
		const x = randomBlocks(count);
		const out = new Uint32Array(4 * count);
		tweakedHash(x, 0, out, 0, count, 7, 0x11, 0x22, 0x33);
		for (let k = 0; k < count; k++) {
			const inner = new Uint32Array(4);
			tableCipher.encryptFixed(x, 4 * k, inner, 0, 1);
			const outer = new Uint32Array(4);
			tableCipher.encryptFixed(Uint32Array.of(inner[0] ^ (7 + k), inner[1] ^ 0x11, inner[2] ^ 0x22, inner[3] ^ 0x33), 0, outer, 0, 1);
			expect(Array.from(out.subarray(4 * k, 4 * k + 4))).toEqual(Array.from(outer.map((w, i) => w ^ inner[i])));
		}
		const inPlace = x.slice();
		tweakedHash(inPlace, 0, inPlace, 0, count, 7, 0x11, 0x22, 0x33);
		expect(inPlace).toEqual(out);
		const otherTweak = new Uint32Array(4 * count);
		tweakedHash(x, 0, otherTweak, 0, count, 8, 0x11, 0x22, 0x33);
		expect(otherTweak.subarray(0, 4)).not.toEqual(out.subarray(0, 4));
	});
});

describe('commitments', () => {
	const binding = new TextEncoder().encode('run 1, coin, party 0');

	it('open to the committed value only', () => {
		const value = asBytes(randomBlocks(2));
		const { commitment, randomness } = commit(value, binding);
		expect(verifyCommitment(commitment, randomness, value, binding)).toBe(true);
		const other = value.slice();
		other[5] ^= 1;
		expect(verifyCommitment(commitment, randomness, other, binding)).toBe(false);
		const badRandomness = randomness.slice();
		badRandomness[0] ^= 1;
		expect(verifyCommitment(commitment, badRandomness, value, binding)).toBe(false);
		expect(commit(value, binding).commitment).not.toEqual(commitment); // hiding: fresh randomness each time
	});

	it('open only under the binding they were made with', () => {
		const value = asBytes(randomBlocks(1));
		const { commitment, randomness } = commit(value, binding);
		for (const other of ['run 1, coin, party 1', 'run 2, coin, party 0', 'run 1, coin, party 0 ']) {
			expect(verifyCommitment(commitment, randomness, value, new TextEncoder().encode(other))).toBe(false);
		}
	});
});

describe('GF(2^128)', () => {
	it('multiplies consistently with doubling, commutatively and distributively', () => {
		const [a, b, c] = [randomBlocks(1), randomBlocks(1), randomBlocks(1)];
		const x = Uint32Array.of(2, 0, 0, 0);
		const ax = new Uint32Array(4);
		const doubled = new Uint32Array(4);
		gfMultiply(a, 0, x, 0, ax, 0);
		doubleBlock(a, 0, doubled, 0);
		expect(ax).toEqual(doubled);
		const ab = new Uint32Array(4);
		const ba = new Uint32Array(4);
		gfMultiply(a, 0, b, 0, ab, 0);
		gfMultiply(b, 0, a, 0, ba, 0);
		expect(ab).toEqual(ba);
		const bc = b.map((w, i) => w ^ c[i]);
		const left = new Uint32Array(4);
		const ac = new Uint32Array(4);
		gfMultiply(a, 0, bc, 0, left, 0);
		gfMultiply(a, 0, c, 0, ac, 0);
		expect(left).toEqual(ab.map((w, i) => w ^ ac[i]));
		const one = Uint32Array.of(1, 0, 0, 0);
		const a1 = new Uint32Array(4);
		gfMultiply(a, 0, one, 0, a1, 0);
		expect(a1).toEqual(a);
	});

	it('reduces X^127 · X to X^7 + X^2 + X + 1', () => {
		const top = Uint32Array.of(0, 0, 0, 0x80000000);
		const out = new Uint32Array(4);
		doubleBlock(top, 0, out, 0);
		expect([...out]).toEqual([0x87, 0, 0, 0]);
	});
});

describe('bit packing', () => {
	it('round-trips', () => {
		const bits = Uint8Array.from({ length: 77 }, () => (Math.random() < 0.5 ? 1 : 0));
		expect(unpackBits(packBits(bits), 77)).toEqual(bits);
	});
});
