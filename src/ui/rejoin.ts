// What a tab keeps of its run so that, reloaded mid-run, it can offer to rejoin: only in this
// tab's sessionStorage (never localStorage or the URL), cleared when the run ends.
import { MAX_RESTARTS } from '$lib/party/attempts';

export interface RejoinEntry {
	party: number;
	/** The party's private input, as typed. */
	input: string;
	/** Its own constants, by name. */
	consts: Record<string, string>;
	/** The attempt the tab was in (src/lib/party/attempts.ts). */
	attempt: number;
	/** Whether it had begun that attempt (the handshake): then the run starts again in the next one. */
	started: boolean;
	/** Whether it had begun revealing the output: then it must not rejoin. */
	revealing: boolean;
	/** Its identity in the run (src/lib/party/identity.ts): its secret, and every party's once the first hellos were in. */
	identity: { secret: string; known?: string[] };
}

/** What a reloaded tab may do with its entry. */
export type RejoinOffer = { kind: 'rejoin'; entry: RejoinEntry; attempt: number } | { kind: 'refused'; entry: RejoinEntry; reason: string };

const keyOf = (session: string) => `polytune-rejoin:${session}`;

export function saveRejoin(session: string, entry: RejoinEntry): void {
	sessionStorage.setItem(keyOf(session), JSON.stringify(entry));
}

export function clearRejoin(session: string): void {
	sessionStorage.removeItem(keyOf(session));
}

/** The entry this tab left for `session` before it was reloaded, and whether it may rejoin. */
export function rejoinOffer(session: string): RejoinOffer | undefined {
	const entry = readEntry(session);
	if (!entry) return undefined;
	if (entry.revealing) {
		return { kind: 'refused', entry, reason: 'it had begun revealing the output, and a run never starts again after that (a party that saw the output could otherwise compute again with another input)' };
	}
	const attempt = entry.started ? entry.attempt + 1 : entry.attempt;
	if (attempt > MAX_RESTARTS) return { kind: 'refused', entry, reason: `the run has started again ${MAX_RESTARTS} times already, the most it may` };
	if (attempt > 0 && !entry.identity.known) {
		// src/lib/party/identity.ts: without the others' keys it could not tell them from someone who took their slots.
		return { kind: 'refused', entry, reason: 'it was reloaded before the first messages of every party had arrived, so it cannot check who the others are in the run' };
	}
	return { kind: 'rejoin', entry, attempt };
}

function readEntry(session: string): RejoinEntry | undefined {
	const text = sessionStorage.getItem(keyOf(session));
	if (!text) return undefined;
	try {
		const entry = JSON.parse(text) as RejoinEntry;
		if (Number.isInteger(entry.party) && typeof entry.input === 'string' && Number.isInteger(entry.attempt) && typeof entry.identity?.secret === 'string') return entry;
	} catch {
		// Not ours, or from another version: forget it below.
	}
	clearRejoin(session);
	return undefined;
}
