import { asWords, BLOCK_BYTES, randomFill } from '../crypto/block';
import { commit, OPENING_RANDOMNESS_BYTES, verifyCommitment } from '../crypto/commit';
import { checkFailed } from './errors';
import type { Session } from './session';

export const COIN_OPENING_BYTES = BLOCK_BYTES + OPENING_RANDOMNESS_BYTES;

/**
 * Multi-party coin tossing by commit-then-open: every party commits to a random block, and
 * only after all commitments are in are the blocks opened; the coin is their XOR, uniform as
 * long as one party is honest. The messages ride along with other rounds.
 */
export class CoinToss {
	private readonly coin = randomFill(new Uint8Array(BLOCK_BYTES));
	private readonly committed = commit(this.coin);
	readonly commitment: Uint8Array = this.committed.commitment;

	/** This party's opening: its block and the commitment randomness. */
	opening(): Uint8Array {
		const out = new Uint8Array(COIN_OPENING_BYTES);
		out.set(this.coin);
		out.set(this.committed.randomness, BLOCK_BYTES);
		return out;
	}

	/** Checks every peer's opening against its commitment; returns the coin (4 words). */
	result(session: Session, commitments: readonly Uint8Array[], openings: readonly Uint8Array[]): Uint32Array {
		const coin = this.coin.slice();
		for (const peer of session.peers) {
			const opening = openings[peer];
			const value = opening.subarray(0, BLOCK_BYTES);
			if (!verifyCommitment(commitments[peer], opening.subarray(BLOCK_BYTES), value)) {
				checkFailed('commitment check', peer, 'coin-tossing commitment (it does not open to the revealed coin)');
			}
			for (let i = 0; i < BLOCK_BYTES; i++) coin[i] ^= value[i];
		}
		return asWords(coin);
	}
}
