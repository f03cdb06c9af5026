/**
 * A gate builder with constant folding, structural hashing and dead-gate removal. Wires 0 and
 * 1 are the constants, 2 … 2+n−1 the input bits; `build` renumbers to the `Circuit` layout.
 * NOT gates are kept outside XORs (¬a ⊕ b = ¬(a ⊕ b)) so that equal XORs hash together.
 * Gates live in flat typed arrays; the hash table is open addressing over gate numbers, so
 * millions of gates cost a few bytes each and no objects.
 */
import { GATE_AND, GATE_NOT, GATE_XOR, type Circuit } from '../circuit';
import { TooLargeError } from '../layout';
import type { Wire } from './gates';

const ZERO = 0;
const ONE = 1;
const FIRST_INPUT = 2;
const XOR = GATE_XOR;
const AND = GATE_AND;
const NOT = GATE_NOT;
const EMPTY = 0;
/** A bound on the circuit's size, well within Int32Array wire numbers and a process's memory. */
const MAX_WIRES = 2 ** 26;

export class GateBuilder {
	readonly zero: Wire = ZERO;
	readonly one: Wire = ONE;
	private kinds = new Uint8Array(1 << 12);
	private in0 = new Int32Array(1 << 12);
	private in1 = new Int32Array(1 << 12);
	private count: number;
	private readonly inputs: number;
	/** Gate numbers by hash of (kind, in0, in1); 0 is empty (wire 0 is never a gate). */
	private table = new Int32Array(1 << 12);
	private hashed = 0;

	constructor(readonly inputBits: readonly number[]) {
		this.inputs = inputBits.reduce((a, b) => a + b, 0);
		this.count = FIRST_INPUT + this.inputs;
		this.ensure(this.count);
		// Inputs and constants must not look like NOT gates.
		this.kinds.fill(XOR, 0, this.count);
	}

	input(i: number): Wire {
		return FIRST_INPUT + i;
	}

	constant(w: Wire): 0 | 1 | undefined {
		return w === ZERO ? 0 : w === ONE ? 1 : undefined;
	}

	not(a: Wire): Wire {
		if (a === ZERO) return ONE;
		if (a === ONE) return ZERO;
		if (this.kinds[a] === NOT && a >= FIRST_INPUT + this.inputs) return this.in0[a];
		return this.hashedGate(NOT, a, 0);
	}

	xor(a: Wire, b: Wire): Wire {
		let negate = false;
		if (this.isNot(a)) {
			a = this.in0[a];
			negate = !negate;
		}
		if (this.isNot(b)) {
			b = this.in0[b];
			negate = !negate;
		}
		let w: Wire;
		if (a === b) w = ZERO;
		else if (a === ZERO) w = b;
		else if (b === ZERO) w = a;
		else if (a === ONE) w = this.not(b);
		else if (b === ONE) w = this.not(a);
		else w = this.xorCancels(a, b) ?? this.xorCancels(b, a) ?? (a < b ? this.hashedGate(XOR, a, b) : this.hashedGate(XOR, b, a));
		return negate ? this.not(w) : w;
	}

	/** a ⊕ (a ⊕ c) = c, and (a ⊕ b) ⊕ (a ⊕ c) = b ⊕ c. */
	private xorCancels(a: Wire, b: Wire): Wire | undefined {
		if (!this.isXor(b)) return undefined;
		const b0 = this.in0[b];
		const b1 = this.in1[b];
		if (b0 === a) return b1;
		if (b1 === a) return b0;
		if (this.isXor(a)) {
			const a0 = this.in0[a];
			const a1 = this.in1[a];
			if (a0 === b0) return this.xor(a1, b1);
			if (a0 === b1) return this.xor(a1, b0);
			if (a1 === b0) return this.xor(a0, b1);
			if (a1 === b1) return this.xor(a0, b0);
		}
		return undefined;
	}

	private isXor(w: Wire): boolean {
		return this.kinds[w] === XOR && w >= FIRST_INPUT + this.inputs;
	}

	and(a: Wire, b: Wire): Wire {
		if (a === ZERO || b === ZERO) return ZERO;
		if (a === ONE) return b;
		if (b === ONE || a === b) return a;
		if (this.negates(a, b)) return ZERO;
		const absorbed = this.andAbsorbs(a, b) ?? this.andAbsorbs(b, a);
		if (absorbed !== undefined) return absorbed;
		return a < b ? this.hashedGate(AND, a, b) : this.hashedGate(AND, b, a);
	}

	private negates(a: Wire, b: Wire): boolean {
		return (this.isNot(a) && this.in0[a] === b) || (this.isNot(b) && this.in0[b] === a);
	}

	/**
	 * Rewrites of `a ∧ b` when `b` is itself an AND: (x∧y)∧x = x∧y, (x∧y)∧¬x = 0, and when `a`
	 * is an AND sharing an input with `b`: (x∧y)∧(x∧z) = (x∧y)∧z.
	 */
	private andAbsorbs(a: Wire, b: Wire): Wire | undefined {
		if (!this.isAnd(b)) return undefined;
		const b0 = this.in0[b];
		const b1 = this.in1[b];
		if (a === b0 || a === b1) return b;
		if (this.negates(a, b0) || this.negates(a, b1)) return ZERO;
		if (this.isAnd(a)) {
			const a0 = this.in0[a];
			const a1 = this.in1[a];
			if (a0 === b0 || a1 === b0) return this.and(a, b1);
			if (a0 === b1 || a1 === b1) return this.and(a, b0);
			if (this.negates(a0, b0) || this.negates(a0, b1) || this.negates(a1, b0) || this.negates(a1, b1)) return ZERO;
		}
		return undefined;
	}

