import { GATE_AND, GATE_NOT, totalInputBits, type Circuit } from '../garble/circuit';

/** Last use of a wire that must stay until the end (an output). */
const FOREVER = 0xffffffff;
/** Last use of a wire that no gate reads (order positions are below 2^32 − 2). */
const UNUSED = 0xfffffffe;

/**
 * AND gates in the first segment; each next one doubles up to the maximum. A fresh process runs
 * its hot loops unoptimised at first: small early segments let the JIT compile them before the
 * bulk of the circuit arrives, instead of one huge first segment running mostly cold.
 */
const FIRST_SEGMENT_ANDS = 512;

/**
 * The order in which every party walks the circuit, and where each wire's per-party state
 * lives. Gates are sorted by AND depth (AND gates of one depth, then the XOR/NOT gates that
 * follow them), so the evaluator can hash each depth's AND gates in one batch. Wires share
 * state slots once they are dead, so memory follows the circuit's width, not its length.
 * The gate list is cut into segments of at most `andsPerSegment` AND gates (the first ones
 * smaller, see FIRST_SEGMENT_ANDS): preprocessing, garbling and evaluation stream segment by
 * segment.
 */
export interface Schedule {
	readonly inputs: number;
	readonly andGates: number;
	/** Gate indices in execution order. */
	readonly order: Uint32Array;
	/**
	 * Where each batch of independent AND gates (those of one AND depth) ends: the exclusive
	 * order position, ascending. A batch's gates are consecutive; one entry per AND depth.
	 */
	readonly andBatchEnds: Uint32Array;
	/** State slot of each wire (inputs first, then gate outputs). */
	readonly wireSlot: Uint32Array;
	readonly slots: number;
	/** Exclusive end (order position) of each segment. */
	readonly segmentEnds: Uint32Array;
	/** Number of AND gates in each segment. */
	readonly segmentAnds: Uint32Array;
}

export function schedule(circuit: Circuit, andsPerSegment: number): Schedule {
	const inputs = totalInputBits(circuit);
	// A fresh process runs these loops before the JIT has compiled them, so each costs tens of
	// nanoseconds per gate: the work is fused into a few passes over the gates. Besides what
	// it returns, it needs one word per wire (AND depth, then last use) and arrays that follow
	// the circuit's depth and width, not its length. Each pass is a function of its own: the
	// JIT compiles a pass's loop while it runs (on-stack replacement), and compiling one whole
	// function of many loops would happen again for every loop it reaches (once per pass).
	const { depth, maxDepth, andGates } = andDepths(circuit, inputs);
	const { order, andBatchEnds } = sortByDepth(circuit, inputs, depth, maxDepth);
	const lastUse = lastUses(circuit, order, depth);
	const { wireSlot, slots, segmentEnds, segmentAnds } = assignSlots(circuit, inputs, order, lastUse, andsPerSegment);
	return { inputs, andGates, order, andBatchEnds, wireSlot, slots, segmentEnds, segmentAnds };
}

/**
 * Pass 1: AND depth of every wire. A gate's sort key is 2·depth − 1 for AND gates and 2·depth
 * for the others (depth of its output wire): AND gates of one depth, then the XOR/NOT gates
 * that follow them.
 */
function andDepths({ gateKinds, gateIn0, gateIn1 }: Circuit, inputs: number): { depth: Uint32Array; maxDepth: number; andGates: number } {
	const gates = gateKinds.length;
	const depth = new Uint32Array(inputs + gates);
	let maxDepth = 0;
	let andGates = 0;
	for (let g = 0; g < gates; g++) {
		const kind = gateKinds[g];
		const d0 = depth[gateIn0[g]];
		const d1 = kind === GATE_NOT ? 0 : depth[gateIn1[g]];
		const isAnd = kind === GATE_AND ? 1 : 0;
		const d = (d0 > d1 ? d0 : d1) + isAnd;
		andGates += isAnd;
		depth[inputs + g] = d;
		if (d > maxDepth) maxDepth = d;
	}
	return { depth, maxDepth, andGates };
}

/**
 * Pass 2: how many gates have each key, then a stable counting sort (within a key the
 * original, topological order stays). The gates of each AND key make a batch.
 */
