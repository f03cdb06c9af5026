/** Nested lexical scopes: names bound in inner scopes shadow outer ones and vanish with them. */
export class ScopeStack<T> {
	protected scopes: Map<string, T>[] = [new Map()];

	get(name: string): T | undefined {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const value = this.scopes[i].get(name);
			if (value !== undefined) return value;
		}
		return undefined;
	}

	bind(name: string, value: T): void {
		this.scopes[this.scopes.length - 1].set(name, value);
	}

	/** Runs `body` in a new innermost scope. */
	scoped<R>(body: () => R): R {
		this.scopes.push(new Map());
		try {
			return body();
		} finally {
			this.scopes.pop();
		}
	}
}
