import { GATE_AND, GATE_NOT, GATE_XOR, type Circuit } from '../circuit';
import { NodeStore } from './nodes';

/**
 * A builder wire: `node * 2 + negated`. Node 0 is the constant false, so FALSE = 0 and TRUE = 1;
 * NOT only flips the low bit, which makes negation free and deduplicated.
 */
export type Wire = number;

// Node 0 is the constant false; it has no kind of its own and never enters the hash table.
const NODE_INPUT = 1;
const NODE_XOR = 2;
const NODE_AND = 3;

const INITIAL_TABLE = 1 << 11;
/**
 * The hash table is a power of two filled up to three quarters: linear probing stays short,
 * and its 4-byte slots cost 5.3 to 10.7 bytes per node.
 */
const TABLE_LOAD = 0.75;
const USED = 1;
const NEGATED = 2;
/** Wires are stored in Uint32Arrays; node ids stay below 2^31 so that `node * 2 + 1` fits. */
const MAX_NODES = 2 ** 31 - 1;

export interface CircuitBuilderOptions {
	/**
	 * The most nodes (input bits plus XOR and AND gates, NOTs are free) the builder creates
	 * before it throws CircuitTooLargeError, so that a huge circuit fails early instead of
	 * exhausting memory. Default and upper bound: 2^31 − 1.
	 */
	readonly maxNodes?: number;
}

/** A circuit would need more nodes than the builder's `maxNodes`. */
export class CircuitTooLargeError extends Error {
	override name = 'CircuitTooLargeError';

	constructor(readonly maxNodes: number) {
		super(`circuit builder: the circuit needs more than ${maxNodes} input bits and gates`);
	}

	/** What a program's compile error says. */
	get programMessage(): string {
		return `The circuit would have more than ${this.maxNodes} input bits and gates`;
	}
}

/**
 * Builds a Boolean circuit gate by gate as an XOR-AND graph with complemented edges.
 * Every gate is simplified on creation: constants fold (x^0, x&1, x&0, x^x, x&x, x&!x, !!x),
 * and structural hashing returns the existing wire for a gate of the same kind and inputs (in
 * either order), so shared subterms cost nothing. `build` keeps only the gates that reach an
 * output and renumbers them into the flat `Circuit` format.
 */
export class CircuitBuilder {
	readonly FALSE: Wire = 0;
	readonly TRUE: Wire = 1;

	private readonly inputOffsets: number[] = [];
	private readonly inputBits: readonly number[];
	private readonly totalInputs: number;
	private readonly maxNodes: number;
	/** Node 0, the constant, is stored too (kind 0). */
	private readonly store = new NodeStore();
	private ands = 0;
	/**
	 * Open-addressing hash table of gate nodes, linear probing; 0 = empty slot. A slot holds the
	 * node id in its low `idMask` bits and the high bits of the gate's hash above them: a probe
	 * reads the node (three arrays elsewhere in memory) only when those match. Empty after
	 * `build`, which needs the memory; rebuilt should more gates follow.
	 */
	private table = new Int32Array(INITIAL_TABLE);
	private readonly idMask: number;
	private readonly tagMask: number;

	/** `inputBits[p]` = number of input bits of party p, in party order. */
	constructor(inputBits: readonly number[], options: CircuitBuilderOptions = {}) {
		const maxNodes = options.maxNodes ?? MAX_NODES;
		if (!Number.isSafeInteger(maxNodes) || maxNodes < 0 || maxNodes > MAX_NODES) {
			throw new Error(`circuit builder: maxNodes must be an integer from 0 to ${MAX_NODES}, got ${maxNodes}`);
		}
		this.maxNodes = maxNodes;
		const idBits = (maxNodes + 1).toString(2).length;
		this.idMask = idBits >= 32 ? -1 : 2 ** idBits - 1;
		this.tagMask = ~this.idMask;
		let total = 0;
		inputBits.forEach((bits, party) => {
			if (!Number.isSafeInteger(bits) || bits < 0) {
				throw new Error(`circuit builder: party ${party} has an invalid input size ${bits}`);
			}
			this.inputOffsets.push(total);
			total += bits;
		});
		this.inputBits = [...inputBits];
		this.totalInputs = total;
		this.store.add(0, 0, 0);
		for (let i = 0; i < total; i++) this.addNode(NODE_INPUT, i, 0);
	}

