import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { startProcess, type LiveProcess } from './process';

export interface RedisOptions {
	/** Port to listen on (e.g. the port of a Redis you stopped, to restart it); default: a free one. */
	port?: number;
}

export interface StartedRedis {
	/** `redis://127.0.0.1:<port>/0` */
	url: string;
	port: number;
	/** Stops Redis and deletes its working directory. */
	stop(): Promise<void>;
	output(): string;
}

/** The redis-server binary: REDIS_SERVER_PATH, else Debian's /usr/bin/redis-server. */
export function redisServerPath(): string {
	return process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
}

/**
 * Starts a throw-away `redis-server` on 127.0.0.1 with no persistence (`--save ''
 * --appendonly no`) in a temporary directory that `stop` deletes, and resolves once it
 * accepts connections.
 */
export async function startRedis(options: RedisOptions = {}): Promise<StartedRedis> {
	const binary = redisServerPath();
	if (!existsSync(binary)) {
		throw new Error(`redis-server not found at ${binary}: install the Debian package redis-server (npm test does it as root) or set REDIS_SERVER_PATH.`);
	}
	// A free port can be taken by someone else before Redis binds it; then try another.
	for (let attempt = 1; ; attempt++) {
		const port = options.port ?? (await freePort());
		const dir = await mkdtemp(join(tmpdir(), 'polytune-redis-'));
		const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', '--daemonize', 'no'];
		const server = startProcess(binary, args, { cwd: dir });
		try {
			await server.waitFor(/Ready to accept connections/, 15_000);
			return started(server, port, dir);
		} catch (error) {
			await server.stop('SIGKILL');
			await rm(dir, { recursive: true, force: true });
			if (options.port !== undefined || attempt === 3 || !/Address already in use/.test(server.output())) throw error;
		}
	}
}

function started(server: LiveProcess, port: number, dir: string): StartedRedis {
	return {
		url: `redis://127.0.0.1:${port}/0`,
		port,
		output: server.output,
		stop: async () => {
			await server.stop();
			await rm(dir, { recursive: true, force: true });
		}
	};
}
