import { json } from '@sveltejs/kit';
import { relayRoute } from '$lib/server/relay/http';
import type { RequestHandler } from './$types';

/** `{ ok, store, sessions }` for monitoring. */
export const GET: RequestHandler = () => relayRoute(async (relay) => json(await relay.health()));
