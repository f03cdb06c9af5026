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

	// AND depth of every wire; sort key 2·depth − 1 for AND gates, 2·depth for the others.
	const depth = new Uint32Array(wires);
	const key = new Uint32Array(gates);
	let maxKey = 0;
	let andGates = 0;
	for (let g = 0; g < gates; g++) {
		const kind = gateKinds[g];
		const d0 = depth[gateIn0[g]];
		const d = kind === GATE_NOT ? d0 : Math.max(d0, depth[gateIn1[g]]);
		if (kind === GATE_AND) {
			andGates++;
			depth[inputs + g] = d + 1;
			key[g] = 2 * d + 1;
		} else {
			depth[inputs + g] = d;
			key[g] = 2 * d;
		}
		if (key[g] > maxKey) maxKey = key[g];
	}
	// Counting sort, stable: within a key the original (topological) order is kept.
	const start = new Uint32Array(maxKey + 2);
	for (let g = 0; g < gates; g++) start[key[g] + 1]++;
	for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
	const order = new Uint32Array(gates);
	for (let g = 0; g < gates; g++) order[start[key[g]]++] = g;

	const startsBatch = new Uint8Array(gates);
	for (let t = 0; t < gates; t++) {
		const g = order[t];
		if (gateKinds[g] === GATE_AND && (t === 0 || key[order[t - 1]] !== key[g])) startsBatch[t] = 1;
	}

	// Last order position that reads each wire.
	const lastUse = new Uint32Array(wires);
	const used = new Uint8Array(wires);
	for (let t = 0; t < gates; t++) {
		const g = order[t];
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

	const wireSlot = new Uint32Array(wires);
	const free: number[] = [];
	let slots = 0;
	for (let w = 0; w < inputs; w++) wireSlot[w] = slots++;
	for (let w = 0; w < inputs; w++) if (!used[w]) free.push(wireSlot[w]);
	for (let t = 0; t < gates; t++) {
		const g = order[t];
		const a = gateIn0[g];
		if (lastUse[a] === t) free.push(wireSlot[a]);
		if (gateKinds[g] !== GATE_NOT) {
			const b = gateIn1[g];
			if (b !== a && lastUse[b] === t) free.push(wireSlot[b]);
		}
		const out = inputs + g;
		wireSlot[out] = free.length > 0 ? free.pop()! : slots++;
		if (!used[out]) free.push(wireSlot[out]);
	}

	const ends: number[] = [];
	const ands: number[] = [];
	let inSegment = 0;
	let limit = Math.min(FIRST_SEGMENT_ANDS, andsPerSegment);
	for (let t = 0; t < gates; t++) {
		if (gateKinds[order[t]] !== GATE_AND) continue;
		if (inSegment === limit) {
			ends.push(t);
			ands.push(inSegment);
			inSegment = 0;
			limit = Math.min(2 * limit, andsPerSegment);
		}
		inSegment++;
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
