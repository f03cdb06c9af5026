import type { ServerInit } from '@sveltejs/kit';
import { getRelay } from '$lib/server/relay/instance';

/** Creates the relay at start-up, so that a bad setting or an unreachable store shows at once. */
export const init: ServerInit = () => {
	getRelay();
};
