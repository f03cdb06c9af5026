import type { IncomingMessage } from 'node:http';
import type { RequestEvent } from '@sveltejs/kit';
import { RelayError } from './errors';
import { getRelay } from './instance';
import type { Relay } from './relay';

/** Header on the 400 of an empty queue, so that our clients tell "nothing yet" from a bad request. */
export const EMPTY_HEADER = 'X-Relay-Empty';
/** Header on the participant list: this relay checks slot tokens and clears a slot's queue when it is claimed. */
export const SLOT_TOKENS_HEADER = 'X-Relay-Slot-Tokens';
/** Header on the participant list: this relay has the mailbox endpoint, in this version of its body format. */
export const EXCHANGE_HEADER = 'X-Relay-Exchange';
/** Header on the participant list: the largest request body (and mailbox answer) this relay takes. */
export const MAX_BYTES_HEADER = 'X-Relay-Max-Bytes';
/** Header on the participant list: this relay's mailbox holds an exchange's frames `?until=` the parties it names are there. */
export const HOLD_HEADER = 'X-Relay-Hold';
/** Header on a slot refusal: why, as one word (`token-missing`, `token-wrong`, `slot-unclaimed`, `slot-taken`). */
export const REFUSAL_HEADER = 'X-Relay-Refusal';

export function text(status: number, message: string, headers: Record<string, string> = {}): Response {
	return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

export function ok(): Response {
	return new Response(null, { status: 200 });
}

/** Bytes answered as the parts they are in, in order (the mailbox's answer: encodeAnswerParts). */
export function bytes(...parts: Uint8Array[]): Response {
	// A stream of the parts rather than one array: a Response made from bytes copies them
	// (undici), and a copy of a large answer costs page faults in fresh memory. Nothing
	// changes the parts once they are answered.
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			for (const part of parts) if (part.length > 0) controller.enqueue(part);
			controller.close();
		}
	});
	const length = parts.reduce((sum, part) => sum + part.length, 0);
	return new Response(stream, { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) } });
}

/** The answer to a receive that found nothing: a 400 as the original relay, marked as "empty". */
export function empty(): Response {
	return text(400, 'no message queued', { [EMPTY_HEADER]: '1' });
}

/** Runs a route's work against the relay, turning refusals into short text answers. */
export async function relayRoute(work: (relay: Relay) => Promise<Response>): Promise<Response> {
	try {
		const relay = getRelay();
		if (relay.closed) return text(503, 'relay is shutting down');
		return await work(relay);
	} catch (error) {
		if (error instanceof RelayError) return text(error.status, error.message, error.reason ? { [REFUSAL_HEADER]: error.reason } : {});
		console.error('polytune relay: internal error:', error);
		return text(500, 'internal relay error');
	}
}

/**
 * A signal that aborts when the client goes away, for a route that has read the request's body,
 * and `release` to call once the route is done with it. SvelteKit aborts `request.signal` only
 * while the body has not been read to its end: a long poll that read its body (the mailbox)
 * would wait out its whole wait for a client long gone. Under adapter-node the connection's
 * close tells it; elsewhere (vite dev) `request.signal` is all there is.
 */
export function clientSignal(event: RequestEvent): { signal: AbortSignal; release: () => void } {
	const socket = nodeRequest(event)?.socket;
	if (!socket) return { signal: event.request.signal, release: () => {} };
	const closed = new AbortController();
	const abort = () => closed.abort();
	if (socket.destroyed) abort();
	else socket.once('close', abort);
	return { signal: closed.signal, release: () => socket.off('close', abort) };
}

/** The Node request behind a SvelteKit request, where adapter-node provides it. */
export function nodeRequest(event: RequestEvent): IncomingMessage | undefined {
	return (event.platform as { req?: IncomingMessage } | undefined)?.req;
}
