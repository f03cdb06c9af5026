// The few relay requests the pages and the Worker make themselves (the party's own traffic
// goes through src/lib/party). Plain fetch: safe on the page's thread and in the Worker.

/** The relay answered, but not with success. */
export class RelayError extends Error {
	override name = 'RelayError';
	constructor(
		readonly status: number,
		readonly text: string,
		what: string
	) {
		super(`the relay refused to ${what}: ${status} ${text}`.trim());
	}
}

/** The relay could not be reached at all (down, or the network is gone). */
export class RelayUnreachableError extends Error {
	override name = 'RelayUnreachableError';
	constructor(readonly url: string) {
		super(`cannot reach the relay at ${url}`);
	}
}

/** Fetches `url`; an answer other than 2xx (or `accepted`) becomes a RelayError saying what failed. */
async function request(url: string, init: RequestInit, what: string, accepted: number[] = []): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(url, init);
	} catch (error) {
		if ((error as Error).name === 'AbortError') throw error;
		throw new RelayUnreachableError(new URL(url).origin);
	}
	if (!response.ok && !accepted.includes(response.status)) throw new RelayError(response.status, (await response.text()).slice(0, 300), what);
	return response;
}

const path = (relay: string, ...parts: (string | number)[]) => `${relay}/${parts.map((p) => encodeURIComponent(p)).join('/')}`;

/** Publishes the session's info blob; false when the session already has other info (name taken). */
export async function putInfo(relay: string, session: string, blob: Uint8Array): Promise<boolean> {
	const init: RequestInit = { method: 'PUT', body: blob as BodyInit, headers: { 'content-type': 'application/octet-stream' } };
	try {
		await request(path(relay, 'info', session), init, 'store the session info');
		return true;
	} catch (error) {
		if (error instanceof RelayError && error.status === 409) return false;
		throw error;
	}
}

/** The session's info blob, or undefined when the relay has none (unknown or expired session). */
export async function getInfo(relay: string, session: string): Promise<Uint8Array | undefined> {
	const response = await request(path(relay, 'info', session), { cache: 'no-store' }, 'send the session info', [404]);
	return response.status === 404 ? undefined : new Uint8Array(await response.arrayBuffer());
}

/** Parties joined to the session; with `activeMs`, only those seen that recently. */
export async function participants(relay: string, session: string, activeMs?: number, signal?: AbortSignal): Promise<number[]> {
	const query = activeMs === undefined ? '' : `?active=${activeMs}`;
	const response = await request(`${path(relay, 'participants', session)}${query}`, { signal, cache: 'no-store' }, 'list the parties');
	return (await response.json()) as number[];
}

/** Joins again: the relay counts it as a sign of life of `party`. */
export async function heartbeat(relay: string, session: string, party: number): Promise<void> {
	await request(path(relay, 'join', session, party), { method: 'PUT' }, 'join the session');
}

/** Leaves the session; `keepalive` lets the request outlive a closing tab. */
export function leave(relay: string, session: string, party: number): void {
	void fetch(path(relay, 'join', session, party), { method: 'DELETE', keepalive: true }).catch(() => {});
}
