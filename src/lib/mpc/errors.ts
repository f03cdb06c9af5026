import { partyName } from '../channel/channel';

/**
 * A check of the protocol failed, or a peer reported that one of its checks failed: the run is
 * aborted and no output is produced. `check` names the check, `party` the party whose data
 * failed it (or, for 'peer abort', the peer that gave up), −1 where the check cannot tell which
 * of several parties it was.
 */
export class MpcAbortError extends Error {
	override name = 'MpcAbortError';
	constructor(
		readonly check: string,
		readonly party: number,
		message: string
	) {
		super(message);
	}
}

/** Throws MpcAbortError for a failed check on data from `party`. */
export function checkFailed(check: string, party: number, detail: string): never {
	throw new MpcAbortError(check, party, `${check} failed on ${partyName(party)}'s ${detail}`);
}

/**
 * A check of a label that `party` sent or garbled, which with more than one garbler also
 * carries blocks of the other garblers' rows that only the label's garbler can check (WRK17's
 * online phase identifies no cheater there): it names `party` with two parties, nobody with more.
 */
export function labelCheckFailed(check: string, party: number, parties: number, detail: string): never {
	if (parties === 2) checkFailed(check, party, detail);
	throw new MpcAbortError(check, -1, `${check} failed on ${partyName(party)}'s ${detail}, or on another garbler's rows that led to it`);
}