	private isAnd(w: Wire): boolean {
		return this.kinds[w] === AND && w >= FIRST_INPUT + this.inputs;
	}

	or(a: Wire, b: Wire): Wire {
		return this.not(this.and(this.not(a), this.not(b)));
	}

	mux(sel: Wire, ifTrue: Wire, ifFalse: Wire): Wire {
		if (ifTrue === ifFalse || sel === ONE) return ifTrue;
		if (sel === ZERO) return ifFalse;
		return this.xor(ifFalse, this.and(sel, this.xor(ifTrue, ifFalse)));
	}

	/** The circuit computing `outputs`, keeping only the gates they depend on. */
	build(outputs: readonly Wire[]): Circuit {
		const inputs = this.inputs;
		const firstGate = FIRST_INPUT + inputs;
		const live = new Uint8Array(this.count);
		const stack: Wire[] = [...outputs];
		const needsConstant = outputs.some((w) => w === ZERO || w === ONE);
		while (stack.length > 0) {
			const w = stack.pop()!;
			if (w < firstGate || live[w]) continue;
			live[w] = 1;
			stack.push(this.in0[w]);
			if (this.kinds[w] !== NOT) stack.push(this.in1[w]);
		}
		if (needsConstant && inputs === 0) throw new Error('a circuit without input bits cannot output constants');
		let gates = needsConstant ? 2 : 0;
		for (let w = firstGate; w < this.count; w++) gates += live[w];
		const kinds = new Uint8Array(gates);
		const in0 = new Uint32Array(gates);
		const in1 = new Uint32Array(gates);
		const renumber = new Int32Array(this.count);
		for (let i = 0; i < inputs; i++) renumber[FIRST_INPUT + i] = i;
		let g = 0;
		const emit = (kind: number, a: number, b: number): number => {
			kinds[g] = kind;
			in0[g] = a;
			in1[g] = b;
			return inputs + g++;
		};
		if (needsConstant) {
			renumber[ZERO] = emit(XOR, 0, 0);
			renumber[ONE] = emit(NOT, renumber[ZERO], 0);
		}
		for (let w = firstGate; w < this.count; w++) {
			if (!live[w]) continue;
			const kind = this.kinds[w];
			renumber[w] = emit(kind, renumber[this.in0[w]], kind === NOT ? 0 : renumber[this.in1[w]]);
		}
		return {
			inputBits: [...this.inputBits],
			gateKinds: kinds,
			gateIn0: in0,
			gateIn1: in1,
			outputs: Uint32Array.from(outputs, (w) => renumber[w])
		};
	}

	private isNot(w: Wire): boolean {
		return this.kinds[w] === NOT;
	}

	private hashedGate(kind: number, a: Wire, b: Wire): Wire {
		const mask = this.table.length - 1;
		let h = hash(kind, a, b) & mask;
		for (let w = this.table[h]; w !== EMPTY; w = this.table[h]) {
			if (this.kinds[w] === kind && this.in0[w] === a && this.in1[w] === b) return w;
			h = (h + 1) & mask;
		}
		const w = this.push(kind, a, b);
		this.table[h] = w;
		if (++this.hashed * 2 > this.table.length) this.rehash();
		return w;
	}

	/** Doubles the table; every gate is in it, so walking the gates in order reads memory in order. */
	private rehash(): void {
		const table = new Int32Array(this.table.length * 2);
		const mask = table.length - 1;
		for (let w = FIRST_INPUT + this.inputs; w < this.count; w++) {
			let h = hash(this.kinds[w], this.in0[w], this.in1[w]) & mask;
			while (table[h] !== EMPTY) h = (h + 1) & mask;
			table[h] = w;
		}
		this.table = table;
	}

	private push(kind: number, a: Wire, b: Wire): Wire {
		if (this.count >= MAX_WIRES) throw new TooLargeError(`The circuit would have more than ${MAX_WIRES} wires`);
		this.ensure(this.count + 1);
		const w = this.count++;
		this.kinds[w] = kind;
		this.in0[w] = a;
		this.in1[w] = b;
		return w;
	}

	private ensure(size: number): void {
		if (size <= this.kinds.length) return;
		let capacity = this.kinds.length;
		while (capacity < size) capacity *= 2;
		const kinds = new Uint8Array(capacity);
		kinds.set(this.kinds);
		const in0 = new Int32Array(capacity);
		in0.set(this.in0);
		const in1 = new Int32Array(capacity);
		in1.set(this.in1);
		this.kinds = kinds;
		this.in0 = in0;
		this.in1 = in1;
	}
}

/** Mixes a gate's kind and inputs into 32 bits (multiplicative hashing). */
function hash(kind: number, a: number, b: number): number {
	let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + kind, 0x85ebca77);
	h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
	return (h ^ (h >>> 16)) >>> 0;
}
