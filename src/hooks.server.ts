import type { Handle, ServerInit } from '@sveltejs/kit';
import { refuseCrossSiteForm } from '$lib/server/origin-check';
import { getRelay } from '$lib/server/relay/instance';
import { unknownEndpoint } from '$lib/server/relay/unknown-endpoint';

/** Creates the relay at start-up, so that a bad setting or an unreachable store shows at once. */
export const init: ServerInit = () => {
	getRelay();
};

/**
 * Pages keep SvelteKit's cross-site form protection; the relay API takes any client (see
 * origin-check), and a path under it that no endpoint takes gets a plain 404, not a page.
 */
export const handle: Handle = ({ event, resolve }) =>
	refuseCrossSiteForm(event.request, event.url, event.route.id) ?? unknownEndpoint(event.url, event.request.method, event.route.id) ?? resolve(event);
