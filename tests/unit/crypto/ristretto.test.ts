/**
 * The ristretto255 kernels of the base OTs (src/lib/crypto/ristretto.ts), JavaScript and
 * WebAssembly, byte for byte against @noble/curves: scalar multiplications with edge scalars,
 * the receiver's and the sender's work, and the encodings they refuse.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RistrettoKernel } from '../../../src/lib/crypto/ristretto';
import { jsRistretto } from '../../../src/lib/crypto/ristretto-js';
import type { WasmKernels } from '../../../src/lib/crypto/wasm-kernels';
import { wasmKernels } from '../../helpers/kernels';
import { nobleRistretto } from './noble-ristretto';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

let kernels: WasmKernels;
beforeAll(async () => {
	kernels = await wasmKernels();
});

describe.each(['js', 'wasm-simd'] as const)('the %s ristretto255 kernel', { timeout: 60_000 }, (name) => {
	const ORDER = ristretto255.Point.Fn.ORDER;
	const scalar = (x: bigint) => numberToBytesLE(x, 32);
	const randomScalar = () => scalar((bytesToNumberLE(crypto.getRandomValues(new Uint8Array(64))) % (ORDER - 1n)) + 1n);
	const randomPoint = () => ristretto255.Point.BASE.multiply(bytesToNumberLE(randomScalar())).toBytes();
	const both = (): [RistrettoKernel, RistrettoKernel] => [nobleRistretto, name === 'js' ? jsRistretto : kernels.ristretto];

	it('multiplies the generator and other points as @noble/curves does, edge scalars included', () => {
		const [noble, kernel] = both();
		// (0 gives the identity, whose encoding is all zeros; @noble/curves refuses it as a scalar.)
		expect(toHex(kernel.baseMul(scalar(0n)))).toBe('00'.repeat(32));
		// Signed digits: every nibble 15 (each digit −1, carrying up), every nibble 8 (−8, and the carry makes 9 a −7), a lone 8 below the top digit.
		const edges = [2n ** 252n - 1n, BigInt(`0x08${'88'.repeat(31)}`), 2n ** 251n];
		const scalars = [scalar(1n), scalar(2n), scalar(ORDER - 1n), ...edges.map(scalar), ...Array.from({ length: 20 }, randomScalar)];
		for (const k of scalars) {
			expect(toHex(kernel.baseMul(k))).toBe(toHex(noble.baseMul(k)));
			const p = randomPoint();
			expect(toHex(kernel.mul(k, p))).toBe(toHex(noble.mul(k, p)));
		}
	});

	it('computes the base-OT receiver’s and sender’s points byte for byte as @noble/curves does', () => {
		const [noble, kernel] = both();
		const count = 40;
		const c = randomPoint();
		const allScalars = new Uint8Array(32 * count);
		for (let i = 0; i < count; i++) allScalars.set(randomScalar(), 32 * i);
		const choices = Uint8Array.from({ length: count }, () => (Math.random() < 0.5 ? 1 : 0));
		const offer = noble.offer(c, allScalars, choices);
		expect(toHex(kernel.offer(c, allScalars, choices))).toBe(toHex(offer));
		const b = randomPoint();
		expect(toHex(kernel.chosen(b, allScalars))).toBe(toHex(noble.chosen(b, allScalars)));
		const y = randomScalar();
		const yc = noble.mul(y, c);
		const sent = kernel.send(y, yc, offer, count);
		const want = noble.send(y, yc, offer, count);
		if ('invalid' in sent || 'invalid' in want) throw new Error('valid points were refused');
		expect(toHex(sent.keys0)).toBe(toHex(want.keys0));
		expect(toHex(sent.keys1)).toBe(toHex(want.keys1));
	});

	it('refuses exactly the encodings @noble/curves refuses (non-canonical, negative, not on the curve), at their index', () => {
		const [noble, kernel] = both();
		const y = randomScalar();
		const ys = noble.mul(y, noble.baseMul(y));
		let refused = 0;
		for (let trial = 0; trial < 300; trial++) {
			const candidate = crypto.getRandomValues(new Uint8Array(32));
			// Mostly even and below 2^255, so that the curve equation decides, not the first byte's or the last byte's bit.
			if (trial % 3 !== 0) candidate[0] &= 0xfe;
			if (trial % 3 !== 1) candidate[31] &= 0x7f;
			const points = new Uint8Array(3 * 32);
			points.set(randomPoint(), 0);
			points.set(candidate, 32);
			points.set(randomPoint(), 64);
			const expected = noble.send(y, ys, points, 3);
			const actual = kernel.send(y, ys, points, 3);
			expect('invalid' in actual ? actual.invalid : -1).toBe('invalid' in expected ? expected.invalid : -1);
			if ('invalid' in expected) refused++;
			else if (!('invalid' in actual)) expect(toHex(actual.keys0)).toBe(toHex(expected.keys0));
		}
		// Both outcomes occurred, so the comparison meant something.
		expect(refused).toBeGreaterThan(50);
		expect(refused).toBeLessThan(300);
	});
});
