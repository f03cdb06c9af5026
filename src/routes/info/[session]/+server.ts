import { readBody } from '$lib/server/relay/body';
import { bytes, nodeRequest, ok, relayRoute, text } from '$lib/server/relay/http';
import { parseSession } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Sets the session's info blob once (e.g. the sealed program); other bytes later get 409. */
export const PUT: RequestHandler = (event) =>
	relayRoute(async (relay) => {
		const session = parseSession(event.params.session);
		const info = await readBody(event.request, nodeRequest(event), relay.config.maxInfoBytes, 'info');
		const outcome = await relay.putInfo(session, info);
		return outcome === 'conflict' ? text(409, `session '${session}' already has different info`) : ok();
	});

export const GET: RequestHandler = ({ params }) =>
	relayRoute(async (relay) => {
		const session = parseSession(params.session);
		const info = await relay.getInfo(session);
		return info ? bytes(info) : text(404, `session '${session}' has no info`);
	});
