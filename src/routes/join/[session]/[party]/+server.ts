import { ok, PARTICIPANTS_HEADER, relayRoute } from '$lib/server/relay/http';
import { parseMillis, parseParticipantsWait, parseParty, parseSession, parseToken } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/**
 * Joins a session (the original relay API); with an X-Relay-Token, claims the party's slot or
 * renews the claim. With `?active=<ms>` (an extension) the answer lists the parties seen that
 * recently, so that a party learns who is there in the same round trip; with `&wait=<ms>` and
 * `&known=…` or `&all=…` too, once that list changes or has all of them, as a participant
 * list's long poll.
 */
export const PUT: RequestHandler = ({ params, url, request }) =>
	relayRoute(async (relay) => {
		const session = parseSession(params.session);
		const active = parseMillis(url.searchParams, 'active');
		const wait = parseParticipantsWait(url.searchParams, request.signal);
		await relay.join(session, parseParty(params.party, 'party'), parseToken(request.headers));
		if (active === undefined) return ok();
		return ok({ [PARTICIPANTS_HEADER]: (await relay.participants(session, active, wait)).join(',') });
	});

/** Leaves a session: the party is no longer listed and its slot is free; its undelivered messages stay. */
export const DELETE: RequestHandler = ({ params, request }) =>
	relayRoute(async (relay) => {
		await relay.leave(parseSession(params.session), parseParty(params.party, 'party'), parseToken(request.headers));
		return ok();
	});