	/** The `bit`-th input bit of `party`. */
	input(party: number, bit: number): Wire {
		const bits = this.inputBits[party];
		if (bits === undefined) throw new Error(`circuit builder: no party ${party} (there are ${this.inputBits.length})`);
		if (!Number.isInteger(bit) || bit < 0 || bit >= bits) {
			throw new Error(`circuit builder: party ${party} has ${bits} input bits, no bit ${bit}`);
		}
		return (1 + this.inputOffsets[party] + bit) * 2;
	}

	/** Input bit `i`, counting across all parties in party order. */
	inputBit(i: number): Wire {
		if (!Number.isInteger(i) || i < 0 || i >= this.totalInputs) {
			throw new Error(`circuit builder: there are ${this.totalInputs} input bits, no bit ${i}`);
		}
		return (1 + i) * 2;
	}

	/** All input bits of `party`, in order. */
	inputs(party: number): Wire[] {
		const bits = this.inputBits[party];
		if (bits === undefined) throw new Error(`circuit builder: no party ${party} (there are ${this.inputBits.length})`);
		const first = 1 + this.inputOffsets[party];
		return Array.from({ length: bits }, (_, i) => (first + i) * 2);
	}

	constant(value: boolean): Wire {
		return value ? this.TRUE : this.FALSE;
	}

	/** True for the wires FALSE and TRUE. */
	isConstant(w: Wire): boolean {
		return w < 2;
	}

	not(a: Wire): Wire {
		return a ^ 1;
	}

	xor(a: Wire, b: Wire): Wire {
		const flip = (a ^ b) & 1;
		let na = a >>> 1;
		let nb = b >>> 1;
		if (na === nb) return flip;
		if (na === 0) return (nb << 1) | flip;
		if (nb === 0) return (na << 1) | flip;
		if (na > nb) [na, nb] = [nb, na];
		// (p ^ q) ^ p = q and (p ^ q) ^ (p ^ r) = q ^ r, on either side.
		const reduced = this.cancelXor(na, nb) ?? this.cancelXor(nb, na);
		if (reduced !== undefined) return reduced ^ flip;
		return (this.findOrAdd(NODE_XOR, na << 1, nb << 1) << 1) | flip;
	}

	and(a: Wire, b: Wire): Wire {
		if (a < 2) return a === 0 ? 0 : b;
		if (b < 2) return b === 0 ? 0 : a;
		if (a === b) return a;
		if ((a ^ b) === 1) return 0;
		if (a > b) [a, b] = [b, a];
		const simplified = this.simplifyAnd(a, b) ?? this.simplifyAnd(b, a);
		if (simplified !== undefined) return simplified;
		return this.findOrAdd(NODE_AND, a, b) << 1;
	}

	/** a | b = !(!a & !b): one AND. */
	or(a: Wire, b: Wire): Wire {
		return this.and(a ^ 1, b ^ 1) ^ 1;
	}

	/** sel ? ifTrue : ifFalse, at most one AND. */
	mux(sel: Wire, ifTrue: Wire, ifFalse: Wire): Wire {
		if (ifTrue === ifFalse) return ifTrue;
		if (sel < 2) return sel === 1 ? ifTrue : ifFalse;
		if (ifTrue < 2) return ifTrue === 1 ? this.or(sel, ifFalse) : this.and(sel ^ 1, ifFalse);
		if (ifFalse < 2) return ifFalse === 1 ? this.or(sel ^ 1, ifTrue) : this.and(sel, ifTrue);
		return this.xor(ifFalse, this.and(sel, this.xor(ifTrue, ifFalse)));
	}

	/** AND gates created so far, including any that `build` later drops as unused. */
	andCount(): number {
		return this.ands;
	}

	/** Number of nodes (inputs and gates) created so far. */
	nodeCount(): number {
		return this.store.size - 1;
	}

