/**
 * Runs tasks one after another per key while tasks for different keys run in parallel.
 * Keys with nothing pending take no memory.
 */
export class KeyedSerial {
	private readonly tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		const result = previous.then(task, task);
		const tail = result.then(
			() => undefined,
			() => undefined
		);
		this.tails.set(key, tail);
		void tail.then(() => {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		});
		return result;
	}

	/** Resolves once every task started so far has finished. */
	async idle(): Promise<void> {
		while (this.tails.size > 0) await Promise.all(this.tails.values());
	}

	get size(): number {
		return this.tails.size;
	}
}
