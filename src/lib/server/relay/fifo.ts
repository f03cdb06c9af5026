/** A first-in first-out queue with O(1) push, shift and unshift (amortised). */
export class Fifo<T> {
	private items: T[] = [];
	private head = 0;

	get length(): number {
		return this.items.length - this.head;
	}

	push(item: T): void {
		this.items.push(item);
	}

	shift(): T | undefined {
		if (this.head >= this.items.length) return undefined;
		const item = this.items[this.head];
		this.items[this.head++] = undefined as T;
		// Drop the consumed prefix once it is most of the array, so memory stays bounded.
		if (this.head > 64 && this.head * 2 > this.items.length) {
			this.items = this.items.slice(this.head);
			this.head = 0;
		}
		return item;
	}

	unshift(item: T): void {
		if (this.head > 0) this.items[--this.head] = item;
		else this.items.unshift(item);
	}
}
