/**
 * A TCP proxy on 127.0.0.1 that adds a fixed delay each way, as a network with a round-trip
 * time of 2 × delay would, and counts the HTTP requests and bytes that cross it, per
 * participant of a relay session. `npm run bench:relay` puts one between the parties and the
 * relay for each run.
 *
 * Each direction of a connection is a FIFO of chunks, each forwarded `oneWayMs` after it
 * arrived; bandwidth is not limited. Requests are told apart by reading the HTTP/1.1 framing
 * of the client's bytes (heads, Content-Length and chunked bodies), and a connection belongs
 * to the participant its relay paths name (join and exchange: the party; send: the sender;
 * recv: the receiver), so that requests made before the first such path count for it as well.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

/** Requests and bytes of one participant (or of connections that never named one). */
export interface ParticipantTraffic {
	requests: number;
	/** Bytes from the participant to the relay (request heads and bodies). */
	bytesUp: number;
	/** Bytes from the relay to the participant. */
	bytesDown: number;
	/** When its first request's first byte reached the proxy (performance.now() of this process). */
	firstRequestAt: number;
}

export interface DelayProxy {
	/** `http://127.0.0.1:PORT`, to give the parties in place of the relay's URL. */
	url: string;
	/** Traffic so far per participant (party number, 255 the dealer); `unknown` for connections that named none. */
	traffic(): Map<number | 'unknown', ParticipantTraffic>;
	/**
	 * With `trace`: every request and the start of every answer so far, one tab-separated line
	 * each — ms since the proxy started, participant, `request` with the path and the body's
	 * bytes (`chunked` when sent so), or `answer` and the bytes of its first chunk — as the proxy saw them: a request when its client sent it, an
	 * answer when the relay did (each reaches the other side half an RTT later).
	 */
	trace(): string;
	close(): Promise<void>;
}

interface Connection {
	participant?: number;
	requests: number;
	bytesUp: number;
	bytesDown: number;
	firstRequestAt?: number;
}

/** Starts a proxy to `target` (host:port) on 127.0.0.1 that delays every byte by `oneWayMs` each way. */
export async function startDelayProxy(target: { host: string; port: number }, oneWayMs: number, options: { trace?: boolean } = {}): Promise<DelayProxy> {
	const connections: Connection[] = [];
	const startedAt = performance.now();
	const events: string[] = [];
	const record = options.trace ? (who: number | undefined, what: string) => events.push(`${(performance.now() - startedAt).toFixed(1)}\t${who ?? 'unknown'}\t${what}`) : undefined;
	const sockets = new Set<Socket>();
	const server = createServer((client) => {
		const connection: Connection = { requests: 0, bytesUp: 0, bytesDown: 0 };
		connections.push(connection);
		const upstream = createConnection(target);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.setNoDelay(true);
			socket.on('close', () => sockets.delete(socket));
			// One side failing ends the other: the peer sees what a dropped connection looks like.
			socket.on('error', () => (socket === client ? upstream : client).destroy());
		}
		let answering = false;
		const requests = new RequestFramer((path, bodyBytes) => {
			const named = participantOf(path);
			connection.requests++;
			connection.firstRequestAt ??= performance.now();
			connection.participant ??= named;
			record?.(named ?? connection.participant, `request\t${path}\t${bodyBytes}`);
			answering = true;
		});
		forwardDelayed(client, upstream, oneWayMs, (chunk) => {
			connection.bytesUp += chunk.length;
			requests.push(chunk);
		});
		forwardDelayed(upstream, client, oneWayMs, (chunk) => {
			connection.bytesDown += chunk.length;
			// HTTP/1.1 without pipelining: what comes back after a request starts its answer.
			if (answering) record?.(connection.participant, `answer\t${chunk.length}`);
			answering = false;
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		traffic: () => {
			const byParticipant = new Map<number | 'unknown', ParticipantTraffic>();
			for (const c of connections) {
				if (c.firstRequestAt === undefined) continue;
				const key = c.participant ?? 'unknown';
				const sum = byParticipant.get(key) ?? { requests: 0, bytesUp: 0, bytesDown: 0, firstRequestAt: Infinity };
				byParticipant.set(key, {
					requests: sum.requests + c.requests,
					bytesUp: sum.bytesUp + c.bytesUp,
					bytesDown: sum.bytesDown + c.bytesDown,
					firstRequestAt: Math.min(sum.firstRequestAt, c.firstRequestAt)
				});
			}
			return byParticipant;
		},
		trace: () => events.map((line) => `${line}\n`).join(''),
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			})
	};
}

