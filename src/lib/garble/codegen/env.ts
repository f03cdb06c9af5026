/** Variables during code generation: their wires and the type those wires are laid out in. */
import { ScopeStack } from '../scopes';
import type { Type } from '../types';
import type { Gates, Wire } from '../circuit/gates';

/** A value's wires, most significant bit first, in the layout of its type (see layout.ts). */
export type Word = readonly Wire[];

export interface Var {
	readonly wires: Word;
	readonly ty: Type;
}

type Snapshot = readonly ReadonlyMap<string, Var>[];

export class Scopes extends ScopeStack<Var> {
	/**
	 * Wires that only their variable refers to, so that an assignment to one of their elements
	 * may update them in place. A variable's wires join when an assignment made them afresh, and
	 * leave when the variable is read as a whole (the reader may keep them) or a snapshot shares
	 * them. `get` looks a variable up without taking its wires.
	 */
	private owned = new WeakSet<Word>();

	/** The variable `name`, read as a whole value: its wires may be kept by the reader. */
	read(name: string): Var | undefined {
		const v = this.get(name);
		if (v) this.owned.delete(v.wires);
		return v;
	}

	/** True when only the variable they belong to refers to `wires`. */
	owns(wires: Word): boolean {
		return this.owned.has(wires);
	}

	/** Gives an existing (mutable) variable new wires; `fresh` when nothing else refers to them. */
	assign(name: string, wires: Word, fresh = false): void {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const v = this.scopes[i].get(name);
			if (v) {
				this.scopes[i].set(name, { wires, ty: v.ty });
				if (fresh) this.owned.add(wires);
				return;
			}
		}
		throw new Error(`assignment to unknown variable ${name}`);
	}

	snapshot(): Snapshot {
		this.owned = new WeakSet();
		return this.scopes.map((scope) => new Map(scope));
	}

	restore(snapshot: Snapshot): void {
		this.scopes = snapshot.map((scope) => new Map(scope));
	}

	/**
	 * After alternative branches ran from the state `before`, sets each variable to its value
	 * in the branch that was taken. Exactly one `sel` is 1; the last branch is also taken when
	 * none is, so its `sel` is only used when that makes fewer gates.
	 */
	merge(gates: Gates, before: Snapshot, branches: readonly { sel: Wire; state: Snapshot }[]): void {
		const last = branches[branches.length - 1].state;
		this.scopes = before.map((scope, depth) => {
			const merged = new Map(scope);
			for (const [name, v] of scope) {
				const values = branches.map(({ sel, state }) => ({ sel, value: state[depth].get(name)!.wires }));
				const fallback = last[depth].get(name)!.wires;
				const fromBefore = values.filter(({ value }) => value !== v.wires);
				const fromLast = values.slice(0, -1).filter(({ value }) => value !== fallback);
				const wires =
					fromBefore.length < fromLast.length ? selectWord(gates, v.wires, fromBefore) : selectWord(gates, fallback, fromLast);
				merged.set(name, { wires, ty: v.ty });
			}
			return merged;
		});
	}
}

/**
 * `base`, except where one of `choices` is selected (at most one is): then its value. Only
 * bits that differ from `base` cost a gate: base ⊕ Σ sel·(value ⊕ base).
 */
export function selectWord(gates: Gates, base: Word, choices: readonly { sel: Wire; value: Word }[]): Word {
	let out: Wire[] | null = null;
	for (const { sel, value } of choices) {
		if (value === base) continue;
		for (let b = 0; b < base.length; b++) {
			if (value[b] === base[b]) continue;
			out ??= [...base];
			out[b] = gates.xor(out[b], gates.and(sel, gates.xor(value[b], base[b])));
		}
	}
	return out ?? base;
}
