/**
 * Attempts of one run. When a participant rejoins after it left mid-run (a reloaded tab), the
 * run starts again from scratch for everyone: attempt 0 runs in the session itself, attempt
 * k ≥ 1 in a relay session of its own named after the session and k. Every attempt so starts
 * with empty mailboxes and fresh sequence numbers, and everything sealed in it is bound to its
 * name (PairSealedChannel's keys) and fresh handshake nonces (the transcript).
 *
 * WRK17 is secure with abort: an attempt aborted before any honest party sent anything of the
 * output phase told the adversary nothing it could not learn by choosing another input in the
 * ideal world, so a fresh attempt is harmless. A party that has begun the output phase never
 * restarts (RestartRefusedError); at most MAX_RESTARTS restarts follow attempt 0
 * (RestartLimitError). docs/security.md says what that gives an adversary.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { partyName } from '../channel/channel';
import { listParties } from './errors';

/** How many times a run may start again after its first attempt: attempts are numbered 0 to MAX_RESTARTS. */
export const MAX_RESTARTS = 3;
/** The relay's longest session name. */
const MAX_SESSION_NAME = 128;
/** Hex digits of the hashed stem of an attempt's name when the session's own name is too long to extend. */
const HASHED_STEM_HEX = 40;

/** Why a run started again, as every participant reports it. */
export interface Restart {
	/** The attempt that runs now (1 … MAX_RESTARTS). */
	attempt: number;
	/** The participants whose return caused it. */
	parties: number[];
	/** In words, e.g. "party 2 rejoined after its page was reloaded mid-run". */
	reason: string;
}

/** The relay session of `attempt`: the session itself for attempt 0, `${session}.r${attempt}` after (a hashed stem where that name would be too long). */
export function attemptSession(session: string, attempt: number): string {
	return attempt === 0 ? session : derivedSession(session, `.r${attempt}`);
}

/**
 * Where a participant that rejoins a run mid-way (a reloaded tab) joins before it joins the
 * attempt after, `${session}.r${attempt}.cause`: the others name the restart after whoever is
 * listed there. Whoever they find in the attempt itself may include those that followed the
 * returning one there already, when a look at it comes late (a tab's request can wait for one
 * of the browser's few connections to the relay).
 */
export function restartCauseSession(session: string, attempt: number): string {
	return derivedSession(session, `.r${attempt}.cause`);
}

/**
 * Where a participant that finished a run of `session` joins and stays, `${session}.done`: a page
 * opened later tells that the run is over, rather than letting a newcomer wait for parties that
 * had their result and left.
 */
export function finishedSession(session: string): string {
	return derivedSession(session, '.done');
}

function derivedSession(session: string, suffix: string): string {
	if (session.length + suffix.length <= MAX_SESSION_NAME) return `${session}${suffix}`;
	return `${bytesToHex(sha256(new TextEncoder().encode(session))).slice(0, HASHED_STEM_HEX)}${suffix}`;
}

/**
 * The dealer's reason for a restart where nobody says who caused it: it watches the parties
 * gather in the next attempt, and by the time it looks, those that followed the reloaded one may
 * be there too (the parties can tell: they saw who left).
 */
export const DEALER_RESTART_REASON = 'a party rejoined after its page was reloaded mid-run, and the parties started the run again';

/** The reason of a restart caused by `parties` appearing in the next attempt (only a reloaded tab rejoins a run it left). */
export function rejoinReason(parties: readonly number[]): string {
	return parties.length === 1 ? `${listParties(parties)} rejoined after its page was reloaded mid-run` : `${listParties(parties)} rejoined after their pages were reloaded mid-run`;
}

/**
 * A restart the run must refuse: this participant has begun the output phase (`revealing`), or
 * it did not know every party's identity yet (`unidentified`, identity.ts).
 */
export class RestartRefusedError extends Error {
	override name = 'RestartRefusedError';
	constructor(
		readonly party: number,
		why: string,
		because: 'revealing' | 'unidentified'
	) {
		super(
			because === 'revealing'
				? `${why}, but ${partyName(party)} had already begun revealing the output: a run never starts again once a party has sent anything of the output phase (a party that saw the output could otherwise compute again with another input)`
				: `${why}, but ${partyName(party)} had not yet had every party's first hello, which fixes who each party is in the run: it could not tell a party that rejoins from someone who took its slot, so the run does not start again`
		);
	}
}

/** The run has started again MAX_RESTARTS times already. */
export class RestartLimitError extends Error {
	override name = 'RestartLimitError';
	constructor(why: string) {
		super(`${why}, but the run has started again ${MAX_RESTARTS} times already, the most it may: start a new session`);
	}
}
