import { DEALER_PARTY } from '$lib/channel/channel';
import { listParties } from '$lib/party/errors';
import type { RunStatus } from '../workers/api';

/** Bytes for people: `0 B`, `812 B`, `14.2 kB`, `3.08 MB` (decimal units). */
export function formatBytes(bytes: number): string {
	if (bytes < 1000) return `${bytes} B`;
	const units = ['kB', 'MB', 'GB', 'TB'];
	let value = bytes / 1000;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** Who is meant, for people: "party 1", "parties 1 and 2", "party 1 and the dealer". */
export function listParticipants(parties: readonly number[]): string {
	return listParties(parties, 'the dealer');
}

/**
 * What a party waiting for others to join reads: who is missing, and who can bring them (the
 * parties' link is the one this tab has; the dealer's page opens only from the dealer link,
 * which whoever created the session holds).
 */
export function waitingToJoin(missing: readonly number[]): string {
	const parties = missing.filter((party) => party !== DEALER_PARTY);
	const dealer = parties.length < missing.length;
	return [
		`Waiting for ${listParticipants(missing)} to join.`,
		parties.length > 0 ? `Send this session's link to ${parties.length === 1 ? 'that party' : 'those parties'}.` : '',
		dealer ? 'The dealer runs from the dealer link, which whoever created the session has: ask them to open it.' : ''
	]
		.filter(Boolean)
		.join(' ');
}

/** The text with its first letter upper-case, to start a sentence or a title. */
export function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a tab title says of a run's stage before its progress is known. */
const STAGE_TITLES: Record<RunStatus['stage'], string> = {
	joining: 'Joining',
	waiting: 'Waiting',
	handshake: 'Agreeing',
	preprocessing: 'Preparing',
	computing: 'Computing',
	done: 'Done'
};

/**
 * What a run's tab title starts with, so that a tab in the background tells how its run goes
 * in the tab strip: its stage (`Joining`, `Waiting`), `42 %` (rounded down) once the overall
 * progress is estimated, then `Result` or `Stopped`; nothing before the run.
 */
export function runTitle(status: RunStatus | undefined, ended: 'result' | 'stopped' | undefined): string | undefined {
	if (ended === 'result') return 'Result';
	if (ended === 'stopped') return 'Stopped';
	if (!status) return undefined;
	if (status.estimate && status.stage !== 'done') return `${Math.floor(status.estimate.fraction * 100)} %`;
	return STAGE_TITLES[status.stage];
}
