/**
 * Resolves once `turns` turns of the event loop pass without `activity()` changing. In-process
 * parties compute synchronously between awaits, so then all of them wait for a message.
 */
export async function untilQuiet(activity: () => number, turns: number): Promise<void> {
	let quiet = 0;
	let seen = activity();
	while (quiet < turns) {
		await new Promise((resolve) => setImmediate(resolve));
		if (activity() === seen) quiet++;
		else {
			seen = activity();
			quiet = 0;
		}
	}
}
