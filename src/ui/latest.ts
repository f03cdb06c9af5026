/**
 * Wraps an async function so that an answer is delivered only if no newer call was made
 * meanwhile (older answers resolve to undefined): typing fast never shows stale results.
 */
export function latestOnly<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
	let newest = 0;
	return async (...args: A) => {
		const call = ++newest;
		const result = await fn(...args);
		return call === newest ? result : undefined;
	};
}
