import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RELAY_ROUTE_IDS, refuseCrossSiteForm } from '../../../src/lib/server/origin-check';

const ROUTES = fileURLToPath(new URL('../../../src/routes/', import.meta.url));
const APP = 'http://relay.example:8000';

/** The id of every `+server.ts` route, as SvelteKit names it (`/send/[session]/[from]/[to]`). */
function endpointRouteIds(): string[] {
	return readdirSync(ROUTES, { recursive: true, encoding: 'utf8' })
		.filter((path) => path.split(/[\\/]/).at(-1) === '+server.ts')
		.map((path) => `/${path.split(/[\\/]/).slice(0, -1).join('/')}`)
		.sort();
}

/** A request with a body of bytes, so that its only content type is the one in `headers`. */
function request(method: string, path: string, headers: Record<string, string>) {
	const body = method === 'GET' ? undefined : new TextEncoder().encode('a=1');
	return { request: new Request(`${APP}${path}`, { method, headers, body }), url: new URL(`${APP}${path}`) };
}

describe('cross-site form check', () => {
	it('names exactly the relay API routes, so that a new endpoint is a decision, not an accident', () => {
		expect([...RELAY_ROUTE_IDS].sort()).toEqual(endpointRouteIds());
	});

	it('lets any client reach the relay API, whatever its content type and origin', () => {
		for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8']) {
			for (const routeId of RELAY_ROUTE_IDS) {
				const { request: req, url } = request('POST', '/send/s/0/1', { 'content-type': type, origin: 'https://elsewhere.example' });
				expect(refuseCrossSiteForm(req, url, routeId), `${routeId} ${type}`).toBeUndefined();
			}
		}
	});

	it('refuses a form submission to a page from another origin or without an Origin, as SvelteKit does', async () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'TEXT/PLAIN', 'application/x-sveltekit-formdata']) {
				for (const origin of [{ origin: 'https://elsewhere.example' }, {}] as Record<string, string>[]) {
					for (const routeId of ['/', '/s/[session]', null]) {
						const { request: req, url } = request(method, '/s/abc', { 'content-type': type, ...origin });
						const answer = refuseCrossSiteForm(req, url, routeId);
						expect(answer?.status, `${method} ${type} ${JSON.stringify(origin)} ${routeId}`).toBe(403);
						expect(await answer!.text()).toBe(`Cross-site ${method} form submissions are forbidden`);
					}
				}
			}
		}
		const { request: wantsJson, url } = request('POST', '/', { 'content-type': 'text/plain', accept: 'application/json' });
		expect(await refuseCrossSiteForm(wantsJson, url, '/')!.json()).toEqual({ message: 'Cross-site POST form submissions are forbidden' });
	});

	it('lets a page have same-origin form submissions, reads and non-form bodies', () => {
		const cases = [
			request('POST', '/', { 'content-type': 'application/x-www-form-urlencoded', origin: APP }),
			request('GET', '/', { 'content-type': 'text/plain', origin: 'https://elsewhere.example' }),
			request('POST', '/', { 'content-type': 'application/json', origin: 'https://elsewhere.example' }),
			request('POST', '/', {})
		];
		for (const { request: req, url } of cases) expect(refuseCrossSiteForm(req, url, '/'), `${req.method} ${req.headers.get('content-type')}`).toBeUndefined();
	});
});
