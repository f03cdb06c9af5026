import { BLOCK_WORDS } from '../crypto/block';
import type { Prg } from '../crypto/prg';

/**
 * What a party's seed from the trusted dealer gives for `items` bits (dealer.ts): its share
 * bits, and its keys for every peer's shares, block t·peers + p for bit t and peer slot p. The
 * dealer draws the same from the same seed. MACs travel in the keys' layout.
 */
export interface DrawnShares {
	bits: Uint8Array;
	keys: Uint32Array;
}

/**
 * Storage for drawn shares, reused from segment to segment (the drawn shares are dead once
 * turned into AuthBits or MACs): fresh large arrays per segment cost page faults, zeroing and GC.
 */
export class ShareStore {
	private bits = new Uint8Array(0);
	private keys = new Uint32Array(0);

	/** Room for `items` bits with their keys for `peers` peers (views of the storage, valid until the next call). */
	room(items: number, peers: number): DrawnShares {
		if (this.bits.length < items) {
			// Room for segments up to four times larger (each segment may double the last): fewer
			// fresh arrays, and the room beyond what is drawn is never touched, so never mapped.
			this.bits = new Uint8Array(4 * items);
			this.keys = new Uint32Array(4 * items * peers * BLOCK_WORDS);
		}
		return { bits: this.bits.subarray(0, items), keys: this.keys.subarray(0, items * peers * BLOCK_WORDS) };
	}
}

/** Fills `shares` (of `peers` peers) from `prg`: the bits, then the keys. */
export function drawShares(prg: Prg, shares: DrawnShares, peers: number): DrawnShares {
	prg.fillBits(shares.bits, 0, shares.bits.length);
	prg.fillBlocks(shares.keys, 0, shares.bits.length * peers);
	return shares;
}
