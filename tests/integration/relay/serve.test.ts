import { Agent, get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, startProcess, startRelay } from '../../helpers';

const post = (url: string, body?: Uint8Array) => fetch(url, { method: 'POST', body: body as Uint8Array<ArrayBuffer> | undefined });

describe('polytune serve', () => {
	it('explains itself with --help and refuses unknown options with exit 64', async () => {
		const help = await runCli(['serve', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Usage: polytune serve [--host HOST] [--port PORT] [--store');
		const bad = await runCli(['serve', '--verbose']);
		expect(bad.code).toBe(64);
		expect(bad.stderr).toContain("Unknown option '--verbose'");
		const badEnv = await runCli(['serve', '--port', '0'], { env: { RELAY_MAX_SESSIONS: 'lots' } });
		expect(badEnv.code).toBe(64);
		expect(badEnv.stderr).toContain('RELAY_MAX_SESSIONS');
	});

	it('enforces the limits set in the environment with 413/429 texts that name them', async () => {
		const relay = await startRelay({ env: { RELAY_MAX_MESSAGE_BYTES: '1000', RELAY_MAX_SESSION_BYTES: '1500', RELAY_MAX_SESSIONS: '2' } });
		try {
			const big = await post(`${relay.url}/send/a/0/1`, new Uint8Array(1001));
			expect(big.status).toBe(413);
			expect(await big.text()).toMatch(/message too large: 1001 bytes, the limit is 1000 bytes \(RELAY_MAX_MESSAGE_BYTES\)/);
			expect((await post(`${relay.url}/send/a/0/1`, new Uint8Array(1000))).status).toBe(200);
			const full = await post(`${relay.url}/send/a/0/1`, new Uint8Array(600));
			expect(full.status).toBe(429);
			expect(await full.text()).toContain('RELAY_MAX_SESSION_BYTES');
			expect((await fetch(`${relay.url}/join/b/0`, { method: 'PUT' })).status).toBe(200);
			const third = await fetch(`${relay.url}/join/c/0`, { method: 'PUT' });
			expect(third.status).toBe(429);
			expect(await third.text()).toContain('RELAY_MAX_SESSIONS');
			expect((await post(`${relay.url}/recv/a/0/1`)).status).toBe(200);
		} finally {
			await relay.stop();
		}
	});

	it('ends long polls and exits 0 on SIGTERM', async () => {
		const relay = await startRelay();
		const pending = post(`${relay.url}/recv/s/0/1?wait=20000`);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const started = performance.now();
		relay.process.child.kill('SIGTERM');
		const answer = await pending;
		expect(answer.status).toBe(400);
		expect(answer.headers.get('x-relay-empty')).toBe('1');
		expect(await relay.process.exited).toEqual({ code: 0, signal: null });
		expect(performance.now() - started).toBeLessThan(4000);
	});

	it('keeps an idle connection open for a minute, longer than a party computes between requests', async () => {
		const relay = await startRelay();
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		const health = () =>
			new Promise<{ reused: boolean; keepAlive: unknown }>((resolve, reject) => {
				const request = get(`${relay.url}/health`, { agent }, (answer) => {
					answer.resume();
					answer.on('end', () => resolve({ reused: request.reusedSocket, keepAlive: answer.headers['keep-alive'] }));
				});
				request.on('error', reject);
			});
		try {
			expect(await health()).toEqual({ reused: false, keepAlive: 'timeout=65' });
			// Node's default would have closed it after 5 s.
			await new Promise((resolve) => setTimeout(resolve, 6000));
			expect(await health()).toEqual({ reused: true, keepAlive: 'timeout=65' });
		} finally {
			agent.destroy();
			await relay.stop();
		}
	});

	it('honours the original SOCKET_ADDRESS', async () => {
		const relay = startProcess(process.execPath, [`${ROOT}bin/polytune.js`, 'serve'], { env: { SOCKET_ADDRESS: '127.0.0.1:0', PORT: undefined, HOST: undefined } });
		try {
			const [, url] = await relay.waitFor(/polytune relay listening on (http:\/\/127\.0\.0\.1:\d+)/);
			expect((await fetch(`${url}/health`)).status).toBe(200);
		} finally {
			await relay.stop();
		}
	});
});

describe('node build (the same app without polytune serve)', () => {
	it('takes 3 MiB messages despite adapter-node’s default BODY_SIZE_LIMIT', async () => {
		const server = startProcess(process.execPath, ['build'], { env: { PORT: '0', HOST: '127.0.0.1', BODY_SIZE_LIMIT: undefined } });
		try {
			const [, url] = await server.waitFor(/Listening on (http:\/\/\S+)/);
			const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
			expect((await post(`${url}/send/s/0/1`, big)).status).toBe(200);
			const typed = await fetch(`${url}/send/s/0/1`, { method: 'POST', body: big, headers: { 'content-type': 'application/octet-stream' } });
			expect(typed.status).toBe(200);
			for (let i = 0; i < 2; i++) {
				const received = Buffer.from(await (await post(`${url}/recv/s/0/1`)).arrayBuffer());
				expect(received.equals(big)).toBe(true);
			}
			const tooBig = await post(`${url}/send/s/0/1`, new Uint8Array(16 * 1024 * 1024 + 1));
			expect(tooBig.status).toBe(413);
			expect(await tooBig.text()).toContain('RELAY_MAX_MESSAGE_BYTES');
		} finally {
			await server.stop();
		}
	});
});