/** A run's trace of requests and answers (bench/relay-proxy.ts) as DIR/RUN.tsv. */
export function writeTrace(dir: string, run: string, trace: string): void {
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `${run}.tsv`);
	writeFileSync(file, `ms\tparticipant\tevent\tpath or bytes\tbody bytes\n${trace}`);
	console.log(`trace of run ${run}: ${file}`);
}

/** The participant a relay path names: `/join/S/P`, `/exchange/S/P`, `/send/S/FROM/TO`, `/recv/S/FROM/TO`; else undefined. */
export function participantOf(path: string): number | undefined {
	const match = /^\/(join|exchange|send|recv)\/[^/?]+\/(\d+)(?:\/(\d+))?/.exec(path);
	if (!match) return undefined;
	const [, route, first, second] = match;
	if (route === 'recv') return second === undefined ? undefined : Number(second);
	return Number(first);
}

/** Copies `from` to `to`, each chunk `delayMs` after it arrived, in order; `observe` sees each chunk on arrival. */
function forwardDelayed(from: Socket, to: Socket, delayMs: number, observe: (chunk: Buffer) => void): void {
	const queue: { due: number; chunk: Buffer }[] = [];
	let timer: NodeJS.Timeout | undefined;
	let ended = false;
	const flush = () => {
		timer = undefined;
		const now = performance.now();
		while (queue.length > 0 && queue[0].due <= now) to.write(queue.shift()!.chunk);
		if (queue.length > 0) timer = setTimeout(flush, queue[0].due - now);
		else if (ended) to.end();
	};
	from.on('data', (chunk: Buffer) => {
		observe(chunk);
		if (delayMs === 0) {
			to.write(chunk);
			return;
		}
		queue.push({ due: performance.now() + delayMs, chunk });
		timer ??= setTimeout(flush, delayMs);
	});
	from.on('end', () => {
		ended = true;
		if (timer === undefined) to.end();
	});
}

const CRLF = Buffer.from('\r\n');
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** What the next bytes of a request stream are. */
type FramerState =
	| { kind: 'head' }
	/** `left` bytes to skip (a body, a chunk's data and its CRLF), then `then`. */
	| { kind: 'skip'; left: number; then: 'head' | 'chunk-size' }
	| { kind: 'chunk-size' }
	/** Trailer lines after the last chunk, up to an empty line. */
	| { kind: 'trailer' };

/**
 * Splits a client's byte stream into HTTP/1.1 requests and calls `onRequest` with each
 * request's path when its head is complete. Bodies are skipped by Content-Length or by
 * chunked transfer coding, whatever the chunk boundaries of the stream.
 */
export class RequestFramer {
	private pending: Buffer = Buffer.alloc(0);
	private state: FramerState = { kind: 'head' };

	constructor(private readonly onRequest: (path: string, bodyBytes: number | 'chunked') => void) {}

	push(chunk: Buffer): void {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		while (this.step());
	}

	/** Consumes what it can of `pending`; false when it needs more bytes. */
	private step(): boolean {
		const state = this.state;
		if (state.kind === 'skip') {
			const take = Math.min(state.left, this.pending.length);
			this.pending = this.pending.subarray(take);
			state.left -= take;
			if (state.left > 0) return false;
			this.state = { kind: state.then };
			return true;
		}
		const separator = state.kind === 'head' ? CRLF_CRLF : CRLF;
		const end = this.pending.indexOf(separator);
		if (end < 0) return false;
		const text = this.pending.subarray(0, end).toString('latin1');
		this.pending = this.pending.subarray(end + separator.length);
		if (state.kind === 'head') this.state = this.head(text);
		else if (state.kind === 'trailer') this.state = text === '' ? { kind: 'head' } : state;
		else {
			const size = parseInt(text, 16);
			this.state = size === 0 ? { kind: 'trailer' } : { kind: 'skip', left: size + 2, then: 'chunk-size' };
		}
		return true;
	}

	private head(text: string): FramerState {
		const [requestLine, ...headers] = text.split('\r\n');
		const header = (name: string) => headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
		const path = requestLine.split(' ')[1] ?? '';
		if (header('transfer-encoding')?.toLowerCase().includes('chunked')) {
			this.onRequest(path, 'chunked');
			return { kind: 'chunk-size' };
		}
		const length = Number(header('content-length') ?? 0);
		this.onRequest(path, length);
		return length > 0 ? { kind: 'skip', left: length, then: 'head' } : { kind: 'head' };
	}
}
