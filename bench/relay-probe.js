// Loaded into every participant process of `npm run bench:relay` (`node --import`): notes
// when the process makes its first HTTP request and what all its requests carry, and when it
// exits writes those figures, when the party had its circuit ready (the mark
// CIRCUIT_READY_MARK of src/lib/party/marks.ts) and its CPU time by then (read when the
// mark's observer runs, as soon as the party yields), when its handshake with its peers was done
// (SET_UP_MARK), its CPU time, its peak memory and its
// clock's origin as JSON to the file named by POLYTUNE_BENCH_PROBE. Plain JavaScript, so
// that it adds next to nothing to the start-up it measures.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const file = process.env.POLYTUNE_BENCH_PROBE;
const READY_MARK = 'polytune: circuit ready';
const SET_UP_MARK = 'polytune: set up';
if (file) {
	/** Milliseconds from the process's start (performance's time origin) to its first request. */
	let firstRequestMs;
	/**
	 * The traffic of node:http's requests (the CLI's, src/node/http-fetch.ts): their count, and
	 * the bytes of every connection they used (request heads and bodies up, answers down: what
	 * crosses the network, as a proxy between the process and the relay counts it). A socket
	 * keeps its counts after it closes.
	 */
	let requests = 0;
	const sockets = new Set();
	// Published when a request starts on its socket (a queued one once it has one).
	subscribe('http.client.request.start', ({ request }) => {
		firstRequestMs ??= performance.now();
		requests++;
		sockets.add(request.socket);
	});
	// fetch (undici) is watched for the first request only.
	const onFetch = () => {
		firstRequestMs ??= performance.now();
		unsubscribe('undici:request:create', onFetch);
	};
	subscribe('undici:request:create', onFetch);
	const cpuMs = () => {
		const usage = process.resourceUsage();
		return (usage.userCPUTime + usage.systemCPUTime) / 1000;
	};
	/** CPU time when the circuit was ready: what the run itself costs is the rest. */
	let readyCpuMs;
	const observer = new PerformanceObserver((list) => {
		if (list.getEntriesByName(READY_MARK).length === 0) return;
		readyCpuMs = cpuMs();
		observer.disconnect();
	});
	observer.observe({ entryTypes: ['mark'] });
	process.on('exit', () => {
		const ownReadyMs = performance.getEntriesByName(READY_MARK, 'mark')[0]?.startTime;
		const ownSetUpMs = performance.getEntriesByName(SET_UP_MARK, 'mark')[0]?.startTime;
		let bytesUp = 0;
		let bytesDown = 0;
		for (const socket of sockets) {
			bytesUp += socket.bytesWritten;
			bytesDown += socket.bytesRead;
		}
		writeFileSync(
			file,
			JSON.stringify({
				timeOrigin: performance.timeOrigin,
				cpuMs: cpuMs(),
				readyCpuMs,
				peakRssKiB: process.resourceUsage().maxRSS,
				ownFirstRequestMs: firstRequestMs,
				ownReadyMs,
				ownSetUpMs,
				requests,
				bytesUp,
				bytesDown
			})
		);
	});
}
