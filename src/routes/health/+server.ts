import { json } from '@sveltejs/kit';
import { processHealth } from '$lib/server/process-health';
import { relayRoute } from '$lib/server/relay/http';
import type { RequestHandler } from './$types';

/** `{ ok, store, sessions, process }` for monitoring. */
export const GET: RequestHandler = () => relayRoute(async (relay) => json({ ...(await relay.health()), process: processHealth() }));
