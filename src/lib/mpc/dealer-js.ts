import { BLOCK_WORDS } from '../crypto/block';
import type { DealerKernel } from './dealer-kernel';
import { ShareStore, type DrawnShares } from './share-store';

/** The dealer's MACs in JavaScript: the shares in arrays reused from segment to segment. */
export const jsDealerKernel: DealerKernel = {
	name: 'js',
	create() {
		const stores: ShareStore[] = [];
		let drawn: DrawnShares[] = [];
		return {
			shares(parties, items) {
				while (stores.length < parties) stores.push(new ShareStore());
				drawn = stores.slice(0, parties).map((store) => store.room(items, parties - 1));
				return drawn;
			},
			macs(i, macs, deltas) {
				const parties = drawn.length;
				const peers = parties - 1;
				const { bits } = drawn[i];
				const items = bits.length;
				const step = peers * BLOCK_WORDS;
				for (let j = 0; j < parties; j++) {
					if (j === i) continue;
					const [d0, d1, d2, d3] = deltas[j];
					const keys = drawn[j].keys;
					const mine = (j < i ? j : j - 1) * BLOCK_WORDS;
					const theirs = (i < j ? i : i - 1) * BLOCK_WORDS;
					for (let t = 0, m = mine, key = theirs; t < items; t++, m += step, key += step) {
						const mask = -bits[t];
						macs[m] = keys[key] ^ (d0 & mask);
						macs[m + 1] = keys[key + 1] ^ (d1 & mask);
						macs[m + 2] = keys[key + 2] ^ (d2 & mask);
						macs[m + 3] = keys[key + 3] ^ (d3 & mask);
					}
				}
			}
		};
	}
};
