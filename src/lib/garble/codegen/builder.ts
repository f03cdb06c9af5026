/**
 * A gate builder with constant folding, structural hashing and dead-gate removal. Wires 0 and
 * 1 are the constants, 2 … 2+n−1 the input bits; `build` renumbers to the `Circuit` layout.
 * NOT gates are kept outside XORs (¬a ⊕ b = ¬(a ⊕ b)) so that equal XORs hash together.
 */
import { GATE_AND, GATE_NOT, GATE_XOR, type Circuit } from '../circuit';
import type { Wire } from './gates';

const ZERO = 0;
const ONE = 1;
const FIRST_INPUT = 2;
/** Wire numbers must fit 26 bits for the hash keys below (64 M wires). */
const MAX_WIRES = 1 << 26;

export class GateBuilder {
	readonly zero: Wire = ZERO;
	readonly one: Wire = ONE;
	private kinds = new Uint8Array(1024);
	private in0 = new Int32Array(1024);
	private in1 = new Int32Array(1024);
	/** negation[w]: the wire holding ¬w, or −1. */
	private negation = new Int32Array(1024).fill(-1);
	private count: number;
	private readonly inputs: number;
	private readonly hashed = new Map<number, Wire>();

	constructor(readonly inputBits: readonly number[]) {
		this.inputs = inputBits.reduce((a, b) => a + b, 0);
		this.count = FIRST_INPUT + this.inputs;
		this.ensure(this.count);
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
		const known = this.negation[a];
		if (known >= 0) return known;
		const w = this.push(GATE_NOT, a, 0);
		this.negation[a] = w;
		this.negation[w] = a;
		return w;
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
		else w = this.hashedGate(GATE_XOR, a, b);
		return negate ? this.not(w) : w;
	}

	and(a: Wire, b: Wire): Wire {
		if (a === ZERO || b === ZERO) return ZERO;
		if (a === ONE) return b;
		if (b === ONE || a === b) return a;
		if (this.negation[a] === b) return ZERO;
		return this.hashedGate(GATE_AND, a, b);
	}

	or(a: Wire, b: Wire): Wire {
		return this.not(this.and(this.not(a), this.not(b)));
	}

	mux(sel: Wire, ifTrue: Wire, ifFalse: Wire): Wire {
		if (ifTrue === ifFalse) return ifTrue;
		return this.xor(ifFalse, this.and(sel, this.xor(ifTrue, ifFalse)));
	}

	/** The circuit computing `outputs`, keeping only the gates they depend on. */
	build(outputs: readonly Wire[]): Circuit {
		const inputs = this.inputs;
		const live = new Uint8Array(this.count);
		const stack: Wire[] = [...outputs];
		const needsConstant = outputs.some((w) => w === ZERO || w === ONE);
		while (stack.length > 0) {
			const w = stack.pop()!;
			if (w < FIRST_INPUT + inputs || live[w]) continue;
			live[w] = 1;
			stack.push(this.in0[w]);
			if (this.kinds[w] !== GATE_NOT) stack.push(this.in1[w]);
		}
		if (needsConstant && inputs === 0) throw new Error('a circuit without input bits cannot output constants');
		const renumber = new Int32Array(this.count).fill(-1);
		for (let i = 0; i < inputs; i++) renumber[FIRST_INPUT + i] = i;
		let next = inputs;
		const kinds: number[] = [];
		const in0: number[] = [];
		const in1: number[] = [];
		const emit = (kind: number, a: number, b: number): number => {
			kinds.push(kind);
			in0.push(a);
			in1.push(b);
			return next++;
		};
		if (needsConstant) {
			renumber[ZERO] = emit(GATE_XOR, 0, 0);
			renumber[ONE] = emit(GATE_NOT, renumber[ZERO], 0);
		}
		for (let w = FIRST_INPUT + inputs; w < this.count; w++) {
			if (!live[w]) continue;
			const kind = this.kinds[w];
			renumber[w] = emit(kind, renumber[this.in0[w]], kind === GATE_NOT ? 0 : renumber[this.in1[w]]);
		}
		return {
			inputBits: [...this.inputBits],
			gateKinds: Uint8Array.from(kinds),
			gateIn0: Uint32Array.from(in0),
			gateIn1: Uint32Array.from(in1),
			outputs: Uint32Array.from(outputs, (w) => renumber[w])
		};
	}

	/** Inputs and constants have kind 0 (XOR), so this is true for NOT gates only. */
	private isNot(w: Wire): boolean {
		return this.kinds[w] === GATE_NOT;
	}

	private hashedGate(kind: number, a: Wire, b: Wire): Wire {
		const lo = a < b ? a : b;
		const hi = a < b ? b : a;
		const key = (kind * MAX_WIRES + lo) * MAX_WIRES + hi;
		const existing = this.hashed.get(key);
		if (existing !== undefined) return existing;
		const w = this.push(kind, lo, hi);
		this.hashed.set(key, w);
		return w;
	}

	private push(kind: number, a: Wire, b: Wire): Wire {
		if (this.count >= MAX_WIRES) throw new Error(`the circuit has more than ${MAX_WIRES} wires`);
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
		const grow = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T, fill?: number): T => {
			const next = make(capacity);
			if (fill !== undefined) next.fill(fill);
			next.set(old);
			return next;
		};
		this.kinds = grow(this.kinds, (n) => new Uint8Array(n));
		this.in0 = grow(this.in0, (n) => new Int32Array(n));
		this.in1 = grow(this.in1, (n) => new Int32Array(n));
		this.negation = grow(this.negation, (n) => new Int32Array(n), -1);
	}
}
