import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { randomBlocks } from '../../../src/lib/crypto/block';
import { Prg } from '../../../src/lib/crypto/prg';
import { BaseOtSender, receiveBaseOts } from '../../../src/lib/ot/base-ot';
import { OtCheckError } from '../../../src/lib/ot/errors';
import { extendedRows, KosReceiver, KosSender } from '../../../src/lib/ot/kos';
import { BaseOts, setupPairwiseOt, type OtLink } from '../../../src/lib/ot/setup';
import { transposeColumns } from '../../../src/lib/ot/transpose';

const bit = (words: Uint32Array, i: number) => (words[i >>> 5] >>> (i & 31)) & 1;
const randomChoices = (count: number) => Prg.random().bits(count);

/** A KOS sender/receiver pair from simulated base OTs. */
function kosPair() {
	const s = randomBlocks(1);
	const seeds0 = randomBlocks(128);
	const seeds1 = randomBlocks(128);
	const chosen = new Uint32Array(512);
	for (let l = 0; l < 128; l++) chosen.set((bit(s, l) ? seeds1 : seeds0).subarray(4 * l, 4 * l + 4), 4 * l);
	return { s, receiver: new KosReceiver(seeds0, seeds1), sender: new KosSender(s, chosen) };
}

function expectCorrelated(t: Uint32Array, q: Uint32Array, choices: Uint8Array, s: Uint32Array, count: number) {
	for (let k = 0; k < count; k++) {
		for (let w = 0; w < 4; w++) expect((t[4 * k + w] ^ q[4 * k + w] ^ (choices[k] ? s[w] : 0)) >>> 0).toBe(0);
	}
}

describe('bit-matrix transposition', () => {
	it('turns 128 columns into rows', () => {
		for (const rows of [32, 96, 416]) {
			const W = rows / 32;
			const columns = randomBlocks((128 * W) / 4);
			const out = transposeColumns(columns, rows);
			for (let r = 0; r < rows; r++) for (let c = 0; c < 128; c++) expect(bit(out, 128 * r + c)).toBe(bit(columns, c * rows + r));
		}
	});
});

describe('Chou–Orlandi base OT', () => {
	it('gives the receiver exactly the key of its choice, and other keys to another pair with the same offer', () => {
		const context = Uint8Array.of(0, 1);
		const sender = new BaseOtSender();
		const choices = randomChoices(64);
		const received = receiveBaseOts(context, sender.message, choices, 0);
		const [k0, k1] = sender.keys(context, received.message, 64, 1);
		for (let i = 0; i < 64; i++) {
			const chosen = (choices[i] ? k1 : k0).subarray(4 * i, 4 * i + 4);
			const other = (choices[i] ? k0 : k1).subarray(4 * i, 4 * i + 4);
			expect(received.keys.subarray(4 * i, 4 * i + 4)).toEqual(chosen);
			expect(received.keys.subarray(4 * i, 4 * i + 4)).not.toEqual(other);
		}
		// One sender, one S, a second receiver: the context keeps the pairs' keys apart.
		const otherContext = Uint8Array.of(0, 2);
		const second = receiveBaseOts(otherContext, sender.message, choices, 0);
		const [j0, j1] = sender.keys(otherContext, second.message, 64, 2);
		for (let i = 0; i < 64; i++) {
			expect(second.keys.subarray(4 * i, 4 * i + 4)).toEqual((choices[i] ? j1 : j0).subarray(4 * i, 4 * i + 4));
			expect(second.keys.subarray(4 * i, 4 * i + 4)).not.toEqual(received.keys.subarray(4 * i, 4 * i + 4));
		}
	});

	it('rejects invalid points and the identity', () => {
		const context = Uint8Array.of(0, 1);
		const sender = new BaseOtSender();
		expect(() => sender.keys(context, new Uint8Array(32 * 2).fill(0xff), 2, 1)).toThrow(OtCheckError);
		expect(() => sender.keys(context, new Uint8Array(32 * 2), 2, 1)).toThrow(/identity/);
		expect(() => sender.keys(context, new Uint8Array(32 * 2 - 1), 2, 1)).toThrow(/63 bytes for 2 points/);
		expect(() => receiveBaseOts(context, new Uint8Array(32), randomChoices(4), 0)).toThrow(OtCheckError);
	});
});

describe('KOS OT extension', () => {
	it('produces correlated OTs for many random choices, batch after batch in any order, and passes its check', () => {
		const { s, receiver, sender } = kosPair();
		const counts = [1, 100, 5000];
		const choices = counts.map((count) => randomChoices(extendedRows(count)));
		// The receiver starts the batches in one order, the sender takes them in another.
		const received = [2, 0, 1].map((batch) => ({ batch, r: receiver.extend(choices[batch], counts[batch], batch) }));
		for (const batch of [0, 1, 2]) {
			const { r } = received.find((entry) => entry.batch === batch)!;
			const q = sender.extend(r.u, counts[batch], batch);
			expectCorrelated(r.layout.words, q.layout.words, choices[batch], s, counts[batch]);
			const challenge = randomBlocks(1);
			expect(q.check(challenge, r.respond(challenge))).toBe(true);
		}
	});

	it('gives each batch number its own OTs', () => {
		const { receiver } = kosPair();
		const choices = randomChoices(extendedRows(100));
		expect(receiver.extend(choices, 100, 0).u).not.toEqual(receiver.extend(choices, 100, 1).u);
	});

	it('catches a receiver that uses inconsistent columns', () => {
		const { receiver, sender } = kosPair();
		const count = 1000;
		const rows = extendedRows(count);
		for (let trial = 0; trial < 5; trial++) {
			const r = receiver.extend(randomChoices(rows), count, trial);
			// Flip one row's choice in half of the columns only: the matrix no longer encodes one x.
			const row = 17 + trial;
			for (let l = 0; l < 64; l++) r.u[(l * rows + row) >>> 3] ^= 1 << (row & 7);
			const q = sender.extend(r.u, count, trial);
			const challenge = randomBlocks(1);
			expect(q.check(challenge, r.respond(challenge))).toBe(false);
		}
	});

	it('catches a forged check response', () => {
		const { receiver, sender } = kosPair();
		const r = receiver.extend(randomChoices(extendedRows(300)), 300, 0);
		const q = sender.extend(r.u, 300, 0);
		const challenge = randomBlocks(1);
		const response = r.respond(challenge);
		response[20] ^= 1;
		expect(q.check(challenge, response)).toBe(false);
	});
});

describe('pairwise OT setup', () => {
	it('sets up both directions over a channel, with each party’s Δ as the sender’s correlation', async () => {
		const network = new MemoryNetwork();
		const link = (me: number, peer: number): OtLink => ({
			peer,
			send: (bytes) => network.channel(me).sendBytesTo(peer, bytes),
			recv: async (length) => {
				const bytes = await network.channel(me).recvBytesFrom(peer);
				expect(bytes.length).toBe(length);
				return bytes;
			}
		});
		const deltas = [randomBlocks(1), randomBlocks(1)];
		const [a, b] = await Promise.all([setupPairwiseOt(link(0, 1), new BaseOts(0, deltas[0])), setupPairwiseOt(link(1, 0), new BaseOts(1, deltas[1]))]);
		for (const [sender, receiver, delta] of [
			[a.sender, b.receiver, deltas[0]],
			[b.sender, a.receiver, deltas[1]]
		] as const) {
			const choices = randomChoices(extendedRows(200));
			const r = receiver.extend(choices, 200, 0);
			const q = sender.extend(r.u, 200, 0);
			expectCorrelated(r.layout.words, q.layout.words, choices, delta, 200);
		}
	});
});
