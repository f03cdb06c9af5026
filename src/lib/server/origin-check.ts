/**
 * Cross-site request forgery protection for the web app's pages, and none for the relay API.
 *
 * SvelteKit's own check (`kit.csrf`) refuses every POST, PUT, PATCH or DELETE with a form
 * content type (text/plain, urlencoded, multipart) whose Origin is not the app's own: that
 * includes `curl --data`, `fetch(url, { body: 'text' })` and every other ordinary client of
 * the relay, which sends no Origin. The relay API has no cookies and no logged-in user a
 * forged request could act for, so its routes take any body and answer by the relay's own
 * rules. svelte.config.js therefore turns SvelteKit's check off, and `handle` in
 * src/hooks.server.ts applies the same check here to everything that is not the relay API.
 */

/** The relay API: the ids of the `+server.ts` routes under src/routes. */
export const RELAY_ROUTE_IDS: ReadonlySet<string> = new Set([
	'/health',
	'/info/[session]',
	'/join/[session]/[party]',
	'/participants/[session]',
	'/recv/[session]/[from]/[to]',
	'/send/[session]/[from]/[to]',
	'/exchange/[session]/[party]'
]);

const STATE_CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What an HTML form can send to another site without a CORS preflight (SvelteKit's list, with its own form type). */
const FORM_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata']);

/**
 * The 403 answer to a form submission from another origin (or with no Origin) to anything
 * but the relay API, as SvelteKit gives it; undefined when the request may go on.
 */
export function refuseCrossSiteForm(request: Request, url: URL, routeId: string | null): Response | undefined {
	if (routeId !== null && RELAY_ROUTE_IDS.has(routeId)) return undefined;
	if (!STATE_CHANGING_METHODS.has(request.method)) return undefined;
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	if (!FORM_CONTENT_TYPES.has(type)) return undefined;
	if (request.headers.get('origin') === url.origin) return undefined;
	const message = `Cross-site ${request.method} form submissions are forbidden`;
	if (request.headers.get('accept') === 'application/json') return Response.json({ message }, { status: 403 });
	return new Response(message, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
