import { RELAY_ROUTE_IDS } from '../origin-check';
import { text } from './http';

/** The first path segment of every relay endpoint: /join, /send, … */
const API_ROOTS: ReadonlySet<string> = new Set([...RELAY_ROUTE_IDS].map((id) => id.split('/')[1]));

/**
 * A request under one of the relay API's paths that no endpoint takes (`/join/s`, missing the
 * party; `/exchange/s/0/1`, one segment too many): a plain-text 404 that names the endpoints
 * there, where the app would answer an API client with its HTML error page. Undefined for
 * everything else.
 */
export function unknownEndpoint(url: URL, method: string, routeId: string | null): Response | undefined {
	if (routeId !== null) return undefined;
	const root = url.pathname.split('/')[1];
	if (!API_ROOTS.has(root)) return undefined;
	const endpoints = [...RELAY_ROUTE_IDS].filter((id) => id.split('/')[1] === root).map((id) => id.replace(/\[(\w+)\]/g, '{$1}'));
	return text(404, `no relay endpoint ${method} ${url.pathname}: the relay has ${endpoints.join(', ')} (docs/relay.md)\n`);
}
