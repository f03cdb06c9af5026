import { readBody } from '$lib/server/relay/body';
import { nodeRequest, ok, relayRoute } from '$lib/server/relay/http';
import { parseQueue, parseToken } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Queues the body as one message from `from` to `to` (the original relay API); X-Relay-Token is `from`'s slot token. */
export const POST: RequestHandler = (event) =>
	relayRoute(async (relay) => {
		const queue = parseQueue(event.params);
		const token = parseToken(event.request.headers);
		await relay.send(queue, await readBody(event.request, nodeRequest(event), relay.config.maxMessageBytes, 'message'), token);
		return ok();
	});
