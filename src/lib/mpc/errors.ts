import { partyName } from '../channel/channel';

/**
 * A check of the protocol failed, or a peer reported that one of its checks failed: the run is
 * aborted and no output is produced. `check` names the check, `party` the party whose data
 * failed it (or, for 'peer abort', the peer that gave up).
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
