import { error } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';

/** Session names as the relay accepts them; anything else cannot be a session. */
const SESSION_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export const load: LayoutLoad = ({ params }) => {
	if (!SESSION_NAME.test(params.session)) error(404, 'This is not a session link: session names use only A-Z, a-z, 0-9, _ . and -.');
	return { session: params.session };
};
