// The order every party walks the circuit in, and where each wire's state lives.
import { describe, expect, it } from 'vitest';
import { GATE_AND, GATE_NOT, totalInputBits, type Circuit } from '../../../src/lib/garble/circuit';
import { schedule, type Schedule } from '../../../src/lib/mpc/schedule';
import { randomCircuit, seeded } from './helpers';

/** Walks the schedule as the engine does: the wires whose state was overwritten while still needed. */
function clobbered(circuit: Circuit, plan: Schedule): string[] {
	const inputs = totalInputBits(circuit);
	const holder = new Int32Array(plan.slots).fill(-1);
	for (let w = 0; w < inputs; w++) holder[plan.wireSlot[w]] = w;
	const problems: string[] = [];
	const read = (w: number, t: number) => {
		if (holder[plan.wireSlot[w]] !== w) problems.push(`wire ${w} at order position ${t}`);
	};
	for (let t = 0; t < plan.order.length; t++) {
		const g = plan.order[t];
		read(circuit.gateIn0[g], t);
		if (circuit.gateKinds[g] !== GATE_NOT) read(circuit.gateIn1[g], t);
		holder[plan.wireSlot[inputs + g]] = inputs + g;
	}
	for (const w of circuit.outputs) read(w, plan.order.length);
	return problems;
}

/** AND depth of every wire. */
function depths(circuit: Circuit): Uint32Array {
	const inputs = totalInputBits(circuit);
	const depth = new Uint32Array(inputs + circuit.gateKinds.length);
	circuit.gateKinds.forEach((kind, g) => {
		const d = Math.max(depth[circuit.gateIn0[g]], kind === GATE_NOT ? 0 : depth[circuit.gateIn1[g]]);
		depth[inputs + g] = d + (kind === GATE_AND ? 1 : 0);
	});
	return depth;
}

describe('schedule', () => {
	const circuit = randomCircuit([40, 40], 60_000, 30, seeded(5));
	const plan = schedule(circuit, 2000);

	it('orders gates topologically, AND gates of one depth together before the XOR/NOT gates they feed', () => {
		const inputs = totalInputBits(circuit);
		const depth = depths(circuit);
		const position = new Int32Array(circuit.gateKinds.length).fill(-1);
		plan.order.forEach((g, t) => (position[g] = t));
		expect(position.every((t) => t >= 0)).toBe(true);
		const key = (g: number) => 2 * depth[inputs + g] - (circuit.gateKinds[g] === GATE_AND ? 1 : 0);
		const wrong: number[] = [];
		// Where a run of AND gates of one key ends, from the order itself.
		const batchEnds: number[] = [];
		for (let t = 0; t < plan.order.length; t++) {
			const g = plan.order[t];
			if (t > 0 && key(g) < key(plan.order[t - 1])) wrong.push(t);
			const next = plan.order[t + 1];
			if (circuit.gateKinds[g] === GATE_AND && (t + 1 === plan.order.length || key(next) !== key(g))) batchEnds.push(t + 1);
		}
		expect(wrong, 'order positions out of order').toEqual([]);
		expect(batchEnds.length).toBeGreaterThan(10);
		expect([...plan.andBatchEnds]).toEqual(batchEnds);
		expect(clobbered(circuit, plan)).toEqual([]);
	});

	it('reuses the state of dead wires: slots follow the width, and it keeps 8 bytes per gate', () => {
		expect(plan.slots).toBeLessThan(circuit.gateKinds.length / 4);
		const bytes = plan.order.byteLength + plan.andBatchEnds.byteLength + plan.wireSlot.byteLength + plan.segmentEnds.byteLength + plan.segmentAnds.byteLength;
		expect(bytes / circuit.gateKinds.length).toBeLessThan(8.2);
	});

	it('cuts segments of at most the given AND gates, small ones first', () => {
		expect(plan.segmentAnds.reduce((a, b) => a + b, 0)).toBe(plan.andGates);
		expect(plan.segmentAnds[0]).toBe(512);
		expect(plan.segmentAnds[1]).toBe(1024);
		expect(Math.max(...plan.segmentAnds)).toBe(2000);
		expect(plan.segmentEnds[plan.segmentEnds.length - 1]).toBe(circuit.gateKinds.length);
	});

	it('handles circuits without gates and inputs no gate reads', () => {
		const empty = schedule({ inputBits: [2, 1], gateKinds: new Uint8Array(0), gateIn0: new Uint32Array(0), gateIn1: new Uint32Array(0), outputs: Uint32Array.of(1) }, 100);
		expect([...empty.segmentEnds]).toEqual([0]);
		expect(empty.slots).toBe(3);
		const unread: Circuit = { inputBits: [3], gateKinds: Uint8Array.of(GATE_AND, GATE_NOT), gateIn0: Uint32Array.of(0, 3), gateIn1: Uint32Array.of(0, 0), outputs: Uint32Array.of(4) };
		const small = schedule(unread, 100);
		expect(clobbered(unread, small)).toEqual([]);
		expect(small.slots).toBe(3);
	});
});
