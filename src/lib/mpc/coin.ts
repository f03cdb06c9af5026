import { asWords, BLOCK_BYTES, randomFill } from '../crypto/block';
import { OPENING_RANDOMNESS_BYTES } from '../crypto/commit';
import { Commitments } from './commitments';
import { checkFailed } from './errors';
import type { Session } from './session';

export const COIN_OPENING_BYTES = BLOCK_BYTES + OPENING_RANDOMNESS_BYTES;

/**
 * Multi-party coin tossing by commit-then-open: every party commits to a random block, and
 * only after all commitments are in are the blocks opened; the coin is their XOR, uniform as
 * long as one party is honest. Commitments are bound to the run, purpose and committer, and a
 * copy of another party's is refused on arrival, so a rushing party can neither cancel an
 * honest contribution nor choose its own after seeing the others. The messages ride along
 * with other rounds.
 */
export class CoinToss {
	private readonly coin = randomFill(new Uint8Array(BLOCK_BYTES));
	private readonly commitments: Commitments;
	private readonly committed: { commitment: Uint8Array; randomness: Uint8Array };
	private readonly theirs: Uint8Array[] = [];

	constructor(
		private readonly session: Session,
		purpose: string
	) {
		this.commitments = new Commitments(session, `${purpose} coin`);
		this.committed = this.commitments.commit(this.coin);
	}

	get commitment(): Uint8Array {
		return this.committed.commitment;
	}

	/** Takes the peers' commitments (indexed by party) as they arrive; refuses copies at once. */
	receive(commitments: readonly Uint8Array[]): void {
		const { me, parties, peers } = this.session;
		for (const peer of peers) this.theirs[peer] = commitments[peer];
		const byParty = Array.from({ length: parties }, (_, p) => (p === me ? [this.commitment] : [commitments[p]]));
		this.commitments.refuseCopies(byParty, 'coin-tossing');
	}

	/** This party's opening: its block and the commitment randomness. */
	opening(): Uint8Array {
		const out = new Uint8Array(COIN_OPENING_BYTES);
		out.set(this.coin);
		out.set(this.committed.randomness, BLOCK_BYTES);
		return out;
	}

	/** Checks every peer's opening against its commitment; returns the coin (4 words). */
	result(openings: readonly Uint8Array[]): Uint32Array {
		const coin = this.coin.slice();
		for (const peer of this.session.peers) {
			const opening = openings[peer];
			const value = opening.subarray(0, BLOCK_BYTES);
			if (!this.commitments.opens(peer, this.theirs[peer], opening.subarray(BLOCK_BYTES), value)) {
				checkFailed('commitment check', peer, 'coin-tossing commitment (it does not open to the revealed coin)');
			}
			for (let i = 0; i < BLOCK_BYTES; i++) coin[i] ^= value[i];
		}
		return asWords(coin);
	}
}
