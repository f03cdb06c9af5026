/**
 * Per-queue wake-ups inside one process: a receiver registers for its queue, a push to that
 * queue wakes it. No timers and no polling; a woken receiver looks at the queue again.
 */
export class WakeRegistry {
	private readonly waiting = new Map<string, Set<() => void>>();

	/** Registers for the next wake-up of `key`; call `cancel` when no longer waiting. */
	watch(key: string): { woken: Promise<void>; cancel(): void } {
		let wake!: () => void;
		const woken = new Promise<void>((resolve) => (wake = resolve));
		let set = this.waiting.get(key);
		if (!set) this.waiting.set(key, (set = new Set()));
		set.add(wake);
		const cancel = () => {
			const current = this.waiting.get(key);
			if (!current?.delete(wake) || current.size > 0) return;
			this.waiting.delete(key);
		};
		return { woken, cancel };
	}

	wake(key: string): void {
		const set = this.waiting.get(key);
		if (!set) return;
		this.waiting.delete(key);
		for (const wake of set) wake();
	}

	/** Makes every waiter look again, e.g. after wake-ups may have been missed. */
	wakeAll(): void {
		const sets = [...this.waiting.values()];
		this.waiting.clear();
		for (const set of sets) for (const wake of set) wake();
	}

	/** Number of queues with a waiter (for tests of bounded memory). */
	get size(): number {
		return this.waiting.size;
	}
}
