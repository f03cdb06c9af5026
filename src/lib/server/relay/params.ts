import { RelayError } from './errors';
import type { QueueRef } from './store';

/** Party index of the trusted dealer; parties are 0–255. */
const MAX_PARTY = 255;
const SESSION_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Quotes a client's value in an error message, cut short so that a message stays small. */
function quote(value: string): string {
	return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function parseSession(value: string): string {
	if (!SESSION_NAME.test(value)) {
		throw new RelayError('bad-request', `bad session name ${quote(value)}: use 1 to 128 of the characters A-Z a-z 0-9 _ . -`);
	}
	return value;
}

/** `field` names the path segment (`party`, `from` or `to`) in the error. */
export function parseParty(value: string, field: string): number {
	if (!/^\d{1,3}$/.test(value) || Number(value) > MAX_PARTY) {
		throw new RelayError('bad-request', `bad ${field} party ${quote(value)}: must be a whole number from 0 to ${MAX_PARTY} (255 is the dealer)`);
	}
	return Number(value);
}

export function parseQueue(params: { session: string; from: string; to: string }): QueueRef {
	const queue = { session: parseSession(params.session), from: parseParty(params.from, 'from'), to: parseParty(params.to, 'to') };
	if (queue.from === queue.to) {
		throw new RelayError('bad-request', `bad from/to parties: both are ${queue.from}, a party cannot send to itself`);
	}
	return queue;
}

/** An optional whole number of milliseconds from the query string, e.g. `?wait=5000`. */
export function parseMillis(query: URLSearchParams, name: string): number | undefined {
	const value = query.get(name);
	if (value === null) return undefined;
	if (!/^\d{1,10}$/.test(value)) {
		throw new RelayError('bad-request', `bad ${name} ${quote(value)}: must be a whole number of milliseconds`);
	}
	return Number(value);
}

/** The request header that carries a slot token. */
export const TOKEN_HEADER = 'X-Relay-Token';
const TOKEN = /^[A-Za-z0-9_-]{22,128}$/;

/** The slot token of a request, or undefined when it carries none. */
export function parseToken(headers: Headers): string | undefined {
	const value = headers.get(TOKEN_HEADER);
	if (value === null) return undefined;
	if (!TOKEN.test(value)) {
		throw new RelayError('bad-request', `bad ${TOKEN_HEADER} header: use 22 to 128 of the characters A-Z a-z 0-9 _ - (16 or more random bytes in hex or base64url)`);
	}
	return value;
}
