import { ok, relayRoute } from '$lib/server/relay/http';
import { parseParty, parseSession } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Joins a session (the original relay API). */
export const PUT: RequestHandler = ({ params }) =>
	relayRoute(async (relay) => {
		await relay.join(parseSession(params.session), parseParty(params.party, 'party'));
		return ok();
	});

/** Leaves a session: the party is no longer listed; its undelivered messages stay. */
export const DELETE: RequestHandler = ({ params }) =>
	relayRoute(async (relay) => {
		await relay.leave(parseSession(params.session), parseParty(params.party, 'party'));
		return ok();
	});
