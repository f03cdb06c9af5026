import { GATE_AND, GATE_NOT, totalInputBits, type Circuit } from '../garble/circuit';

/** Marks a wire that must stay until the end (an output). */
const FOREVER = 0xffffffff;

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
	/** 1 where the AND gate at this order position starts a new batch of independent AND gates. */
	readonly startsBatch: Uint8Array;
	/** State slot of each wire (inputs first, then gate outputs). */
	readonly wireSlot: Uint32Array;
	readonly slots: number;
	/** Exclusive end (order position) of each segment. */
	readonly segmentEnds: Uint32Array;
	/** Number of AND gates in each segment. */
	readonly segmentAnds: Uint32Array;
}

export function schedule(circuit: Circuit, andsPerSegment: number): Schedule {
	const { gateKinds, gateIn0, gateIn1, outputs } = circuit;
	const inputs = totalInputBits(circuit);
	const gates = gateKinds.length;
	const wires = inputs + gates;

	// A fresh process runs these loops before the JIT has compiled them, so each costs tens of
	// nanoseconds per gate: the work is fused into four passes over the gates.

	// Pass 1: AND depth of every wire, sort key 2·depth − 1 for AND gates and 2·depth for the
	// others, and how many gates have each key (counting sort; keys ≤ 2·gates).
	const depth = new Uint32Array(wires);
	const key = new Uint32Array(gates);
	const start = new Uint32Array(2 * gates + 2);
	let maxKey = 0;
	let andGates = 0;
	for (let g = 0; g < gates; g++) {
		const kind = gateKinds[g];
		const d0 = depth[gateIn0[g]];
		const d1 = kind === GATE_NOT ? 0 : depth[gateIn1[g]];
		const d = d0 > d1 ? d0 : d1;
		const isAnd = kind === GATE_AND ? 1 : 0;
		andGates += isAnd;
		depth[inputs + g] = d + isAnd;
		const k = 2 * d + isAnd;
		key[g] = k;
		start[k + 1]++;
		if (k > maxKey) maxKey = k;
	}
	for (let k = 1; k <= maxKey + 1; k++) start[k] += start[k - 1];
	// Pass 2: stable scatter, so within a key the original (topological) order is kept.
	const order = new Uint32Array(gates);
	for (let g = 0; g < gates; g++) order[start[key[g]]++] = g;

	// Pass 3: batch starts, and the last order position that reads each wire.
	const startsBatch = new Uint8Array(gates);
	const lastUse = new Uint32Array(wires);
	const used = new Uint8Array(wires);
	let previousKey = -1;
	for (let t = 0; t < gates; t++) {
		const g = order[t];
		const k = key[g];
		if (gateKinds[g] === GATE_AND && k !== previousKey) startsBatch[t] = 1;
		previousKey = k;
		lastUse[gateIn0[g]] = t;
		used[gateIn0[g]] = 1;
		if (gateKinds[g] !== GATE_NOT) {
			lastUse[gateIn1[g]] = t;
			used[gateIn1[g]] = 1;
		}
	}
	for (const w of outputs) {
		lastUse[w] = FOREVER;
		used[w] = 1;
	}

	// Pass 4: state slots (a dead wire's slot is reused) and segment ends.
	// Free slots form a stack in a typed array (a slot is freed at most once per wire).
	const wireSlot = new Uint32Array(wires);
	const free = new Uint32Array(wires);
	let freeCount = 0;
	let slots = 0;
	for (let w = 0; w < inputs; w++) wireSlot[w] = slots++;
	for (let w = 0; w < inputs; w++) if (!used[w]) free[freeCount++] = wireSlot[w];
	const ends: number[] = [];
	const ands: number[] = [];
	let inSegment = 0;
	let limit = Math.min(FIRST_SEGMENT_ANDS, andsPerSegment);
	for (let t = 0; t < gates; t++) {
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
		if (!used[out]) free[freeCount++] = wireSlot[out];
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
	return {
		inputs,
		andGates,
		order,
		startsBatch,
		wireSlot,
		slots,
		segmentEnds: Uint32Array.from(ends),
		segmentAnds: Uint32Array.from(ands)
	};
}
