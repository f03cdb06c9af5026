import { partyName } from '$lib/channel/channel';
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

/** "party 1", "party 1 and party 2", "party 1, party 2 and the dealer (party 255)". */
export function listParties(parties: readonly number[]): string {
	const names = parties.map(partyName);
	return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
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