function sortByDepth({ gateKinds }: Circuit, inputs: number, depth: Uint32Array, maxDepth: number): { order: Uint32Array; andBatchEnds: Uint32Array } {
	const gates = gateKinds.length;
	const start = new Uint32Array(2 * maxDepth + 2);
	for (let g = 0; g < gates; g++) start[2 * depth[inputs + g] - (gateKinds[g] === GATE_AND ? 1 : 0) + 1]++;
	for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
	const ends: number[] = [];
	for (let k = 1; k < start.length - 1; k += 2) if (start[k + 1] > start[k]) ends.push(start[k + 1]);
	const andBatchEnds = Uint32Array.from(ends);
	const order = new Uint32Array(gates);
	for (let g = 0; g < gates; g++) order[start[2 * depth[inputs + g] - (gateKinds[g] === GATE_AND ? 1 : 0)]++] = g;
	return { order, andBatchEnds };
}

/** Pass 3: the last order position that reads each wire, in `depth` (dead now). */
function lastUses({ gateKinds, gateIn0, gateIn1, outputs }: Circuit, order: Uint32Array, depth: Uint32Array): Uint32Array {
	const lastUse = depth.fill(UNUSED);
	for (let t = 0; t < order.length; t++) {
		const g = order[t];
		lastUse[gateIn0[g]] = t;
		if (gateKinds[g] !== GATE_NOT) lastUse[gateIn1[g]] = t;
	}
	for (const w of outputs) lastUse[w] = FOREVER;
	return lastUse;
}

/**
 * Pass 4: state slots (a dead wire's slot is reused) and segment ends. Free slots form a
 * stack in a typed array, which grows with the circuit's width (it holds at most every slot,
 * and a gate frees at most three).
 */
function assignSlots(
	{ gateKinds, gateIn0, gateIn1 }: Circuit,
	inputs: number,
	order: Uint32Array,
	lastUse: Uint32Array,
	andsPerSegment: number
): Pick<Schedule, 'wireSlot' | 'slots' | 'segmentEnds' | 'segmentAnds'> {
	const gates = gateKinds.length;
	const wireSlot = new Uint32Array(inputs + gates);
	let free: Uint32Array = new Uint32Array(1024);
	let freeCount = 0;
	let slots = 0;
	for (let w = 0; w < inputs; w++) wireSlot[w] = slots++;
	for (let w = 0; w < inputs; w++) {
		if (lastUse[w] !== UNUSED) continue;
		if (freeCount === free.length) free = doubled(free);
		free[freeCount++] = wireSlot[w];
	}
	const ends: number[] = [];
	const ands: number[] = [];
	let inSegment = 0;
	let limit = Math.min(FIRST_SEGMENT_ANDS, andsPerSegment);
	for (let t = 0; t < gates; t++) {
		if (freeCount + 3 > free.length) free = doubled(free);
		const g = order[t];
		const kind = gateKinds[g];
		const a = gateIn0[g];
		if (lastUse[a] === t) free[freeCount++] = wireSlot[a];
		if (kind !== GATE_NOT) {
			const b = gateIn1[g];
			if (b !== a && lastUse[b] === t) free[freeCount++] = wireSlot[b];
		}
		const out = inputs + g;
		wireSlot[out] = freeCount > 0 ? free[--freeCount] : slots++;
		if (lastUse[out] === UNUSED) free[freeCount++] = wireSlot[out];
		if (kind === GATE_AND) {
			if (inSegment === limit) {
				ends.push(t);
				ands.push(inSegment);
				inSegment = 0;
				limit = Math.min(2 * limit, andsPerSegment);
			}
			inSegment++;
		}
	}
	if (gates > 0 || ends.length === 0) {
		ends.push(gates);
		ands.push(inSegment);
	}
	return { wireSlot, slots, segmentEnds: Uint32Array.from(ends), segmentAnds: Uint32Array.from(ands) };
}

/** A copy of `stack` twice as long. */
function doubled(stack: Uint32Array): Uint32Array {
	const copy = new Uint32Array(stack.length * 2);
	copy.set(stack);
	return copy;
}
