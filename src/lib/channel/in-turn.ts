/**
 * Runs `work` every `ms`, but never twice at once: a tick that comes while the last run is still
 * going is skipped. For periodic requests to the relay (heartbeats, presence looks): while the
 * relay is away each one retries for minutes, and starting one at every tick would pile up
 * dozens, each holding its retries and its listeners. Stop it with clearInterval.
 */
export function repeatInTurn(work: () => Promise<unknown>, ms: number): ReturnType<typeof setInterval> {
	let running = false;
	return setInterval(() => {
		if (running) return;
		running = true;
		void work()
			.catch(() => {})
			.finally(() => (running = false));
	}, ms);
}
