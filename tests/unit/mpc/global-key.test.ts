import { describe, expect, it, vi } from 'vitest';
import type { BaseOts, OtLink } from '../../../src/lib/ot/setup';
import { attack, honestOutcomes } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * A party that uses a different global key Δ with one peer than with the others: every
 * pairwise check (KOS, MACs) holds, only Π_aShare's global key consistency check (WRK17 §3.1)
 * can tell. The deviation sits inside the cheater's own OT setup, so this test replaces
 * setupPairwiseOt for it alone.
 */
const deviation = vi.hoisted(() => ({ party: -1, peer: -1 }));

vi.mock('../../../src/lib/ot/setup', async (importOriginal) => {
	const original = await importOriginal<typeof import('../../../src/lib/ot/setup')>();
	return {
		...original,
		setupPairwiseOt: (link: OtLink, base: BaseOts) => {
			if (base.me !== deviation.party || link.peer !== deviation.peer) return original.setupPairwiseOt(link, base);
			const { delta } = base;
			return original.setupPairwiseOt(link, new original.BaseOts(base.me, Uint32Array.of(delta[0] ^ 0x20, delta[1], delta[2], delta[3])));
		}
	};
});

describe('global key consistency check', { timeout: 120_000 }, () => {
	for (const parties of [3, 5]) {
		it(`catches a party that uses another Δ with one peer (${parties} parties, coalition of ${parties - 1}, OT)`, async () => {
			deviation.party = 1;
			deviation.peer = 0;
			const circuit = sumCircuit(parties, 4);
			const inputs = Array.from({ length: parties }, (_, p) => toBits(p + 2, 4));
			const corrupted = Array.from({ length: parties - 1 }, (_, i) => i + 1);
			const result = await attack(circuit, inputs, { preprocessing: 'ot' }, corrupted, {});
			const { aborted, finished } = honestOutcomes(result);
			expect(finished).toEqual([]);
			expect(aborted.map((e) => [e.check, e.party])).toEqual([['global key consistency check', 1]]);
		});
	}
});
