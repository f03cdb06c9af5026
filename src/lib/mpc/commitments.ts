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
	 * Refuses a peer's commitment that repeats one of ours: `byParty[p]` lists what party p
	 * committed to in this round (this party's own included). Fresh randomness makes equal
	 * commitments impossible unless the peer copied ours. Two peers with equal commitments are
	 * left to the openings: only the one that made it can open it (it is bound to its maker),
	 * while blaming here would name whichever of them comes later, perhaps the honest one.
	 */
	refuseCopies(byParty: readonly (readonly Uint8Array[])[], what: string): void {
		const ours = new Set((byParty[this.session.me] ?? []).map((commitment) => bytesToHex(commitment)));
		for (const p of this.session.peers) {
			for (const commitment of byParty[p] ?? []) {
				if (ours.has(bytesToHex(commitment))) {
					checkFailed('commitment check', p, `${what} commitment: it repeats ours (a commitment is bound to whoever made it)`);
				}
			}
		}
	}
}
