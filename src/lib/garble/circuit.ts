/**
 * The Boolean circuit that the Garble compiler produces and the MPC engine evaluates.
 *
 * Wires 0 … n−1 are the input bits (party 0's first, then party 1's, …). Gate g writes wire
 * n + g and reads only lower-numbered wires, so the gate list is in topological order.
 * Only AND gates cost anything under MPC (free-XOR): XOR and NOT are local.
 * Gates live in flat typed arrays so that circuits of millions of gates stay compact.
 */
export interface Circuit {
	/** Number of input bits of each party, in party order. */
	readonly inputBits: readonly number[];
	/** Kind of each gate: GATE_XOR, GATE_AND or GATE_NOT. */
	readonly gateKinds: Uint8Array;
	/** First input wire of each gate. */
	readonly gateIn0: Uint32Array;
	/** Second input wire of each gate (0 for NOT gates). */
	readonly gateIn1: Uint32Array;
	/** The wire of each output bit, in output order. */
	readonly outputs: Uint32Array;
}

export const GATE_XOR = 0;
export const GATE_AND = 1;
export const GATE_NOT = 2;

/** Bits travel as one byte per bit, each 0 or 1. */
export type Bits = Uint8Array;

export interface GateCounts {
	and: number;
	xor: number;
	not: number;
}

export function totalInputBits(circuit: Circuit): number {
	let total = 0;
	for (const bits of circuit.inputBits) total += bits;
	return total;
}

export function wireCount(circuit: Circuit): number {
	return totalInputBits(circuit) + circuit.gateKinds.length;
}

export function countGates(circuit: Circuit): GateCounts {
	const counts: GateCounts = { and: 0, xor: 0, not: 0 };
	for (const kind of circuit.gateKinds) {
		if (kind === GATE_AND) counts.and++;
		else if (kind === GATE_XOR) counts.xor++;
		else counts.not++;
	}
	return counts;
}

/** Checks the invariants above; throws an Error naming the first violation. */
export function validateCircuit(circuit: Circuit): void {
	const gates = circuit.gateKinds.length;
	if (circuit.gateIn0.length !== gates || circuit.gateIn1.length !== gates) {
		throw new Error('circuit: gate arrays differ in length');
	}
	if (circuit.inputBits.some((bits) => !Number.isInteger(bits) || bits < 0)) {
		throw new Error('circuit: input bit counts must be non-negative integers');
	}
	const inputs = totalInputBits(circuit);
	for (let g = 0; g < gates; g++) {
		const wire = inputs + g;
		const kind = circuit.gateKinds[g];
		if (kind !== GATE_XOR && kind !== GATE_AND && kind !== GATE_NOT) {
			throw new Error(`circuit: gate ${g} has unknown kind ${kind}`);
		}
		if (circuit.gateIn0[g] >= wire || (kind !== GATE_NOT && circuit.gateIn1[g] >= wire)) {
			throw new Error(`circuit: gate ${g} (wire ${wire}) reads a wire that is not yet defined`);
		}
	}
	const wires = inputs + gates;
	for (let o = 0; o < circuit.outputs.length; o++) {
		if (circuit.outputs[o] >= wires) throw new Error(`circuit: output ${o} names missing wire ${circuit.outputs[o]}`);
	}
}

/** Evaluates the circuit in plaintext: the reference that every MPC result is checked against. */
export function evaluateCircuit(circuit: Circuit, inputs: readonly Bits[]): Bits {
	if (inputs.length !== circuit.inputBits.length) {
		throw new Error(`circuit has ${circuit.inputBits.length} parties, got inputs for ${inputs.length}`);
	}
	const total = totalInputBits(circuit);
	const values = new Uint8Array(total + circuit.gateKinds.length);
	let offset = 0;
	inputs.forEach((bits, party) => {
		if (bits.length !== circuit.inputBits[party]) {
			throw new Error(`party ${party} must supply ${circuit.inputBits[party]} input bits, got ${bits.length}`);
		}
		values.set(bits, offset);
		offset += bits.length;
	});
	const { gateKinds, gateIn0, gateIn1 } = circuit;
	for (let g = 0, w = total; g < gateKinds.length; g++, w++) {
		const a = values[gateIn0[g]];
		const kind = gateKinds[g];
		values[w] = kind === GATE_XOR ? a ^ values[gateIn1[g]] : kind === GATE_AND ? a & values[gateIn1[g]] : a ^ 1;
	}
	const out = new Uint8Array(circuit.outputs.length);
	for (let o = 0; o < out.length; o++) out[o] = values[circuit.outputs[o]];
	return out;
}
