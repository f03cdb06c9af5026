import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { blockCipher, setBlockCipher, tableCipher } from '../../../src/lib/crypto/backend';
import { randomBlocks } from '../../../src/lib/crypto/block';
import { tweakedHash } from '../../../src/lib/crypto/hash';
import { Prg } from '../../../src/lib/crypto/prg';
import { BaseOtReceiver, choiceOffset, sendBaseOts } from '../../../src/lib/ot/base-ot';
import { OtCheckError } from '../../../src/lib/ot/errors';
import { chunksOf, expandTrees, puncturedTrees } from '../../../src/lib/ot/ggm';
import { extendedRows } from '../../../src/lib/ot/kos';
import { BaseOts, setupPairwiseOt, type OtLink } from '../../../src/lib/ot/setup';
import { CHUNK_BITS, SoftSpokenReceiver, SoftSpokenSender } from '../../../src/lib/ot/softspoken';
import { transposeColumns } from '../../../src/lib/ot/transpose';
import { createAesNiCipher } from '../../../src/node/aesni';

const bit = (words: Uint32Array, i: number) => (words[i >>> 5] >>> (i & 31)) & 1;
const randomChoices = (count: number) => Prg.random().bits(count);
const block = (words: Uint32Array, i: number) => words.subarray(4 * i, 4 * i + 4);

/** The seeds of simulated base OTs: both to the receiver, those chosen by the bits of s to the sender. */
function baseSeeds() {
	const s = randomBlocks(1);
	const seeds0 = randomBlocks(128);
	const seeds1 = randomBlocks(128);
	const chosen = new Uint32Array(512);
	for (let l = 0; l < 128; l++) chosen.set(block(bit(s, l) ? seeds1 : seeds0, l), 4 * l);
	return { s, seeds0, seeds1, chosen };
}

/** An extension sender/receiver pair with `bits` base OTs per chunk, from simulated base OTs. */
function extensionPair(bits = CHUNK_BITS) {
	const { s, seeds0, seeds1, chosen } = baseSeeds();
	return { s, receiver: new SoftSpokenReceiver(seeds0, seeds1, bits), sender: new SoftSpokenSender(s, chosen, bits) };
}

const original = blockCipher();
afterEach(() => setBlockCipher(original));

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

describe('receiver-first base OT', () => {
	it('gives the receiver exactly the key of its choice, with every sender its offer serves', () => {
		const choices = randomChoices(64);
		const receiver = new BaseOtReceiver(0, choices);
		const keysWith = (sender: number) => {
			const sent = sendBaseOts(Uint8Array.of(sender, 0), receiver.message, 0, 64, 0);
			return { sent, received: receiver.keys(Uint8Array.of(sender, 0), sent.message, sender) };
		};
		const first = keysWith(1);
		const [k0, k1] = first.sent.keys;
		for (let i = 0; i < 64; i++) {
			const chosen = (choices[i] ? k1 : k0).subarray(4 * i, 4 * i + 4);
			const other = (choices[i] ? k0 : k1).subarray(4 * i, 4 * i + 4);
			expect(first.received.subarray(4 * i, 4 * i + 4)).toEqual(chosen);
			expect(first.received.subarray(4 * i, 4 * i + 4)).not.toEqual(other);
		}
		// One offer, a second sender: its fresh y and the context keep the pairs' keys apart.
		const second = keysWith(2);
		const [j0, j1] = second.sent.keys;
		for (let i = 0; i < 64; i++) {
			expect(second.received.subarray(4 * i, 4 * i + 4)).toEqual((choices[i] ? j1 : j0).subarray(4 * i, 4 * i + 4));
			expect(second.received.subarray(4 * i, 4 * i + 4)).not.toEqual(first.received.subarray(4 * i, 4 * i + 4));
		}
	});

	it('hashes the offset C to the group per receiver (RFC 9380), and offers valid, distinct points', () => {
		expect(choiceOffset(0)).not.toEqual(choiceOffset(1));
		expect(choiceOffset(3)).toEqual(ristretto255_hasher.hashToCurve(Uint8Array.of(3, 0, 0, 0), { DST: 'polytune-web base OT v2 choice offset' }).toBytes());
		// Every offer point is a valid, distinct, non-identity point whether the choice is 0 or 1.
		const offer = new BaseOtReceiver(1, Uint8Array.from({ length: 16 }, (_, i) => i & 1)).message;
		const points = Array.from({ length: 16 }, (_, i) => bytesToHex(offer.subarray(32 * i, 32 * i + 32)));
		expect(new Set(points).size).toBe(16);
		for (const point of points) expect(() => ristretto255.Point.fromHex(point)).not.toThrow();
	});

	it('rejects invalid points and the identity, in the offer and in the answer', () => {
		const context = Uint8Array.of(0, 1);
		expect(() => sendBaseOts(context, new Uint8Array(32 * 2).fill(0xff), 1, 2, 1)).toThrow(OtCheckError);
		expect(() => sendBaseOts(context, new Uint8Array(32 * 2), 1, 2, 1)).toThrow(/identity as base OT point 0/);
		expect(() => sendBaseOts(context, new Uint8Array(32 * 2 - 1), 1, 2, 1)).toThrow(/63 bytes for 2 points/);
		const receiver = new BaseOtReceiver(0, randomChoices(4));
		expect(() => receiver.keys(context, new Uint8Array(32), 1)).toThrow(/identity as base OT key B/);
		expect(() => receiver.keys(context, new Uint8Array(32).fill(0xff), 1)).toThrow(/invalid base OT key B/);
		expect(() => receiver.keys(context, new Uint8Array(31), 1)).toThrow(/31 bytes, not 32/);
	});
});

