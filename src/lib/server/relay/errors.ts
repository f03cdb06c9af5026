import { formatBytes, variableName } from './config';

/** What went wrong, as the HTTP status the routes answer with. */
export type RelayErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'over-capacity' | 'unavailable';

const STATUS: Record<RelayErrorKind, number> = {
	'bad-request': 400,
	unauthorized: 401,
	forbidden: 403,
	'not-found': 404,
	conflict: 409,
	'too-large': 413,
	'over-capacity': 429,
	unavailable: 503
};

/**
 * A refusal the client should see as a 4xx/5xx with `message` as the text body; `reason`, where
 * set, goes in the header X-Relay-Refusal so that clients need not parse the text.
 */
export class RelayError extends Error {
	override name = 'RelayError';
	readonly status: number;

	constructor(
		readonly kind: RelayErrorKind,
		message: string,
		readonly reason?: SlotRefusal
	) {
		super(message);
		this.status = STATUS[kind];
	}
}

/** The body of a message or info blob is over its size limit. */
export function tooLarge(what: 'message' | 'info', limit: number, size?: number): RelayError {
	const setting = what === 'message' ? 'maxMessageBytes' : 'maxInfoBytes';
	const got = size === undefined ? `more than ${formatBytes(limit)}` : formatBytes(size);
	return new RelayError('too-large', `${what} too large: ${got}, the limit is ${formatBytes(limit)} (${variableName(setting)})`);
}

/** The caps that protect the relay's memory; every store refuses with the same words. */
export function sessionFull(session: string, limit: number): RelayError {
	return new RelayError(
		'over-capacity',
		`session '${session}' is full: it may hold at most ${formatBytes(limit)} of queued messages and info (${variableName('maxSessionBytes')}); receive some first`
	);
}

export function relayFull(limit: number): RelayError {
	return new RelayError(
		'over-capacity',
		`relay is full: all sessions together may hold at most ${formatBytes(limit)} (${variableName('maxTotalBytes')}); try again later`
	);
}

export function tooManySessions(limit: number): RelayError {
	return new RelayError('over-capacity', `too many sessions: the relay hosts at most ${limit} at once (${variableName('maxSessions')}); try again later`);
}

/** The store (Redis) cannot be reached; the request may be retried. */
export function storeUnavailable(detail: string): RelayError {
	return new RelayError('unavailable', `relay store unavailable: ${detail}`);
}

/**
 * Why a request may not act for a slot of a session that uses slot tokens: it carries no
 * token, another participant's, or one the slot was never joined with; or a join finds the
 * slot held by another participant.
 */
export const SLOT_REFUSALS = ['token-missing', 'token-wrong', 'slot-unclaimed', 'slot-taken'] as const;
export type SlotRefusal = (typeof SLOT_REFUSALS)[number];

/** The refusal of a slot request; every store refuses with the same words. */
export function slotRefused(reason: SlotRefusal, session: string, party: number, leaseMs: number): RelayError {
	const name = `slot ${party}${party === 255 ? ' (the dealer)' : ''}`;
	const slot = `${name} of session '${session}'`;
	switch (reason) {
		case 'token-missing':
			return new RelayError('unauthorized', `session '${session}' uses slot tokens: a request for ${name} needs the X-Relay-Token its participant joined with`, reason);
		case 'token-wrong':
			return new RelayError('forbidden', `${slot} is held by another participant: this X-Relay-Token is not the one it joined with`, reason);
		case 'slot-unclaimed':
			return new RelayError('forbidden', `${slot} has not been joined with this X-Relay-Token: join it first (PUT /join/${session}/${party})`, reason);
		case 'slot-taken':
			return new RelayError(
				'conflict',
				`${slot} is taken by another participant: it is free again once that participant leaves, or ${leaseMs / 1000} s after its last request (${variableName('slotLeaseMs')})`,
				reason
			);
	}
}
