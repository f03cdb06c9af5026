import { DEALER_PARTY, partyName } from '../channel/channel';

/** The options of a run are unusable (before anything is sent): the message says which and why. */
export class PartySetupError extends Error {
	override name = 'PartySetupError';
}

/** The `party` of an error that names nobody: who is wrong cannot be told (up to n − 1 parties may lie together, or the relay). */
export const NOBODY = -1;

/**
 * The parties disagree on something they must share; `check` names it (e.g. 'program',
 * 'protocol version', 'PARTY_1::ROWS'), `party` is the one that differs from us, or NOBODY.
 */
export class MismatchError extends Error {
	override name = 'MismatchError';
	constructor(
		readonly check: string,
		readonly party: number,
		message: string
	) {
		super(message);
	}
}

/** A peer's handshake message cannot be read: another version, or one side seals and the other not. */
export class HandshakeError extends Error {
	override name = 'HandshakeError';
	constructor(
		readonly party: number,
		detail: string
	) {
		super(`the handshake message from ${partyName(party)} is unreadable: ${detail}`);
	}
}

/**
 * The dealer that answered is not the one the session's creator granted: its hello carries no
 * signature ('unsigned') or one by another key ('signature'). Nothing was computed with it.
 */
export class UntrustedDealerError extends Error {
	override name = 'UntrustedDealerError';
	readonly party = DEALER_PARTY;
	constructor(
		readonly reason: 'unsigned' | 'signature',
		/** The fingerprint of the granted dealer key. */
		readonly fingerprint: string
	) {
		super(
			`the dealer that joined is not the one this session trusts: its hello ${reason === 'unsigned' ? 'carries no signature of' : 'is not signed with'} the granted dealer key (fingerprint ${fingerprint}) — only the dealer link can deal, not a party link, or the relay replaced the dealer`
		);
	}
}

/** Parties were not all there in time: `missing` were never seen, `left` were there and left before everyone was. */
export class JoinTimeoutError extends Error {
	override name = 'JoinTimeoutError';
	readonly left: readonly number[];
	constructor(
		readonly missing: readonly number[],
		readonly session: string,
		waited: string,
		/** `left`: those that were there and left; `hint`: what the wait likely means. */
		{ left = [], hint }: { left?: readonly number[]; hint?: string } = {}
	) {
		const gone = `${listParties(left)} joined session '${session}' and left before everyone was there`;
		super(
			`timed out after ${waited}: ${
				missing.length === 0 ? gone : `${listParties(missing)} ${missing.length === 1 ? 'has' : 'have'} not joined session '${session}'${left.length > 0 ? `; ${listParties(left)} joined and left` : ''}`
			}${hint ? ` (${hint})` : ''}`
		);
		this.left = left;
	}
}

/**
 * `party 2`, `parties 1 and 3`, `party 1 and the dealer (party 255)`, `parties 0, 1 and the
 * dealer (party 255)`; a page that speaks to people names the dealer without its number.
 */
export function listParties(parties: readonly number[], dealer = partyName(DEALER_PARTY)): string {
	if (parties.length === 0) return '';
	if (parties.length === 1) return parties[0] === DEALER_PARTY ? dealer : partyName(parties[0]);
	const names = parties.map((p) => (p === DEALER_PARTY ? dealer : String(p)));
	const computing = parties.filter((p) => p !== DEALER_PARTY).length;
	return `${computing === 1 ? 'party' : 'parties'} ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
