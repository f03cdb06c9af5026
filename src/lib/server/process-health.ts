/** What `/health` says about the relay process itself, so that leaks show from outside. */
export interface ProcessHealth {
	/** V8 heap in use; after a full collection when the process runs with `--expose-gc`. */
	heapUsedBytes: number;
	rssBytes: number;
	/** Whether a full collection ran first (only with `node --expose-gc`, meant for soak tests, not public relays). */
	collected: boolean;
	/** Open handles and pending requests by kind (timers, sockets, …): these must not grow with the sessions served. */
	activeResources: Record<string, number>;
}

export function processHealth(): ProcessHealth {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const memory = process.memoryUsage();
	const activeResources: Record<string, number> = {};
	for (const kind of process.getActiveResourcesInfo()) activeResources[kind] = (activeResources[kind] ?? 0) + 1;
	return { heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, collected: gc !== undefined, activeResources };
}
