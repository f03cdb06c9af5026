/** Runs `task` once the current turn of the event loop (its promise jobs and pending I/O) is over. */
export const nextTurn: (task: () => void) => void = (() => {
	const immediate = (globalThis as { setImmediate?: (task: () => void) => unknown }).setImmediate;
	return immediate ? (task) => void immediate(task) : (task) => void setTimeout(task, 0);
})();

/** Resolves after the current turn of the event loop, so that a request just started can leave before a long computation holds the thread. */
export function turnPassed(): Promise<void> {
	return new Promise((resolve) => nextTurn(resolve));
}
