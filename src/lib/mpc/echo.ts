import { partyName } from '../channel/channel';
import { bytesEqual, Digest } from '../crypto/hash';
import { MpcAbortError } from './errors';
import type { Session } from './session';

const DIGEST_BYTES = 32;

/**
 * Echo broadcast with abort (Goldwasser–Lindell) for one part of a run: every value a party
 * broadcast in it is folded into a digest per sender, and every party later sends its digests
 * to every peer (on their own or appended to another message); a difference means someone
 * sent different values to different parties. Parts that run concurrently each have their own
 * echo, so that the digests do not depend on the order of their messages. With two parties
 * there is nobody to disagree with: nothing is kept or sent.
 */
export class Echo {
	private digests: Digest[];

	constructor(private readonly session: Session) {
		this.digests = this.fresh();
	}

	/** Bytes `party` sent to everyone (this party's own included). */
	note(party: number, bytes: Uint8Array): void {
		if (this.session.parties > 2) this.digests[party].update(bytes);
	}

	/** This party's digests of everything noted since the last take; empty with two parties. */
	take(): Uint8Array {
		const { parties } = this.session;
		if (parties <= 2) return new Uint8Array(0);
		const mine = new Uint8Array(parties * DIGEST_BYTES);
		this.digests.forEach((digest, p) => mine.set(digest.digest(), p * DIGEST_BYTES));
		this.digests = this.fresh();
		return mine;
	}

	/**
	 * Compares every peer's echo (`echoes[peer]`) with ours (from take). A peer whose echo
	 * differs from ours about our own broadcasts, or about its own, is the one at fault. When
	 * two echoes differ about a third party's, either that party sent different values or the
	 * peer misreports them, and no unsigned echo can tell which: the abort names nobody.
	 */
	verify(mine: Uint8Array, echoes: readonly Uint8Array[], what: string): void {
		if (mine.length === 0) return;
		const { parties, peers, me } = this.session;
		let unattributed: { peer: number; about: number } | undefined;
		for (const peer of peers) {
			for (let p = 0; p < parties; p++) {
				const theirs = echoes[peer].subarray(p * DIGEST_BYTES, (p + 1) * DIGEST_BYTES);
				if (bytesEqual(theirs, mine.subarray(p * DIGEST_BYTES, (p + 1) * DIGEST_BYTES))) continue;
				if (p === me || p === peer) {
					const whose = p === me ? 'ours' : 'its own';
					throw new MpcAbortError('broadcast consistency', peer, `broadcast consistency check failed: ${partyName(peer)}'s echo of the ${what} differs from ${partyName(me)}'s about ${whose}`);
				}
				unattributed ??= { peer, about: p };
			}
		}
		if (unattributed) {
			const { peer, about } = unattributed;
			throw new MpcAbortError(
				'broadcast consistency',
				-1,
				`broadcast consistency check failed: ${partyName(peer)} and ${partyName(me)} saw different ${what} from ${partyName(about)} (${partyName(about)} sent different values, or ${partyName(peer)} misreports them)`
			);
		}
	}

	/** A round of its own: every party sends its echo to everyone on `stream` and compares. */
	async check(what: string, stream: number): Promise<void> {
		if (this.session.parties <= 2) return;
		const mine = this.take();
		const echoes = await this.session.exchange(() => mine, () => mine.length, `${what} (broadcast check)`, stream);
		this.verify(mine, echoes, what);
	}

	/** The length of an echo appended to a message. */
	get bytes(): number {
		return this.session.parties > 2 ? this.session.parties * DIGEST_BYTES : 0;
	}

	private fresh(): Digest[] {
		return Array.from({ length: this.session.parties }, () => new Digest());
	}
}
