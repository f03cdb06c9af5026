import { decodeRequest, MailboxWireError, type MailFrame } from '../../channel/mailbox-wire';
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

/** `field` names the path segment or parameter (`party`, `from`, `to`, `for`, …) in the error. */
export function parseParty(value: string, field: string): number {
	if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_PARTY) {
		throw new RelayError('bad-request', `bad ${field} ${quote(value)}: must be a party number, a whole number from 0 to ${MAX_PARTY} (255 is the dealer)`);
	}
	return Number(value);
}

/** The one value of query parameter `name`, or null; a parameter given twice is refused rather than half read. */
function single(query: URLSearchParams, name: string): string | null {
	const values = query.getAll(name);
	if (values.length > 1) throw new RelayError('bad-request', `bad ${name}: given ${values.length} times, give it once (separate several values with commas)`);
	return values[0] ?? null;
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
	const value = single(query, name);
	if (value === null) return undefined;
	if (!/^\d{1,15}$/.test(value)) {
		throw new RelayError('bad-request', `bad ${name} ${quote(value)}: must be a whole number of milliseconds (at most 15 digits; a longer wait is capped anyway)`);
	}
	return Number(value);
}

/** An optional whole number from the query string, e.g. `?max=65536`; `what` says what it counts. */
export function parseCount(query: URLSearchParams, name: string, what: string): number | undefined {
	const value = single(query, name);
	if (value === null) return undefined;
	if (!/^\d{1,15}$/.test(value)) throw new RelayError('bad-request', `bad ${name} ${quote(value)}: must be a whole number of ${what}`);
	return Number(value);
}

/** An optional list of parties, e.g. `?known=0,1,255`; the empty value is the empty list. */
export function parsePartyList(query: URLSearchParams, name: string): number[] | undefined {
	const value = single(query, name);
	if (value === null) return undefined;
	return value === '' ? [] : value.split(',').map((party) => parseParty(party, `${name}`));
}

/**
 * The acknowledgements of a mailbox exchange, `?ack=FROM:SEQ,FROM:SEQ`: per sender, the
 * highest sequence number received from it without a gap.
 */
export function parseAcks(query: URLSearchParams): Map<number, number> {
	const acks = new Map<number, number>();
	const value = single(query, 'ack');
	if (value === null || value === '') return acks;
	for (const item of value.split(',')) {
		const match = /^(\d{1,3}):(\d{1,10})$/.exec(item);
		if (!match || Number(match[2]) > 0xffffffff) {
			throw new RelayError('bad-request', `bad ack ${quote(item)}: use FROM:SEQ, a party 0 to ${MAX_PARTY} and a sequence number below 2^32`);
		}
		const from = parseParty(match[1], 'ack');
		if (acks.has(from)) throw new RelayError('bad-request', `bad ack: party ${from} is acknowledged twice`);
		acks.set(from, Number(match[2]));
	}
	return acks;
}

/** The frames of a mailbox exchange body, whole or in its chunks (docs/relay.md); a malformed body is a 400 that says where. */
export function parseFrames(body: Uint8Array | readonly Uint8Array[]): MailFrame[] {
	try {
		return decodeRequest(body);
	} catch (error) {
		if (error instanceof MailboxWireError) throw new RelayError('bad-request', `bad exchange body: ${error.message}`);
		throw error;
	}
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
