// The MAC digests of openings in both kernels: a holder's digest of its MACs for a peer equals
// the peer's digest of its keys with the holder's bits (M = K ⊕ x·Δ), chunk boundaries and sets
// included, the two kernels agree bit for bit, and one changed bit or another opening changes it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthBits } from '../../../src/lib/mpc/auth';
import { jsDigestKernel } from '../../../src/lib/mpc/digest-js';
import type { DigestKernel } from '../../../src/lib/mpc/digest-kernel';
import { wasmKernels } from '../../helpers/kernels';
import { authenticatedBits, randomWords, seeded } from './helpers';

let wasm: DigestKernel;
beforeAll(async () => {
	wasm = (await wasmKernels()).digest;
});

describe('MAC digests of openings', () => {
	for (const parties of [2, 3, 5]) {
		it(`agree between holder and key owner, and between the kernels (${parties} parties)`, () => {
			const random = seeded(500 + parties);
			const deltas = Array.from({ length: parties }, () => randomWords(4, random));
			// Three sets of 2,500 bits: more than a chunk of either kernel, not a multiple of one.
			const sets = [0, 1, 2].map(() => authenticatedBits(deltas, 2500, random));
			const valuesOf = (p: number): AuthBits[] => sets.map((set) => set[p]);
			const call = 0x01000007;
			for (const [holder, owner] of [[0, parties - 1], [parties - 1, 0], [1, 0]]) {
				const held = valuesOf(holder);
				const owned = valuesOf(owner);
				const pair = holder | (owner << 8);
				const macs = { slot: held[0].peerSlot(owner), theirBits: null, pair };
				const keys = { slot: owned[0].peerSlot(holder), theirBits: held.map((v) => v.bits), pair };
				const results = [jsDigestKernel, wasm].map((kernel) => ({
					macs: kernel.macDigests(held, [macs], deltas[holder], call)[0],
					keys: kernel.macDigests(owned, [keys], deltas[owner], call)[0],
					// Several targets in one call give what each gives alone.
					both: kernel.macDigests(owned, [keys, { ...keys, pair: pair ^ 1 }], deltas[owner], call)
				}));
				const [js, fromWasm] = results;
				expect(js.macs).toEqual(js.keys);
				expect(fromWasm).toEqual(js);
				expect(js.both[0]).toEqual(js.keys);
				expect(js.both[1]).not.toEqual(js.keys);
				for (const kernel of [jsDigestKernel, wasm]) {
					const flipped = held.map((v) => v.bits.slice());
					flipped[2][2499] ^= 1;
					expect(kernel.macDigests(owned, [{ ...keys, theirBits: flipped }], deltas[owner], call)[0]).not.toEqual(js.macs);
					expect(kernel.macDigests(held, [macs], deltas[holder], call + 1)[0]).not.toEqual(js.macs);
				}
			}
		});
	}
});
