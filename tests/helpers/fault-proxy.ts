// An HTTP proxy on 127.0.0.1 between parties and the relay that loses, delays and repeats
// requests and answers, as a bad network (or a load balancer that retries) would. It also
// counts the requests it passes on, can hide response headers (to make our relay look like
// the original), can be pointed at another relay mid-run, and can cut its clients off for a
// while (a network that went away).
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seeded } from '../unit/mpc/helpers';

export interface FaultRates {
	/** Share of requests never passed on: the client sees its connection reset. */
	dropRequest: number;
	/** Share of requests passed on whose answer is thrown away: the relay did the work, the client sees a reset. */
	dropResponse: number;
	/** Share of requests passed on a second time (after a delay of up to `maxDelayMs`), the copy's answer thrown away. */
	duplicate: number;
	/** Share of requests held back for up to `maxDelayMs` before they are passed on. */
	delay: number;
	maxDelayMs: number;
}

export type FaultKind = 'dropRequest' | 'dropResponse' | 'duplicate' | 'delay';

/** Faults that happen whatever the dice say, to the n-th request (counted from 1) of one route. */
export interface CertainFaults {
	route: string;
	at: Partial<Record<FaultKind, number>>;
}

export interface FaultProxyOptions {
	/** Base URL of the relay, e.g. `http://127.0.0.1:41235`. */
	target: string;
	/** Default: no faults (a counting proxy). */
	faults?: Partial<FaultRates>;
	/** Which requests may suffer faults; default: the relay API (not pages and assets). */
	faulty?: (method: string, path: string) => boolean;
	/** Seed of the fault dice, so that a failing run can be repeated (default: random; see `seed`). */
	seed?: number;
	/** Faults that surely happen once each, so that a short run still meets every kind (default: none). */
	certain?: CertainFaults;
	/** Response headers to remove, e.g. `['x-relay-exchange']` to hide an extension. */
	hideHeaders?: string[];
	/** The proxy closes itself after this long, should a test forget (default 10 min). */
	lifetimeMs?: number;
}

export interface FaultTally {
	/** Requests received from clients, by the first path segment (`exchange`, `join`, …). */
	requests: Record<string, number>;
	droppedRequests: number;
	droppedResponses: number;
	duplicated: number;
	delayed: number;
}

export interface FaultProxy {
	/** The proxy's base URL: give it to the parties instead of the relay's. */
	url: string;
	seed: number;
	tally: FaultTally;
	/** Passes requests from now on to another relay. */
	retarget(target: string): void;
	/** Cuts the clients off, as a network that went away: open connections are reset, and new ones too, until `restore`. */
	cut(): void;
	restore(): void;
	/** Resolves once `count` requests of `route` (the first path segment) have arrived. */
	requestsReach(route: string, count: number): Promise<void>;
	close(): Promise<void>;
}

/**
 * A bad network for the seed's runs: a few percent of the relay API's requests and answers lost,
 * repeated or held back up to 2 s, and each kind surely once early on the mailbox, since a run
 * has only a few dozen exchanges and the dice alone may spare one kind.
 */
export const LOSSY_NETWORK = {
	faults: { dropRequest: 0.03, dropResponse: 0.03, duplicate: 0.03, delay: 0.05, maxDelayMs: 2000 },
	certain: { route: 'exchange', at: { dropRequest: 3, dropResponse: 5, duplicate: 7, delay: 9 } }
} satisfies Pick<FaultProxyOptions, 'faults' | 'certain'>;

const TALLIED: Record<FaultKind, keyof FaultTally> = { dropRequest: 'droppedRequests', dropResponse: 'droppedResponses', duplicate: 'duplicated', delay: 'delayed' };

/** The kinds of fault that never happened: a test of a bad network shows that its network was bad. */
export const missedFaults = (tally: FaultTally): FaultKind[] => (Object.keys(TALLIED) as FaultKind[]).filter((kind) => tally[TALLIED[kind]] === 0);

