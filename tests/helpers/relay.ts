import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, startCli, type LiveProcess } from './process';
import { startRedis, type StartedRedis } from './redis';

export interface RelayOptions {
	/** Extra environment, e.g. `{ RELAY_MAX_MESSAGE_BYTES: '1000' }`; RELAY_* of the test process are not passed on. */
	env?: Record<string, string | undefined>;
	/** Extra `polytune serve` arguments, e.g. `['--store', redisUrl]`. */
	args?: string[];
	/** Port to listen on; default 0 = a free one the kernel picks (no race with other tests). */
	port?: number;
}

export interface StartedRelay {
	/** Base URL without a trailing slash, e.g. `http://127.0.0.1:41235`. */
	url: string;
	port: number;
	/** Stops the relay (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
	stop(): Promise<void>;
	/** Everything the relay printed so far (stdout and stderr). */
	output(): string;
	/** The underlying process, e.g. to wait for a log line with `process.waitFor(/…/)`. */
	process: LiveProcess;
}

/**
 * Starts the built relay and web app as a real process (`node bin/polytune.js serve`) on
 * 127.0.0.1 and resolves once it prints its listening line. Needs `npm run build` first.
 */
export async function startRelay(options: RelayOptions = {}): Promise<StartedRelay> {
	if (!existsSync(`${ROOT}build/handler.js`)) {
		throw new Error('build/ is missing: run `npm run build` first (npm test does it), then run the integration tests again.');
	}
	const inherited = Object.fromEntries(
		Object.keys(process.env)
			.filter((name) => name.startsWith('RELAY_') || ['HOST', 'PORT', 'SOCKET_ADDRESS', 'BODY_SIZE_LIMIT'].includes(name))
			.map((name) => [name, undefined])
	);
	const relay = startCli(['serve', '--host', '127.0.0.1', '--port', String(options.port ?? 0), ...(options.args ?? [])], {
		env: { ...inherited, ...options.env }
	});
	let match: RegExpMatchArray;
	try {
		match = await relay.waitFor(/polytune relay listening on (http:\/\/\S+)/);
	} catch (error) {
		await relay.stop('SIGKILL');
		throw error;
	}
	const url = match[1];
	return {
		url,
		port: Number(new URL(url).port),
		stop: async () => void (await relay.stop()),
		output: relay.output,
		process: relay
	};
}

/** The parties the relay lists as joined in `session`. */
export async function joinedParties(relayUrl: string, session: string): Promise<number[]> {
	const response = await fetch(`${relayUrl}/participants/${session}`);
	return (await response.json()) as number[];
}

export interface RelaysOnEachStore {
	memory: StartedRelay;
	redis: StartedRelay;
	/** The throw-away Redis behind `redis`. */
	redisServer: StartedRedis;
}

/**
 * A relay with the memory store and one with a throw-away Redis, for the tests of a file: set
 * once `beforeAll` has run, stopped after all of them.
 */
export function useRelayOnEachStore(options: RelayOptions = {}): RelaysOnEachStore {
	const testbed = {} as RelaysOnEachStore;
	beforeAll(async () => {
		testbed.redisServer = await startRedis();
		const args = options.args ?? [];
		[testbed.memory, testbed.redis] = await Promise.all([startRelay(options), startRelay({ ...options, args: [...args, '--store', testbed.redisServer.url] })]);
	});
	afterAll(async () => {
		await Promise.all([testbed.memory?.stop(), testbed.redis?.stop()]);
		await testbed.redisServer?.stop();
	});
	return testbed;
}
