// The trusted dealer's MACs in both kernels: for every party i and peer j, the MAC of each of
// i's bits is K_j[x^i] ⊕ x^i·Δ_j (checked from the definition, block by block, in i's layout),
// the kernels agree bit for bit, and storage reused for a smaller segment, or grown for a
// larger one, still gives the right MACs.
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_WORDS } from '../../../src/lib/crypto/block';
import { jsDealerKernel } from '../../../src/lib/mpc/dealer-js';
import type { DealerKernel, DealerMacs } from '../../../src/lib/mpc/dealer-kernel';
import { firstDifference } from '../../helpers/arrays';
import { wasmKernels } from '../../helpers/kernels';
import { randomBits, randomWords, seeded } from './helpers';

let wasm: DealerKernel;
beforeAll(async () => {
	wasm = (await wasmKernels()).dealer;
});

/** Draws the same random shares into `dealer`'s storage and returns them (copies). */
function drawInto(dealer: DealerMacs, parties: number, items: number, seed: number): { bits: Uint8Array[]; keys: Uint32Array[] } {
	const random = seeded(seed);
	const shares = dealer.shares(parties, items);
	shares.forEach(({ bits, keys }) => {
		bits.set(randomBits(items, random));
		keys.set(randomWords(keys.length, random));
	});
	return { bits: shares.map((s) => s.bits.slice()), keys: shares.map((s) => s.keys.slice()) };
}

/** M_j[x^i] for every peer j, in i's layout, from the definition. */
function expectedMacs(i: number, drawn: { bits: Uint8Array[]; keys: Uint32Array[] }, deltas: Uint32Array[]): Uint32Array {
	const parties = deltas.length;
	const peers = parties - 1;
	const items = drawn.bits[i].length;
	const out = new Uint32Array(items * peers * BLOCK_WORDS);
	for (let j = 0; j < parties; j++) {
		if (j === i) continue;
		const slotOfJ = j < i ? j : j - 1;
		const slotOfI = i < j ? i : i - 1;
		for (let t = 0; t < items; t++) {
			for (let w = 0; w < BLOCK_WORDS; w++) {
				const key = drawn.keys[j][(t * peers + slotOfI) * BLOCK_WORDS + w];
				out[(t * peers + slotOfJ) * BLOCK_WORDS + w] = (key ^ (drawn.bits[i][t] ? deltas[j][w] : 0)) >>> 0;
			}
		}
	}
	return out;
}

describe("the trusted dealer's MACs", () => {
	for (const parties of [2, 3, 5]) {
		it(`are K_j ⊕ x·Δ_j in every party's layout, in both kernels (${parties} parties)`, () => {
			const deltas = Array.from({ length: parties }, (_, p) => randomWords(BLOCK_WORDS, seeded(70 + p)));
			const dealers = [jsDealerKernel, wasm].map((kernel) => kernel.create());
			// A large segment, then a smaller one in the same storage, then a larger one that grows it.
			for (const [items, seed] of [[3001, 1], [517, 2], [12_007, 3]]) {
				const drawn = dealers.map((dealer) => drawInto(dealer, parties, items, parties * 100 + seed));
				for (let i = 0; i < parties; i++) {
					const expected = expectedMacs(i, drawn[0], deltas);
					for (const dealer of dealers) {
						const macs = new Uint32Array(expected.length);
						dealer.macs(i, macs, deltas);
						expect(firstDifference(macs, expected)).toBe(-1);
					}
				}
			}
		});
	}
});
