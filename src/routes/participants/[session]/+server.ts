import { json } from '@sveltejs/kit';
import { EXCHANGE_HEADER, HOLD_HEADER, MAX_BYTES_HEADER, relayRoute, SLOT_TOKENS_HEADER } from '$lib/server/relay/http';
import { parseMillis, parsePartyList, parseSession } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/**
 * Joined parties, ascending; `?active=<ms>` keeps only those seen that recently, and
 * `?wait=<ms>&known=0,1` waits until the list differs from `known` (default: empty). Public,
 * also in sessions that use slot tokens. The headers tell clients which extensions this relay has.
 */
export const GET: RequestHandler = ({ params, url, request }) =>
	relayRoute(async (relay) => {
		const session = parseSession(params.session);
		const active = parseMillis(url.searchParams, 'active');
		const waitMs = parseMillis(url.searchParams, 'wait');
		const known = parsePartyList(url.searchParams, 'known');
		const wait = waitMs === undefined ? undefined : { waitMs, known: known ?? [], signal: request.signal };
		const headers = { [SLOT_TOKENS_HEADER]: '1', [EXCHANGE_HEADER]: '1', [HOLD_HEADER]: '1', [MAX_BYTES_HEADER]: String(relay.config.maxMessageBytes) };
		return json(await relay.participants(session, active, wait), { headers });
	});
