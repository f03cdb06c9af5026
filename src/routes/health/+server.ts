import { json } from '@sveltejs/kit';
import { relayRoute } from '$lib/server/relay/http';
import type { RequestHandler } from './$types';

/** `{ ok, store, storeStatus, sessions, queuedBytes }` for monitoring; 503 while the store is unreachable. */
export const GET: RequestHandler = () =>
	relayRoute(async (relay) => {
		const health = await relay.health();
		return json(health, { status: health.ok ? 200 : 503 });
	});
