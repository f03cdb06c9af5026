import { encodeAnswerParts } from '$lib/channel/mailbox-wire';
import { readBodyChunks } from '$lib/server/relay/body';
import { bytes, clientSignal, nodeRequest, relayRoute } from '$lib/server/relay/http';
import { parseAcks, parseCount, parseFrames, parseMillis, parseParty, parsePartyList, parseSession, parseToken } from '$lib/server/relay/params';
import type { RequestHandler } from './$types';

/**
 * A party's mailbox (a relay extension, docs/relay.md): stores the frames of the body for
 * their recipients, applies `?ack=FROM:SEQ,…`, and answers with the frames for this party
 * from anyone (from the parties of `?for=P,Q` only, waiting a moment longer, `?gather=<ms>`,
 * for some from each), waiting up to `?wait=<ms>` for one; `?max=<bytes>` caps the answer.
 * With `?until=P,Q` (and `&active=<ms>`), it stores and takes nothing until P, Q and this
 * party are listed, else answers "held". X-Relay-Token is the party's slot token (required).
 */
export const POST: RequestHandler = (event) =>
	relayRoute(async (relay) => {
		const { params, url, request } = event;
		const session = parseSession(params.session);
		const party = parseParty(params.party, 'party');
		const token = parseToken(request.headers);
		const acks = parseAcks(url.searchParams);
		const waitMs = parseMillis(url.searchParams, 'wait');
		const maxAnswerBytes = parseCount(url.searchParams, 'max', 'bytes');
		const awaited = parsePartyList(url.searchParams, 'for');
		const gatherMs = parseMillis(url.searchParams, 'gather');
		const untilParties = parsePartyList(url.searchParams, 'until');
		const until = untilParties && { parties: untilParties, activeWithinMs: parseMillis(url.searchParams, 'active') };
		const frames = parseFrames(await readBodyChunks(request, nodeRequest(event), relay.config.maxMessageBytes, 'message'));
		const client = clientSignal(event);
		try {
			return bytes(...encodeAnswerParts(await relay.exchange({ session, party, token, frames, acks, waitMs, maxAnswerBytes, awaited, gatherMs, until, signal: client.signal })));
		} finally {
			client.release();
		}
	});
