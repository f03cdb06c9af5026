import { bytesToHex } from '@noble/hashes/utils.js';
import { commit, verifyCommitment } from '../crypto/commit';
import { checkFailed } from './errors';
import type { Session } from './session';

/**
 * The commitments of one purpose in a run (WRK17 uses F_com): each bound to the run, the
 * purpose and its committer (Session.binding), so that a rushing party that copies another's
 * commitment can never open it; a copy is refused as soon as it arrives.
 */
export class Commitments {
	constructor(
		private readonly session: Session,
		readonly purpose: string
	) {}

	/** Commits to `value` as this party. */
	commit(value: Uint8Array): { commitment: Uint8Array; randomness: Uint8Array } {
		return commit(value, this.session.binding(this.purpose, this.session.me));
	}

	/** Whether `peer` opened `commitment` to `value` with `randomness`. */
	opens(peer: number, commitment: Uint8Array, randomness: Uint8Array, value: Uint8Array): boolean {
		return verifyCommitment(commitment, randomness, value, this.session.binding(this.purpose, peer));
	}

	/**
	 * Refuses a commitment that repeats one of another party: `byParty[p]` lists what party p
	 * committed to in this round (this party's own included). Fresh randomness makes equal
	 * commitments of two parties impossible unless one copied the other.
	 */
	refuseCopies(byParty: readonly (readonly Uint8Array[])[], what: string): void {
		const owner = new Map<string, number>();
		for (const p of [this.session.me, ...this.session.peers]) {
			for (const commitment of byParty[p] ?? []) {
				const key = bytesToHex(commitment);
				const first = owner.get(key);
				if (first !== undefined && first !== p) {
					checkFailed('commitment check', p, `${what} commitment: it repeats party ${first}'s (a commitment is bound to whoever made it)`);
				}
				owner.set(key, p);
			}
		}
	}
}
