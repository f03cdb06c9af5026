// Loaded into every participant process of `npm run bench:relay` (`node --import`): notes
// when the process makes its first HTTP request, and when it exits writes that time, when
// the party had its circuit ready (the mark CIRCUIT_READY_MARK of src/lib/party/session.ts),
// its CPU time and its peak memory as JSON to the file named by POLYTUNE_BENCH_PROBE. Plain
// JavaScript, so that it adds next to nothing to the start-up it measures.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const file = process.env.POLYTUNE_BENCH_PROBE;
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
	process.on('exit', () => {
		const usage = process.resourceUsage();
		const ownReadyMs = performance.getEntriesByName('polytune: circuit ready', 'mark')[0]?.startTime;
		writeFileSync(file, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssKiB: usage.maxRSS, ownFirstRequestMs: firstRequestMs, ownReadyMs }));
	});
}
