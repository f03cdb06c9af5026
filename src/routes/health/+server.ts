import { json } from '@sveltejs/kit';
import { processHealth } from '$lib/server/process-health';
import { relayRoute } from '$lib/server/relay/http';
import type { RequestHandler } from './$types';

/** `{ ok, store, storeStatus, sessions, queuedBytes, process }` for monitoring; 503 while the store is unreachable. */
export const GET: RequestHandler = () =>
	relayRoute(async (relay) => {
		const health = await relay.health();
		return json({ ...health, process: processHealth() }, { status: health.ok ? 200 : 503 });
	});