	/**
	 * The circuit computing `outputs`: only gates that reach an output, in creation order (which
	 * is topological), inputs first. A node used negated gets one NOT gate, right after its own
	 * gate; constant outputs are made from input wire 0 (XOR(w0, w0) = 0, its NOT = 1).
	 * The gate arrays are allocated at their exact size.
	 */
	build(outputs: readonly Wire[]): Circuit {
		const totalInputs = this.totalInputs;
		if (totalInputs === 0) {
			throw new Error('circuit builder: a circuit needs at least one input bit (constants are built from input wire 0)');
		}
		const nodes = this.store.size;
		for (const w of outputs) {
			if (!Number.isInteger(w) || w < 0 || w >>> 1 >= nodes) throw new Error(`circuit builder: output names unknown wire ${w}`);
		}
		// The hash table is not needed to build: its memory holds the build's own arrays (each
		// node's wire and flags) rather than being garbage beside them. It is rebuilt should
		// gates follow.
		const scratch = this.table.byteLength >= 5 * nodes ? this.table.buffer : new ArrayBuffer(5 * nodes);
		this.table = new Int32Array(0);
		const wireOf = new Uint32Array(scratch, 0, nodes);
		const flags = this.markUsed(outputs, new Uint8Array(scratch, 4 * nodes, nodes));
		let gateCount = 0;
		for (let id = 0; id < nodes; id++) {
			const isGate = id === 0 || id > totalInputs;
			gateCount += (isGate ? flags[id] & USED : 0) + ((flags[id] & NEGATED) >> 1);
		}
		const gateKinds = new Uint8Array(gateCount);
		const gateIn0 = new Uint32Array(gateCount);
		const gateIn1 = new Uint32Array(gateCount);
		let gates = 0;
		const emit = (kind: number, a: number, b: number): number => {
			gateKinds[gates] = kind;
			gateIn0[gates] = a;
			gateIn1[gates] = b;
			return totalInputs + gates++;
		};
		// wireOf: the wire of each node; its negation is the next wire, except for inputs (inputNot).
		const inputNot = new Uint32Array(totalInputs + 1);
		const wireFor = (w: Wire): number => {
			const node = w >>> 1;
			if ((w & 1) === 0) return wireOf[node];
			return node > 0 && node <= totalInputs ? inputNot[node] : wireOf[node] + 1;
		};
		const emitNegation = (node: number) => {
			if (flags[node] & NEGATED) emit(GATE_NOT, wireOf[node], 0);
		};
		if (flags[0] & USED) {
			wireOf[0] = emit(GATE_XOR, 0, 0);
			emitNegation(0);
		}
		for (let id = 1; id <= totalInputs; id++) {
			wireOf[id] = id - 1;
			if (flags[id] & NEGATED) inputNot[id] = emit(GATE_NOT, id - 1, 0);
		}
		for (let id = totalInputs + 1; id < nodes; id++) {
			if (!(flags[id] & USED)) continue;
			const kind = this.store.kind(id) === NODE_AND ? GATE_AND : GATE_XOR;
			wireOf[id] = emit(kind, wireFor(this.store.in0(id)), wireFor(this.store.in1(id)));
			emitNegation(id);
		}
		return {
			inputBits: [...this.inputBits],
			gateKinds,
			gateIn0,
			gateIn1,
			outputs: Uint32Array.from(outputs, wireFor)
		};
	}

	/**
	 * Flags the nodes that reach an output (USED) and those read negated (NEGATED), in `flags`
	 * (one byte per node); gates only read lower ids, so one backward sweep does.
	 */
	private markUsed(outputs: readonly Wire[], flags: Uint8Array): Uint8Array {
		flags.fill(0);
		const use = (w: Wire) => {
			flags[w >>> 1] |= USED | ((w & 1) << 1);
		};
		for (const w of outputs) use(w);
		for (let id = this.store.size - 1; id > this.totalInputs; id--) {
			if (flags[id] & USED) {
				use(this.store.in0(id));
				use(this.store.in1(id));
			}
		}
		return flags;
	}

