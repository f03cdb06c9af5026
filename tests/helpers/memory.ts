// Garbage collection on demand, for tests that check what a computation keeps alive.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A full garbage collection once the current task is over: objects that a WeakRef was
 * created for or read in this task stay alive until its end (ECMAScript's kept objects).
 */
export async function collectGarbage(): Promise<void> {
	await new Promise((resolve) => setImmediate(resolve));
	gc();
}
