// The trusted dealer's MACs (src/lib/mpc/dealer-wasm.ts lays out the memory): for party i and
// every peer j, M_j[x^i_t] = K_j[x^i_t] ⊕ x^i_t·Δ_j from every party's drawn shares. Byte
// addresses; blocks 16 bytes.

import { maskOf } from './garble';

/**
 * Party i's MACs into `out`, block t·peers + (slot of j among i's peers): party p's keys from
 * keys + p·items·peers·16 on (block t·peers + slot of the peer), its bits from bits + p·items
 * on (one byte each), its Δ at deltas + 16p.
 */
export function dealerMacs(i: u32, parties: u32, items: usize, keys: usize, bits: usize, deltas: usize, out: usize): void {
	const step = <usize>(parties - 1) * 16;
	const own = bits + <usize>i * items;
	for (let j: u32 = 0; j < parties; j++) {
		if (j == i) continue;
		const d = v128.load(deltas + 16 * <usize>j);
		const mine = out + 16 * <usize>(j < i ? j : j - 1);
		const theirs = keys + <usize>j * items * step + 16 * <usize>(i < j ? i : i - 1);
		for (let t: usize = 0; t < items; t++) {
			v128.store(mine + t * step, v128.xor(v128.load(theirs + t * step), v128.and(d, maskOf(load<u8>(own + t)))));
		}
	}
}