const RELAY_API = /^\/(join|participants|send|recv|exchange|info)\//;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

interface Upstream {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
		stream.on('aborted', () => reject(new Error('aborted')));
	});
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
	const rates: FaultRates = { dropRequest: 0, dropResponse: 0, duplicate: 0, delay: 0, maxDelayMs: 2000, ...options.faults };
	const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
	const roll = seeded(seed);
	const faulty = options.faulty ?? ((_method: string, path: string) => RELAY_API.test(path));
	const hidden = new Set((options.hideHeaders ?? []).map((name) => name.toLowerCase()));
	const agent = new Agent({ keepAlive: true });
	const tally: FaultTally = { requests: {}, droppedRequests: 0, droppedResponses: 0, duplicated: 0, delayed: 0 };
	const waiters = new Set<() => void>();
	const sockets = new Set<Socket>();
	let target = new URL(options.target);
	let closed = false;
	let offline = false;

	/** Sends one copy of the request to the relay; `gone` aborts it (the client left). */
	function forward(client: IncomingMessage, body: Buffer, gone: AbortSignal): Promise<Upstream> {
		return new Promise((resolve, reject) => {
			const headers = { ...client.headers, host: target.host };
			const upstream = httpRequest(
				{ host: target.hostname, port: target.port, method: client.method, path: client.url, headers, agent, signal: gone },
				(answer) => readAll(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }), reject)
			);
			upstream.on('error', reject);
			upstream.end(body);
		});
	}

	async function handle(client: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = (client.url ?? '/').split('?')[0];
		const route = path.split('/')[1] ?? '';
		const count = (tally.requests[route] = (tally.requests[route] ?? 0) + 1);
		waiters.forEach((check) => check());
		const body = await readAll(client);
		const gone = new AbortController();
		response.on('close', () => {
			if (!response.writableFinished) gone.abort();
		});
		const faults = faulty(client.method ?? 'GET', path);
		const certain = options.certain?.route === route ? options.certain.at : {};
		const chance = (kind: FaultKind) => faults && (certain[kind] === count || (rates[kind] > 0 && roll() < rates[kind]));
		if (chance('delay')) {
			tally.delayed++;
			await pause(roll() * rates.maxDelayMs);
		}
		if (chance('dropRequest')) {
			tally.droppedRequests++;
			client.socket.destroy();
			return;
		}
		const dropAnswer = chance('dropResponse');
		const duplicate = chance('duplicate');
		const answer = await forward(client, body, dropAnswer ? new AbortController().signal : gone.signal);
		if (duplicate) {
			tally.duplicated++;
			const copyDelay = roll() * rates.maxDelayMs;
			void pause(copyDelay).then(() => (closed ? undefined : forward(client, body, new AbortController().signal).catch(() => undefined)));
		}
		if (dropAnswer) {
			tally.droppedResponses++;
			client.socket.destroy();
			return;
		}
		const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name) && !hidden.has(name)));
		response.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
		response.end(answer.body);
	}

	const server = createServer((client, response) => {
		handle(client, response).catch(() => {
			// The relay is away (stopped or restarting) or the client left: the client sees its connection end.
			client.socket.destroy();
		});
	});
	server.on('connection', (socket) => {
		if (offline) return void socket.destroy();
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	const close = async () => {
		if (closed) return;
		closed = true;
		clearTimeout(lifetime);
		for (const socket of sockets) socket.destroy();
		agent.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 600_000);
	lifetime.unref();

	return {
		url: `http://127.0.0.1:${port}`,
		seed,
		tally,
		retarget: (next) => {
			target = new URL(next);
		},
		cut: () => {
			offline = true;
			for (const socket of sockets) socket.destroy();
		},
		restore: () => {
			offline = false;
		},
		requestsReach: (route, count) =>
			new Promise<void>((resolve) => {
				const check = () => {
					if ((tally.requests[route] ?? 0) < count) return;
					waiters.delete(check);
					resolve();
				};
				waiters.add(check);
				check();
			}),
		close
	};
}
