import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDuration } from '../../lib/channel/http';
import { configFromEnv, parseStoreSetting } from '../../lib/server/relay/config';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Command } from '../command';

/** How long open requests (long polls) get to finish after SIGINT/SIGTERM. */
const SHUTDOWN_GRACE_MS = 5000;
/**
 * How long an idle keep-alive connection stays open (Node's default is 5 s). A party computes
 * for seconds between its requests, its event loop busy, so it cannot close an idle connection
 * on time (its client would at 4 s): with 5 s, its next request often met a connection the
 * relay had just closed, and a large request had to be sent again. Clients learn the value
 * from the Keep-Alive header; headers may take a little longer, as Node advises.
 */
const KEEP_ALIVE_MS = 65_000;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export const serve: Command = {
	help: `Usage: polytune serve [--host HOST] [--port PORT] [--store memory|redis://HOST:PORT/DB]

Starts the relay that parties talk through, with the web app, on http://127.0.0.1:8000
unless told otherwise. It is the same server as \`node build\` after \`npm run build\`;
if build/ is missing, it builds the app once first.

Options:
  --host HOST     address to listen on (env HOST; default 127.0.0.1; 0.0.0.0 for all)
  --port PORT     port to listen on, 0 for any free one (env PORT; default 8000)
  --store STORE   where sessions live: memory (default), or a Redis URL to share
                  sessions between several relays (env RELAY_STORE)
The original's SOCKET_ADDRESS=host:port is honoured too; flags win over the environment.

Limits (environment; see docs/relay.md):
  RELAY_MAX_MESSAGE_BYTES    largest message (default 16 MiB)
  RELAY_MAX_INFO_BYTES       largest session info blob (default 1 MiB)
  RELAY_MAX_SESSION_BYTES    bytes one session may hold (default 256 MiB)
  RELAY_MAX_TOTAL_BYTES      bytes all sessions may hold (default 1 GiB)
  RELAY_MAX_SESSIONS         live sessions (default 10000)
  RELAY_SESSION_TTL_SECONDS  idle time after which a session is deleted (default 3600)
  RELAY_MAX_WAIT_MS          longest long poll (default 30000)

Prints one line, "polytune relay listening on <url>", once it accepts requests.
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.`,

	async run(args) {
		const listen = listenAddress(args, process.env);
		// The app reads its settings from the environment when it is loaded, so set them first.
		if (listen.store) process.env.RELAY_STORE = listen.store;
		let limit: number;
		try {
			const config = configFromEnv(process.env);
			limit = Math.max(config.maxMessageBytes, config.maxInfoBytes);
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
		// adapter-node refuses larger bodies before the relay sees them: let the relay's limit rule.
		process.env.BODY_SIZE_LIMIT ??= String(limit);
		const app = appFiles();
		if (!ensureBuilt(app)) return EXIT_FAILURE;
		const { handler } = (await import(pathToFileURL(app.handler).href)) as { handler: Middleware };
		return runServer(handler, listen.host, listen.port);
	}
};

interface ListenAddress {
	host: string;
	port: number;
	store?: string;
}

/** Flags, then HOST/PORT, then the original's SOCKET_ADDRESS, then 127.0.0.1:8000. */
export function listenAddress(args: string[], env: Record<string, string | undefined>): ListenAddress {
	let values: { host?: string; port?: string; store?: string };
	try {
		({ values } = parseArgs({ args, options: { host: { type: 'string' }, port: { type: 'string' }, store: { type: 'string' } }, strict: true, allowPositionals: false }));
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const socket = env.SOCKET_ADDRESS ? parseSocketAddress(env.SOCKET_ADDRESS) : undefined;
	const host = values.host ?? env.HOST ?? socket?.host ?? '127.0.0.1';
	const portText = values.port ?? env.PORT ?? socket?.port ?? '8000';
	const source = values.port !== undefined ? '--port' : env.PORT !== undefined ? 'PORT' : 'SOCKET_ADDRESS';
	if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
		throw new UsageError(`${source} must be a port number from 0 to 65535, got '${portText}'`);
	}
	if (host === '') throw new UsageError('the host must not be empty');
	let store: string | undefined;
	if (values.store !== undefined) {
		try {
			store = parseStoreSetting(values.store, '--store');
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
	}
	return { host, port: Number(portText), store };
}

/** `127.0.0.1:8000` or `[::1]:8000`, as the original's SOCKET_ADDRESS. */
function parseSocketAddress(value: string): { host: string; port: string } {
	const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value.trim());
	if (!match) throw new UsageError(`SOCKET_ADDRESS must look like 127.0.0.1:8000 or [::1]:8000, got '${value}'`);
	return { host: match[1] ?? match[2], port: match[3] };
}

interface AppFiles {
	root: string;
	handler: string;
	vite: string;
}

/**
 * The built app and vite, in the nearest folder above this module that has a package.json:
 * the repository root both from src/cli/commands and from the CLI bundle in dist/cli.
 */
function appFiles(): AppFiles {
	let root = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
	return { root, handler: join(root, 'build', 'handler.js'), vite: join(root, 'node_modules', 'vite', 'bin', 'vite.js') };
}

/** Builds the app once when build/ is missing; false (after saying why) if that cannot be done. */
function ensureBuilt({ root, handler, vite }: AppFiles): boolean {
	if (existsSync(handler)) return true;
	if (!existsSync(vite)) {
		console.error(`polytune serve: the app is not built (${handler} is missing) and vite is not installed: run \`npm install && npm run build\` first.`);
		return false;
	}
	console.error('polytune serve: build/ is missing, building the app once with `vite build` (a minute or so)…');
	const started = performance.now();
	// Vite's listing of every file it wrote is shown only if the build fails.
	const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
	if (result.status === 0 && existsSync(handler)) {
		console.error(`polytune serve: built the app in ${formatDuration(Math.round(performance.now() - started))}`);
		return true;
	}
	process.stderr.write(result.stdout ?? '');
	process.stderr.write(result.stderr ?? '');
	console.error(`polytune serve: \`vite build\` failed${result.error ? ` (${result.error.message})` : ' (see above)'}; fix it and run \`npm run build\`.`);
	return false;
}

function runServer(handler: Middleware, host: string, port: number): Promise<number> {
	let stopping = false;
	const server = createServer((req, res) => {
		// While stopping, close each keep-alive connection as soon as its answer is out.
		res.once('finish', () => stopping && server.closeIdleConnections());
		handler(req, res, () => {
			res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
		});
	});
	server.keepAliveTimeout = KEEP_ALIVE_MS;
	server.headersTimeout = KEEP_ALIVE_MS + 1000;
	return new Promise((resolve) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			console.error(`polytune serve: cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message}`);
			resolve(EXIT_FAILURE);
		});
		server.listen(port, host, () => {
			const { address, port: actual } = server.address() as AddressInfo;
			console.log(`polytune relay listening on http://${address.includes(':') ? `[${address}]` : address}:${actual}`);
			const stop = (signal: NodeJS.Signals) => {
				process.off('SIGINT', stop).off('SIGTERM', stop);
				stopping = true;
				server.close(() => resolve(EXIT_OK));
				server.closeIdleConnections();
				// The relay ends its long polls and closes its store (as after adapter-node's shutdown).
				(process as NodeJS.EventEmitter).emit('sveltekit:shutdown', signal);
				setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
			};
			process.on('SIGINT', stop).on('SIGTERM', stop);
		});
	});
}
