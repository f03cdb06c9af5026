// bench/relay-probe.js, which bench:relay loads into every participant process: its traffic
// figures must be what crossed the network, as the server on the other end saw it, and its
// times must be on the process's own clock, whose origin it reports.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('../../../bench/relay-probe.js', import.meta.url));
const READY_MARK = 'polytune: circuit ready';

interface ProbeFigures {
	timeOrigin: number;
	cpuMs: number;
	readyCpuMs?: number;
	ownFirstRequestMs?: number;
	ownReadyMs?: number;
	requests: number;
	bytesUp: number;
	bytesDown: number;
}

/** Runs `script` (an ES module's text) in a process with the probe; resolves with what the probe wrote. */
function probed(script: string): Promise<{ figures: ProbeFigures; spawnedAtEpoch: number; exitedAtEpoch: number }> {
	const dir = mkdtempSync(join(tmpdir(), 'polytune-probe-'));
	const file = join(dir, 'probe.json');
	const spawnedAtEpoch = performance.timeOrigin + performance.now();
	const child = spawn(process.execPath, ['--import', PROBE, '--input-type=module', '-e', script], { env: { ...process.env, POLYTUNE_BENCH_PROBE: file }, stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
	return new Promise((resolve, reject) => {
		child.once('close', (code) => {
			const exitedAtEpoch = performance.timeOrigin + performance.now();
			try {
				if (code !== 0) throw new Error(`the probed script exited ${code}: ${stderr}`);
				resolve({ figures: JSON.parse(readFileSync(file, 'utf8')) as ProbeFigures, spawnedAtEpoch, exitedAtEpoch });
			} catch (error) {
				reject(error);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});
}

describe('the bench:relay probe', () => {
	let server: Server;
	let url: string;
	/** Every connection the server accepted: their byte counts are what crossed the network. */
	const connections: Socket[] = [];
	beforeAll(async () => {
		// Answers every request with as many bytes as its path says, after reading its body.
		server = createServer((req, res) => {
			req.resume();
			req.on('end', () => res.end(Buffer.alloc(Number(req.url!.slice(1)), 7)));
		});
		server.on('connection', (socket) => connections.push(socket));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('counts the requests and the bytes of their connections each way, on kept-alive and fresh connections', async () => {
		connections.length = 0;
		// Two requests on one kept-alive connection (sent at once, so that the second waits for
		// the socket), one on a connection of its own; bodies of different sizes up and down.
		const script = `
			import { Agent, request } from 'node:http';
			const send = (agent, path, body) => new Promise((resolve, reject) => {
				const req = request(${JSON.stringify(url)} + path, { method: 'POST', agent }, (res) => { res.resume(); res.on('end', resolve); });
				req.on('error', reject);
				req.end(Buffer.alloc(body, 1));
			});
			const kept = new Agent({ keepAlive: true, maxSockets: 1 });
			await Promise.all([send(kept, '/70000', 1000), send(kept, '/5', 300000)]);
			kept.destroy();
			await send(new Agent({ keepAlive: false }), '/123', 0);
		`;
		const { figures } = await probed(script);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(connections).toHaveLength(2);
		expect(figures.requests).toBe(3);
		expect(figures.bytesUp).toBe(connections.reduce((sum, socket) => sum + socket.bytesRead, 0));
		expect(figures.bytesDown).toBe(connections.reduce((sum, socket) => sum + socket.bytesWritten, 0));
		expect(figures.bytesUp).toBeGreaterThan(301_000);
		expect(figures.bytesDown).toBeGreaterThan(70_128);
	});

	it('reports its times from its own start, whose time since the epoch it gives, and its CPU time at the ready mark', async () => {
		const script = `
			import { request } from 'node:http';
			const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
			// By CPU time: on a busy machine a spin by the clock may get less of it.
			const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
			const spinCpu = (ms) => { const end = cpu() + ms; while (cpu() < end); };
			spin(40);
			await new Promise((resolve) => request(${JSON.stringify(url)} + '/1', (res) => { res.resume(); res.on('end', resolve); }).end());
			spin(40);
			performance.mark(${JSON.stringify(READY_MARK)});
			await new Promise((resolve) => setTimeout(resolve, 10));
			spinCpu(60);
		`;
		const { figures, spawnedAtEpoch, exitedAtEpoch } = await probed(script);
		expect(figures.timeOrigin).toBeGreaterThanOrEqual(spawnedAtEpoch - 5);
		expect(figures.timeOrigin).toBeLessThan(exitedAtEpoch);
		expect(figures.ownFirstRequestMs).toBeGreaterThanOrEqual(40);
		expect(figures.ownReadyMs).toBeGreaterThanOrEqual(figures.ownFirstRequestMs! + 40);
		expect(figures.timeOrigin + figures.ownReadyMs!).toBeLessThan(exitedAtEpoch);
		// The 60 ms of CPU after the mark are what the run itself spends.
		expect(figures.cpuMs - figures.readyCpuMs!).toBeGreaterThanOrEqual(55);
		expect(figures.requests).toBe(1);
	});
});