describe('SoftSpokenOT extension', () => {
	for (const bits of [1, 2, 3, 4, 5]) {
		it(`produces correlated OTs for random choices, batch after batch in any order, and passes its check (${bits} bits per chunk)`, () => {
			const { s, receiver, sender } = extensionPair(bits);
			const counts = [1, 100, 3000];
			const choices = counts.map((count) => randomChoices(extendedRows(count)));
			// The receiver starts the batches in one order, the sender takes them in another.
			const received = [2, 0, 1].map((batch) => ({ batch, r: receiver.extend(choices[batch], counts[batch], batch) }));
			for (const batch of [0, 1, 2]) {
				const { r } = received.find((entry) => entry.batch === batch)!;
				expect(r.message.length).toBe(sender.messageBytes(counts[batch]));
				const q = sender.extend(r.message, counts[batch], batch);
				expectCorrelated(r.layout.words, q.layout.words, choices[batch], s, extendedRows(counts[batch]));
				const challenge = randomBlocks(1);
				expect(q.check(challenge, r.respond(challenge))).toBe(true);
			}
		});
	}

	it('sends 128/k bits per OT and 2(k − 1) blocks per chunk for the trees', () => {
		const rows = extendedRows(1000);
		expect(new SoftSpokenSender(randomBlocks(1), randomBlocks(128), 4).messageBytes(1000)).toBe((32 * rows) / 8 + 32 * 6 * 16);
		// 128 = 42·3 + 2: 43 chunks, the last of 2 base OTs.
		expect(new SoftSpokenSender(randomBlocks(1), randomBlocks(128), 3).messageBytes(1000)).toBe((43 * rows) / 8 + (42 * 4 + 2) * 16);
		expect(new SoftSpokenSender(randomBlocks(1), randomBlocks(128), 1).messageBytes(1000)).toBe((128 * rows) / 8);
	});

	it('gives each batch number its own OTs', () => {
		const { receiver } = extensionPair();
		const choices = randomChoices(extendedRows(100));
		expect(receiver.extend(choices, 100, 0).message).not.toEqual(receiver.extend(choices, 100, 1).message);
	});

	/** Whether the sender's check passes after `tamper` changed the receiver's message (its ℓ columns of `rows` bits first). */
	function passesAfter(tamper: (message: Uint8Array, rows: number, chunks: number) => void, batch = 0): boolean {
		const { receiver, sender } = extensionPair();
		const count = 1000;
		const rows = extendedRows(count);
		const r = receiver.extend(randomChoices(rows), count, batch);
		tamper(r.message, rows, chunksOf(128, CHUNK_BITS).length);
		const q = sender.extend(r.message, count, batch);
		const challenge = randomBlocks(1);
		return q.check(challenge, r.respond(challenge));
	}

	it('catches a receiver that uses inconsistent choice bits across the matrix', () => {
		for (let trial = 0; trial < 5; trial++) {
			// Flip one row's choice in half of the chunks only: the matrix no longer encodes one x.
			const row = 17 + trial;
			const tampered = (message: Uint8Array, rows: number, chunks: number) => {
				for (let chunk = 0; chunk < chunks / 2; chunk++) message[(chunk * rows + row) >>> 3] ^= 1 << (row & 7);
			};
			expect(passesAfter(tampered, trial)).toBe(false);
		}
	});

	it('catches a receiver that flips a choice bit in every chunk but answers with the old x̃', () => {
		const flipped = (message: Uint8Array, rows: number, chunks: number) => {
			for (let chunk = 0; chunk < chunks; chunk++) message[(chunk * rows + 3) >>> 3] ^= 1 << 3;
		};
		expect(passesAfter(flipped)).toBe(false);
	});

	it('catches a receiver that corrupts a tree’s puncturing', () => {
		// Both branches of level 1 of tree 0: whichever the sender opens, its sibling node is wrong.
		const corrupted = (message: Uint8Array, rows: number, chunks: number) => {
			const puncturing = (chunks * rows) / 8;
			message[puncturing] ^= 1;
			message[puncturing + 16] ^= 1;
		};
		expect(passesAfter(corrupted)).toBe(false);
	});

	it('catches a forged check response', () => {
		const { receiver, sender } = extensionPair();
		const r = receiver.extend(randomChoices(extendedRows(300)), 300, 0);
		const q = sender.extend(r.message, 300, 0);
		const challenge = randomBlocks(1);
		const response = r.respond(challenge);
		response[20] ^= 1;
		expect(q.check(challenge, response)).toBe(false);
	});

	it('refuses a message of the wrong length', () => {
		const { receiver, sender } = extensionPair();
		const r = receiver.extend(randomChoices(extendedRows(300)), 300, 0);
		expect(() => sender.extend(r.message.subarray(16), 300, 0)).toThrow(/300 OTs takes \d+ bytes, got/);
	});

	it('gives byte-identical messages and OTs with the T-table and AES-NI backends', () => {
		const { s, seeds0, seeds1, chosen } = baseSeeds();
		const choices = randomChoices(extendedRows(700));
		const runs = [tableCipher, createAesNiCipher()].map((cipher) => {
			setBlockCipher(cipher);
			const r = new SoftSpokenReceiver(seeds0, seeds1).extend(choices, 700, 3);
			const q = new SoftSpokenSender(s, chosen).extend(r.message, 700, 3);
			return { message: r.message, t: r.layout.words, q: q.layout.words };
		});
		expect(runs[1].message).toEqual(runs[0].message);
		expect(runs[1].t).toEqual(runs[0].t);
		expect(runs[1].q).toEqual(runs[0].q);
	});
});

