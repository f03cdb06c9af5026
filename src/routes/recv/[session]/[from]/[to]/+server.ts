import { bytes, empty, relayRoute } from '$lib/server/relay/http';
import { parseMillis, parseQueue, parseToken } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/**
 * Answers the oldest message from `from` to `to`, or 400 when none is queued (the original
 * relay API); `?wait=<ms>` first waits up to that long for one to arrive. X-Relay-Token is
 * `to`'s slot token.
 */
export const POST: RequestHandler = ({ params, url, request }) =>
	relayRoute(async (relay) => {
		const queue = parseQueue(params);
		const message = await relay.recv(queue, { waitMs: parseMillis(url.searchParams, 'wait'), signal: request.signal, token: parseToken(request.headers) });
		return message ? bytes(message) : empty();
	});
