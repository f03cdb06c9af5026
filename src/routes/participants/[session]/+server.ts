import { json } from '@sveltejs/kit';
import { relayRoute, SLOT_TOKENS_HEADER } from '$lib/server/relay/http';
import { parseMillis, parseSession } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/** Joined parties, ascending; `?active=<ms>` keeps only those seen that recently. Public, also in sessions that use slot tokens. */
export const GET: RequestHandler = ({ params, url }) =>
	relayRoute(async (relay) =>
		json(await relay.participants(parseSession(params.session), parseMillis(url.searchParams, 'active')), { headers: { [SLOT_TOKENS_HEADER]: '1' } })
	);
