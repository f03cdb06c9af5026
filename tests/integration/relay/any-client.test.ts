// Issue 11: ordinary HTTP clients — curl with --data, --data-binary or -F, fetch with a string
// body — send a Content-Type that SvelteKit's CSRF check treats as a form. The relay API must
// answer them by its own rules (200, 400, 413, 429), on both stores; pages stay protected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, startRedis, startRelay, type StartedRedis, type StartedRelay } from '../../helpers';

/** curl, as scripts/test.js makes sure it is installed. */
const CURL = process.env.CURL_PATH ?? '/usr/bin/curl';

interface Answer {
	status: number;
	body: string;
}

async function curl(args: string[]): Promise<Answer> {
	const result = await runProcess(CURL, ['--silent', '--show-error', '--write-out', '\n%{http_code}', ...args], { timeoutMs: 30_000 });
	expect(result.code, `curl ${args.join(' ')}: ${result.stderr}`).toBe(0);
	const cut = result.stdout.lastIndexOf('\n');
	return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut) };
}

interface Client {
	name: string;
	/** Sends `body` with the client's own Content-Type. */
	request(method: string, url: string, body: string): Promise<Answer>;
	/** What the relay queues for `body`: the bytes this client puts on the wire. */
	matches(queued: string, body: string): boolean;
}

const asSent = (queued: string, body: string) => queued === body;

const CLIENTS: Client[] = [
	{ name: 'curl --data', request: (method, url, body) => curl(['-X', method, '--data', body, url]), matches: asSent },
	{ name: 'curl --data-binary', request: (method, url, body) => curl(['-X', method, '--data-binary', body, url]), matches: asSent },
	{
		name: 'curl -F',
		request: (method, url, body) => curl(['-X', method, '-F', `m=${body}`, url]),
		matches: (queued, body) => new RegExp(`^--(\\S+)\\r\\nContent-Disposition: form-data; name="m"\\r\\n\\r\\n${body}\\r\\n--\\1--\\r\\n$`).test(queued)
	},
	{
		name: 'fetch with a string body',
		request: async (method, url, body) => {
			const answer = await fetch(url, { method, body });
			return { status: answer.status, body: await answer.text() };
		},
		matches: asSent
	}
];

/** Small caps, so that 413 and 429 are quick to reach. */
const LIMITS = { RELAY_MAX_MESSAGE_BYTES: '800', RELAY_MAX_SESSION_BYTES: '1000' };

let counter = 0;
const fresh = () => `any${++counter}-${Date.now()}`;

describe.each(['memory', 'redis'] as const)('relay API with any Content-Type (%s store)', (store) => {
	let redis: StartedRedis | undefined;
	let relay: StartedRelay;
	let base: string;
	const participants = async (session: string) => (await fetch(`${base}/participants/${session}`)).json();

	beforeAll(async () => {
		if (store === 'redis') redis = await startRedis();
		relay = await startRelay({ env: LIMITS, args: redis ? ['--store', redis.url] : [] });
		base = relay.url;
	});

	afterAll(async () => {
		await relay?.stop();
		await redis?.stop();
	});

	it('reports the store it runs on', async () => {
		expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ ok: true, store });
	});

	it.each(CLIENTS)('$name: join, send, recv, leave and info answer as the relay API says', async (client) => {
		const s = fresh();
		for (const party of [0, 1]) expect(await client.request('PUT', `${base}/join/${s}/${party}`, 'joining')).toEqual({ status: 200, body: '' });
		expect(await participants(s)).toEqual([0, 1]);

		expect(await client.request('POST', `${base}/send/${s}/0/1`, 'hello')).toEqual({ status: 200, body: '' });
		const received = await client.request('POST', `${base}/recv/${s}/0/1`, 'ignored');
		expect(received.status).toBe(200);
		expect(client.matches(received.body, 'hello'), `queued: ${JSON.stringify(received.body)}`).toBe(true);
		expect(await client.request('POST', `${base}/recv/${s}/0/1`, 'ignored')).toEqual({ status: 400, body: 'no message queued' });

		expect(await client.request('DELETE', `${base}/join/${s}/1`, 'leaving')).toEqual({ status: 200, body: '' });
		expect(await participants(s)).toEqual([0]);

		expect(await client.request('PUT', `${base}/info/${s}`, 'the info')).toEqual({ status: 200, body: '' });
		const info = await fetch(`${base}/info/${s}`);
		expect(info.status).toBe(200);
		expect(client.matches(await info.text(), 'the info')).toBe(true);
	});

	it.each(CLIENTS)('$name: a bad request is the relay’s 400 naming the field, not a 403', async (client) => {
		const s = fresh();
		const bad: [string, string, RegExp][] = [
			['POST', `/send/${s}/0/300`, /^bad to "300"/],
			['POST', `/recv/${s}/1000/0`, /^bad from "1000"/],
			['POST', `/send/${s}/2/2`, /cannot send to itself/],
			['PUT', `/join/${s}/256`, /^bad party "256"/],
			['DELETE', `/join/bad%20name/0`, /^bad session name "bad name"/],
			['PUT', `/info/${'x'.repeat(129)}`, /^bad session name/]
		];
		for (const [method, path, text] of bad) {
			const answer = await client.request(method, `${base}${path}`, 'body');
			expect(answer.status, `${method} ${path}`).toBe(400);
			expect(answer.body).toMatch(text);
		}
	});

	it.each(CLIENTS)('$name: the relay’s own limits answer 413 and 429, naming their variables', async (client) => {
		const s = fresh();
		const tooLarge = await client.request('POST', `${base}/send/${s}/0/1`, 'x'.repeat(900));
		expect(tooLarge.status).toBe(413);
		expect(tooLarge.body).toContain('RELAY_MAX_MESSAGE_BYTES');
		expect((await client.request('POST', `${base}/send/${s}/0/1`, 'x'.repeat(600))).status).toBe(200);
		const full = await client.request('POST', `${base}/send/${s}/0/1`, 'x'.repeat(600));
		expect(full.status).toBe(429);
		expect(full.body).toContain('RELAY_MAX_SESSION_BYTES');
	});
});

describe('pages keep their cross-site form protection', () => {
	let relay: StartedRelay;

	beforeAll(async () => {
		relay = await startRelay();
	});

	afterAll(async () => {
		await relay?.stop();
	});

	it('refuses a form POST to a page from another origin, or with no Origin, with 403', async () => {
		const forbidden = { status: 403, body: 'Cross-site POST form submissions are forbidden' };
		expect(await curl(['--data', 'a=1', `${relay.url}/`])).toEqual(forbidden);
		expect(await curl(['-F', 'a=1', `${relay.url}/s/some-session`])).toEqual(forbidden);
		const fromElsewhere = await fetch(`${relay.url}/s/some-session`, {
			method: 'POST',
			headers: { origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=1'
		});
		expect({ status: fromElsewhere.status, body: await fromElsewhere.text() }).toEqual(forbidden);
	});

	it('lets the same request from another origin reach the relay API, which has no cookies to ride on', async () => {
		const s = fresh();
		const send = await fetch(`${relay.url}/send/${s}/0/1`, {
			method: 'POST',
			headers: { origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=1'
		});
		expect(send.status).toBe(200);
		expect(await (await fetch(`${relay.url}/recv/${s}/0/1`, { method: 'POST' })).text()).toBe('a=1');
	});
});