describe('GGM puncturing', () => {
	/** Leaf `x` of the tree over base OTs [first, first + bits), from its definition, one node at a time. */
	function leafByDefinition(keys0: Uint32Array, keys1: Uint32Array, first: number, bits: number, x: number, batch: number): Uint32Array {
		let node = block(x & 1 ? keys1 : keys0, first).slice();
		for (let level = 1; level < bits; level++) {
			const child = new Uint32Array(4);
			const y = x & ((1 << level) - 1);
			// The tweak of child y‖β: (β·2^16 + y, batch, 'sggm', base OT of the level).
			tweakedHash(node, 0, child, 0, 1, (((x >>> level) & 1) << 16) + y, batch, 0x6d676773, first + level);
			node = child;
		}
		return node;
	}

	for (const bits of [1, 3, 4]) {
		it(`gives the receiver every leaf and the sender all but the one at ¬Δ (${bits} bits per chunk)`, () => {
			const { s, seeds0, seeds1, chosen } = baseSeeds();
			const chunks = chunksOf(128, bits);
			const batch = 9;
			const { leaves, corrections } = expandTrees(seeds0, seeds1, chunks, batch);
			const punctured = puncturedTrees(chosen, s, chunks, batch, corrections);
			for (const { first, bits: size, leafOffset } of chunks) {
				let p = 0;
				for (let j = 0; j < size; j++) p |= (bit(s, first + j) ^ 1) << j;
				for (let x = 0; x < 1 << size; x++) {
					expect(block(leaves, leafOffset + x)).toEqual(leafByDefinition(seeds0, seeds1, first, size, x, batch));
					expect(block(punctured, leafOffset + x)).toEqual(x === p ? new Uint32Array(4) : block(leaves, leafOffset + x));
				}
				// The sum of a level's nodes on each side, padded with that side's key of the level's base OT.
				for (let level = 1; level < size; level++) {
					for (const branch of [0, 1]) {
						const sum = block(branch ? seeds1 : seeds0, first + level).slice();
						for (let y = 0; y < 1 << level; y++) {
							const node = leafByDefinition(seeds0, seeds1, first, level + 1, y + (branch << level), batch);
							for (let w = 0; w < 4; w++) sum[w] ^= node[w];
						}
						const e = chunks.find((c) => c.first === first)!.correctionOffset + 2 * (level - 1) + branch;
						expect(block(corrections, e)).toEqual(sum);
					}
				}
			}
		});
	}

	it('keeps the punctured leaf from the sender: its leaves do not depend on the keys it did not choose', () => {
		const { s, seeds0, seeds1, chosen } = baseSeeds();
		const chunks = chunksOf(128, CHUNK_BITS);
		const { corrections } = expandTrees(seeds0, seeds1, chunks, 0);
		const before = puncturedTrees(chosen, s, chunks, 0, corrections);
		// Whatever the unchosen keys were, the sender computes the same leaves from what it has.
		expect(puncturedTrees(chosen.slice(), s, chunks, 0, corrections)).toEqual(before);
		expect(before.some((word) => word !== 0)).toBe(true);
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
			[await a.sender, b.receiver, deltas[0]],
			[await b.sender, a.receiver, deltas[1]]
		] as const) {
			const choices = randomChoices(extendedRows(200));
			const r = receiver.extend(choices, 200, 0);
			const q = sender.extend(r.message, 200, 0);
			expectCorrelated(r.layout.words, q.layout.words, choices, delta, 200);
		}
	});
});
