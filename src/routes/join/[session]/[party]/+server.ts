import { ok, relayRoute } from '$lib/server/relay/http';
import { parseParty, parseSession, parseToken } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Joins a session (the original relay API); with an X-Relay-Token, claims the party's slot or renews the claim. */
export const PUT: RequestHandler = ({ params, request }) =>
	relayRoute(async (relay) => {
		await relay.join(parseSession(params.session), parseParty(params.party, 'party'), parseToken(request.headers));
		return ok();
	});

/** Leaves a session: the party is no longer listed and its slot is free; its undelivered messages stay. */
export const DELETE: RequestHandler = ({ params, request }) =>
	relayRoute(async (relay) => {
		await relay.leave(parseSession(params.session), parseParty(params.party, 'party'), parseToken(request.headers));
		return ok();
	});