	/**
	 * XOR cancellation one gate deep: when node x is XOR(p, q) and `other` is p or q, the
	 * remaining input; when both are XORs sharing an input, (p ^ q) ^ (p ^ r) = q ^ r.
	 */
	private cancelXor(x: number, other: number): Wire | undefined {
		const store = this.store;
		if (store.kind(x) !== NODE_XOR) return undefined;
		const p = store.in0(x);
		const q = store.in1(x);
		if (p >>> 1 === other) return q;
		if (q >>> 1 === other) return p;
		if (store.kind(other) !== NODE_XOR) return undefined;
		const r = store.in0(other);
		const t = store.in1(other);
		if (p === r) return this.xor(q, t);
		if (p === t) return this.xor(q, r);
		if (q === r) return this.xor(p, t);
		if (q === t) return this.xor(p, r);
		return undefined;
	}

	/**
	 * Local rewrites of a & b that look one gate deep into `a`: (p & q) & p = p & q,
	 * (p & q) & !p = 0, and when b is an AND too, (p & q) & (p & r) = (p & q) & r and
	 * (p & q) & (!p & r) = 0.
	 */
	private simplifyAnd(a: Wire, b: Wire): Wire | undefined {
		if (!this.isAnd(a)) return undefined;
		const store = this.store;
		const p = store.in0(a >>> 1);
		const q = store.in1(a >>> 1);
		if (p === b || q === b) return a;
		if ((p ^ b) === 1 || (q ^ b) === 1) return 0;
		if (!this.isAnd(b)) return undefined;
		const r = store.in0(b >>> 1);
		const t = store.in1(b >>> 1);
		if (p === r || q === r) return this.and(a, t);
		if (p === t || q === t) return this.and(a, r);
		if ((p ^ r) === 1 || (p ^ t) === 1 || (q ^ r) === 1 || (q ^ t) === 1) return 0;
		return undefined;
	}

	/** True for a non-negated AND gate. */
	private isAnd(w: Wire): boolean {
		return (w & 1) === 0 && this.store.kind(w >>> 1) === NODE_AND;
	}

	private findOrAdd(kind: number, a: number, b: number): number {
		if (this.table.length === 0) this.rehash();
		const mask = this.table.length - 1;
		const hash = hashGate(kind, a, b);
		let slot = hash & mask;
		for (;;) {
			const entry = this.table[slot];
			if (entry === 0) break;
			if (((entry ^ hash) & this.tagMask) === 0) {
				const id = entry & this.idMask;
				if (this.store.kind(id) === kind && this.store.in0(id) === a && this.store.in1(id) === b) return id;
			}
			slot = (slot + 1) & mask;
		}
		const id = this.addNode(kind, a, b);
		if (kind === NODE_AND) this.ands++;
		this.table[slot] = this.slotEntry(hash, id);
		if (this.gateNodes() > this.table.length * TABLE_LOAD) this.rehash();
		return id;
	}

	private addNode(kind: number, a: number, b: number): number {
		// Node 0 is the constant, so this creates node number `size` of at most `maxNodes`.
		if (this.store.size > this.maxNodes) throw new CircuitTooLargeError(this.maxNodes);
		return this.store.add(kind, a, b);
	}

	private gateNodes(): number {
		return this.store.size - 1 - this.totalInputs;
	}

	/** What a table slot holds for node `id` of a gate with this hash: the id, and the hash's high bits above it. */
	private slotEntry(hash: number, id: number): number {
		return (hash & this.tagMask) | id;
	}

	/**
	 * A new table, the smallest power of two that holds every gate node below TABLE_LOAD:
	 * walking the nodes in order reads memory in order.
	 */
	private rehash(): void {
		let size = INITIAL_TABLE;
		while (this.gateNodes() >= size * TABLE_LOAD) size *= 2;
		const table = new Int32Array(size);
		const mask = table.length - 1;
		const store = this.store;
		for (let id = this.totalInputs + 1; id < store.size; id++) {
			const hash = hashGate(store.kind(id), store.in0(id), store.in1(id));
			let slot = hash & mask;
			while (table[slot] !== 0) slot = (slot + 1) & mask;
			table[slot] = this.slotEntry(hash, id);
		}
		this.table = table;
	}
}

function hashGate(kind: number, a: number, b: number): number {
	let h = Math.imul(a ^ (kind << 30), 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	return (h ^ (h >>> 13)) >>> 0;
}
