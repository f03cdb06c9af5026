// Loaded into every participant process of `npm run bench:relay` (`node --import`): notes
// when the process makes its first HTTP request, and when it exits writes that time, when
// the party had its circuit ready (the mark CIRCUIT_READY_MARK of src/lib/party/session.ts)
// and its CPU time by then (read when the mark's observer runs, as soon as the party yields),
// its CPU time and its peak memory as JSON to the file named by POLYTUNE_BENCH_PROBE. Plain
// JavaScript, so that it adds next to nothing to the start-up it measures.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const file = process.env.POLYTUNE_BENCH_PROBE;
const READY_MARK = 'polytune: circuit ready';
if (file) {
	/** Milliseconds from the process's start (performance's time origin) to its first request. */
	let firstRequestMs;
	// The CLI's requests go through node:http (src/node/http-fetch.ts); fetch (undici) is watched too.
	const channels = ['http.client.request.start', 'undici:request:create'];
	const onRequest = () => {
		firstRequestMs ??= performance.now();
		channels.forEach((name) => unsubscribe(name, onRequest));
	};
	channels.forEach((name) => subscribe(name, onRequest));
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
		writeFileSync(file, JSON.stringify({ cpuMs: cpuMs(), readyCpuMs, peakRssKiB: process.resourceUsage().maxRSS, ownFirstRequestMs: firstRequestMs, ownReadyMs }));
	});
}
