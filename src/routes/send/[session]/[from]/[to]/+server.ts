import { readBody } from '$lib/server/relay/body';
import { nodeRequest, ok, relayRoute } from '$lib/server/relay/http';
import { parseQueue } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Queues the body as one message from `from` to `to` (the original relay API). */
export const POST: RequestHandler = (event) =>
	relayRoute(async (relay) => {
		const queue = parseQueue(event.params);
		await relay.send(queue, await readBody(event.request, nodeRequest(event), relay.config.maxMessageBytes, 'message'));
		return ok();
	});
