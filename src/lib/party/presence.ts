import { sleep } from '../channel/relay-client';

/** How long a look may wait for the participant list to change (a long poll where the relay offers it). */
export const PARTICIPANTS_WAIT_MS = 25_000;
/** Pause after a look that failed or answered at once with nothing new, before looking again. */
const RETRY_LOOK_MS = 500;

/**
 * One look at a session's participants. With `known`, it may wait up to `waitMs` for a list
 * that differs (or answer at once); undefined when the look failed and should be retried.
 */
export type LookAtParticipants = (known: readonly number[] | undefined, waitMs: number) => Promise<readonly number[] | undefined>;

export interface FollowOptions {
	/** A list already known (checked first, without a look). */
	initial?: readonly number[];
	/** Date.now() time after which no further look starts. */
	deadline?: number;
	/** The longest wait of one look. */
	waitMs?: number;
	signal?: AbortSignal;
}

/**
 * Hands every participant list that differs from the one before to `onList`, looking again and
 * again, until `onList` returns true (resolves true), the deadline passes or `signal` aborts
 * (resolves false). A look that failed or answered at once with nothing new (a relay without
 * long polls) is followed by a pause, never by a busy loop.
 */
export async function followParticipants(look: LookAtParticipants, onList: (listed: readonly number[]) => boolean, options: FollowOptions = {}): Promise<boolean> {
	const { deadline = Infinity, signal } = options;
	let known = options.initial;
	if (known && onList(known)) return true;
	do {
		const waitMs = Math.max(0, Math.min(options.waitMs ?? PARTICIPANTS_WAIT_MS, deadline - Date.now()));
		const asked = Date.now();
		const listed = await look(known, waitMs);
		if (signal?.aborted) return false;
		if (listed !== undefined && listed.join() !== known?.join()) {
			known = listed;
			if (onList(listed)) return true;
		} else if (listed === undefined || Date.now() - asked < waitMs / 2) {
			const left = Math.max(0, deadline - Date.now());
			await sleep(Math.min(RETRY_LOOK_MS, left), signal).catch(() => {});
			// A pause that ran to the deadline ends the wait: a timer may fire a millisecond before
			// Date.now() reaches it, which would otherwise cost a look past its time.
			if (left <= RETRY_LOOK_MS) return false;
		}
	} while (Date.now() < deadline && !signal?.aborted);
	return false;
}
