import type { Handle, ServerInit } from '@sveltejs/kit';
import { refuseCrossSiteForm } from '$lib/server/origin-check';
import { getRelay } from '$lib/server/relay/instance';

/** Creates the relay at start-up, so that a bad setting or an unreachable store shows at once. */
export const init: ServerInit = () => {
	getRelay();
};

/** Pages keep SvelteKit's cross-site form protection; the relay API takes any client (see origin-check). */
export const handle: Handle = ({ event, resolve }) => refuseCrossSiteForm(event.request, event.url, event.route.id) ?? resolve(event);
