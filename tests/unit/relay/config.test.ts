import { describe, expect, it } from 'vitest';
import { configFromEnv, DEFAULT_CONFIG, formatBytes } from '../../../src/lib/server/relay/config';
import { listenAddress } from '../../../src/cli/commands/serve';
import { UsageError } from '../../../src/cli/command';

describe('relay configuration', () => {
	it('has defaults that let a 3 MiB message through', () => {
		expect(configFromEnv({})).toEqual(DEFAULT_CONFIG);
		expect(DEFAULT_CONFIG.maxMessageBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
	});

	it('reads every limit from the environment, seconds where the name says so', () => {
		const config = configFromEnv({
			RELAY_MAX_MESSAGE_BYTES: '1000',
			RELAY_MAX_INFO_BYTES: '200',
			RELAY_MAX_SESSION_BYTES: '5000',
			RELAY_MAX_TOTAL_BYTES: '9000',
			RELAY_MAX_SESSIONS: '7',
			RELAY_SESSION_TTL_SECONDS: '90',
			RELAY_MAX_WAIT_MS: '1500',
			RELAY_SWEEP_SECONDS: '5',
			RELAY_SLOT_LEASE_SECONDS: '30',
			RELAY_STORE: 'redis://127.0.0.1:6379/2'
		});
		expect(config).toEqual({
			maxMessageBytes: 1000,
			maxInfoBytes: 200,
			maxSessionBytes: 5000,
			maxTotalBytes: 9000,
			maxSessions: 7,
			sessionTtlMs: 90_000,
			maxWaitMs: 1500,
			sweepIntervalMs: 5000,
			slotLeaseMs: 30_000,
			store: 'redis://127.0.0.1:6379/2'
		});
	});

	it('names the variable of a bad value', () => {
		expect(() => configFromEnv({ RELAY_MAX_SESSIONS: 'many' })).toThrow(/RELAY_MAX_SESSIONS .*'many'/);
		expect(() => configFromEnv({ RELAY_MAX_MESSAGE_BYTES: '0' })).toThrow(/RELAY_MAX_MESSAGE_BYTES/);
		expect(() => configFromEnv({ RELAY_MAX_WAIT_MS: '99999999' })).toThrow(/RELAY_MAX_WAIT_MS/);
		expect(() => configFromEnv({ RELAY_STORE: 'postgres://x' })).toThrow(/RELAY_STORE must be 'memory' or a redis:\/\/ URL/);
	});

	it('refuses a session lifetime that a long poll could outlast, naming both variables', () => {
		expect(() => configFromEnv({ RELAY_SESSION_TTL_SECONDS: '59' })).toThrow(/RELAY_SESSION_TTL_SECONDS \(59 s\) must be at least twice RELAY_MAX_WAIT_MS \(30000 ms\)/);
		expect(() => configFromEnv({ RELAY_SESSION_TTL_SECONDS: '3', RELAY_MAX_WAIT_MS: '2000' })).toThrow(/expire while its parties wait/);
		expect(configFromEnv({ RELAY_SESSION_TTL_SECONDS: '4', RELAY_MAX_WAIT_MS: '2000' })).toMatchObject({ sessionTtlMs: 4000, maxWaitMs: 2000 });
	});

	it('formats byte counts for people', () => {
		expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(1024 ** 3)).toBe('1 GiB');
		expect(formatBytes(300)).toBe('300 bytes');
	});
});

describe('polytune serve address', () => {
	it('defaults to 127.0.0.1:8000 like the original', () => {
		expect(listenAddress([], {})).toEqual({ host: '127.0.0.1', port: 8000, store: undefined });
	});

	it('takes flags over HOST/PORT over SOCKET_ADDRESS', () => {
		const env = { SOCKET_ADDRESS: '0.0.0.0:9000' };
		expect(listenAddress([], env)).toMatchObject({ host: '0.0.0.0', port: 9000 });
		expect(listenAddress([], { ...env, PORT: '9100' })).toMatchObject({ host: '0.0.0.0', port: 9100 });
		expect(listenAddress([], { ...env, HOST: '::1' })).toMatchObject({ host: '::1', port: 9000 });
		expect(listenAddress(['--port', '0', '--host=localhost'], { ...env, PORT: '9100' })).toMatchObject({ host: 'localhost', port: 0 });
		expect(listenAddress([], { SOCKET_ADDRESS: '[::1]:8080' })).toMatchObject({ host: '::1', port: 8080 });
		expect(listenAddress(['--store', 'redis://localhost:6379'], {}).store).toBe('redis://localhost:6379');
	});

	it('refuses bad addresses and options with a usage error that names them', () => {
		expect(() => listenAddress(['--port', '70000'], {})).toThrow(/--port must be a port number/);
		expect(() => listenAddress([], { PORT: 'http' })).toThrow(/PORT must be a port number/);
		expect(() => listenAddress([], { SOCKET_ADDRESS: 'nonsense' })).toThrow(/SOCKET_ADDRESS must look like/);
		expect(() => listenAddress(['--verbose'], {})).toThrow(UsageError);
		expect(() => listenAddress(['--store', 'mysql://x'], {})).toThrow(/--store must be/);
	});
});
