import { describe, expect, it } from 'vitest';
import { countGates, evaluateCircuit, validateCircuit } from '../../../../src/lib/garble/circuit';
import { CircuitBuilder, CircuitTooLargeError, type Wire } from '../../../../src/lib/garble/circuit/builder';

/** Evaluates `outputs` of builder `b` (one party) for the input given as a bit mask. */
function run(b: CircuitBuilder, inputBits: number, outputs: Wire[], input: number): number[] {
	const circuit = b.build(outputs);
	validateCircuit(circuit);
	const bits = Uint8Array.from({ length: inputBits }, (_, i) => (input >> i) & 1);
	return [...evaluateCircuit(circuit, [bits])];
}

describe('CircuitBuilder', () => {
	it('folds constants and trivial identities', () => {
		const b = new CircuitBuilder([2]);
		const [x, y] = b.inputs(0);
		expect(b.xor(x, b.FALSE)).toBe(x);
		expect(b.xor(b.TRUE, x)).toBe(b.not(x));
		expect(b.xor(x, x)).toBe(b.FALSE);
		expect(b.xor(x, b.not(x))).toBe(b.TRUE);
		expect(b.and(x, b.TRUE)).toBe(x);
		expect(b.and(b.FALSE, x)).toBe(b.FALSE);
		expect(b.and(x, x)).toBe(x);
		expect(b.and(x, b.not(x))).toBe(b.FALSE);
		expect(b.not(b.not(x))).toBe(x);
		expect(b.or(x, b.TRUE)).toBe(b.TRUE);
		expect(b.or(x, b.FALSE)).toBe(x);
		expect(b.mux(b.TRUE, x, y)).toBe(x);
		expect(b.mux(b.FALSE, x, y)).toBe(y);
		expect(b.mux(y, x, x)).toBe(x);
		expect(b.mux(x, b.TRUE, b.FALSE)).toBe(x);
		expect(b.andCount()).toBe(0);
		expect(b.isConstant(b.TRUE) && b.isConstant(b.FALSE) && !b.isConstant(x)).toBe(true);
	});

	it('shares structurally equal gates, in either input order and through negations', () => {
		const b = new CircuitBuilder([3]);
		const [x, y, z] = b.inputs(0);
		const a = b.and(x, y);
		expect(b.and(y, x)).toBe(a);
		expect(b.xor(y, x)).toBe(b.xor(x, y));
		expect(b.xor(b.not(x), y)).toBe(b.not(b.xor(x, y)));
		expect(b.or(x, y)).toBe(b.not(b.and(b.not(x), b.not(y))));
		expect(b.and(a, x)).toBe(a);
		expect(b.and(a, b.not(y))).toBe(b.FALSE);
		expect(b.xor(b.xor(x, z), z)).toBe(x);
		expect(b.xor(b.xor(x, z), b.xor(y, x))).toBe(b.xor(y, z));
		expect(b.andCount()).toBe(2);
		const xz = b.and(x, z);
		expect(b.and(a, xz)).toBe(b.and(a, z));
		expect(b.and(a, b.and(b.not(x), z))).toBe(b.FALSE);
	});

	it('finds shared gates through the hash table alike, however many bits its slots leave for the hash', () => {
		// maxNodes sets how many bits of a slot the node id needs: 2^31 − 1 leaves none for the
		// hash's tag, so every probe compares the node itself.
		const build = (maxNodes: number) => {
			let seed = 777;
			const random = (n: number) => {
				seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
				return (seed >>> 8) % n;
			};
			const b = new CircuitBuilder([12], { maxNodes });
			const wires: Wire[] = [...b.inputs(0)];
			const made: Wire[] = [];
			for (let g = 0; g < 20_000; g++) {
				// Inputs from the last few hundred wires, so that many gates come again.
				const pick = () => wires[wires.length - 1 - random(Math.min(wires.length, 300))];
				const [x, y] = [pick(), pick()];
				const wire = random(2) === 0 ? b.and(x, y) : b.xor(x, y);
				made.push(wire);
				if (random(3) === 0) wires.push(wire);
			}
			return { made, andCount: b.andCount(), circuit: b.build(made) };
		};
		const untagged = build(2 ** 31 - 1);
		expect(untagged.andCount).toBeLessThan(10_000);
		for (const maxNodes of [2 ** 26, 40_000]) expect(build(maxNodes)).toEqual(untagged);
	});

	it('computes what the operations mean, on random gate graphs, for every input', () => {
		let seed = 12345;
		const random = (n: number) => {
			seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
			return (seed >>> 8) % n;
		};
		const inputs = 6;
		for (let trial = 0; trial < 40; trial++) {
			const b = new CircuitBuilder([inputs]);
			const wires: Wire[] = [...b.inputs(0), b.TRUE, b.FALSE];
			const valueFns: ((v: number[]) => number)[] = [
				...Array.from({ length: inputs }, (_, i) => (v: number[]) => v[i]),
				() => 1,
				() => 0
			];
			for (let g = 0; g < 60; g++) {
				const i = random(wires.length);
				const j = random(wires.length);
				const k = random(wires.length);
				const [fi, fj, fk] = [valueFns[i], valueFns[j], valueFns[k]];
				const op = random(5);
				if (op === 0) {
					wires.push(b.xor(wires[i], wires[j]));
					valueFns.push((v) => fi(v) ^ fj(v));
				} else if (op === 1) {
					wires.push(b.and(wires[i], wires[j]));
					valueFns.push((v) => fi(v) & fj(v));
				} else if (op === 2) {
					wires.push(b.or(wires[i], wires[j]));
					valueFns.push((v) => fi(v) | fj(v));
				} else if (op === 3) {
					wires.push(b.not(wires[i]));
					valueFns.push((v) => fi(v) ^ 1);
				} else {
					wires.push(b.mux(wires[i], wires[j], wires[k]));
					valueFns.push((v) => (fi(v) ? fj(v) : fk(v)));
				}
			}
			const circuit = b.build(wires);
			validateCircuit(circuit);
			for (let input = 0; input < 1 << inputs; input++) {
				const v = Array.from({ length: inputs }, (_, i) => (input >> i) & 1);
				const out = evaluateCircuit(circuit, [Uint8Array.from(v)]);
				expect([...out]).toEqual(valueFns.map((f) => f(v)));
			}
		}
	});

	it('drops gates that do not reach an output and renumbers inputs first', () => {
		const b = new CircuitBuilder([2, 1]);
		const [x, y] = b.inputs(0);
		const [z] = b.inputs(1);
		const used = b.and(x, z);
		b.and(x, y);
		b.xor(y, z);
		expect(b.andCount()).toBe(2);
		const circuit = b.build([used]);
		expect(countGates(circuit)).toEqual({ and: 1, xor: 0, not: 0 });
		expect(circuit.inputBits).toEqual([2, 1]);
		expect([...circuit.gateIn0, ...circuit.gateIn1].sort()).toEqual([0, 2]);
		const out = evaluateCircuit(circuit, [Uint8Array.of(1, 0), Uint8Array.of(1)]);
		expect([...out]).toEqual([1]);
	});

	it('still shares gates after build, which frees the hash table', () => {
		const b = new CircuitBuilder([3]);
		const [x, y, z] = b.inputs(0);
		const gates = Array.from({ length: 2000 }, (_, i) => (i % 2 ? b.xor(b.and(x, y), i & 4 ? z : x) : b.and(b.xor(y, z), i & 4 ? x : y)));
		const nodes = b.nodeCount();
		b.build(gates);
		expect(b.and(y, x)).toBe(b.and(x, y));
		expect(b.and(b.xor(z, y), x)).toBe(gates[4]);
		expect(b.nodeCount()).toBe(nodes);
		expect(countGates(b.build([b.and(x, z)]))).toEqual({ and: 1, xor: 0, not: 0 });
	});

	it('builds constant and negated outputs from input wire 0', () => {
		const b = new CircuitBuilder([2]);
		const [x, y] = b.inputs(0);
		const outputs = [b.TRUE, b.FALSE, b.not(x), b.not(x), y, b.not(b.and(x, y))];
		for (let input = 0; input < 4; input++) {
			const [vx, vy] = [input & 1, input >> 1];
			expect(run(b, 2, outputs, input)).toEqual([1, 0, vx ^ 1, vx ^ 1, vy, (vx & vy) ^ 1]);
		}
		expect(countGates(b.build(outputs))).toEqual({ and: 1, xor: 1, not: 3 });
	});

	it('rejects circuits without inputs and bad wires or parties', () => {
		expect(() => new CircuitBuilder([0, 0]).build([0])).toThrow('at least one input bit');
		expect(() => new CircuitBuilder([]).build([])).toThrow('at least one input bit');
		const b = new CircuitBuilder([1, 2]);
		expect(() => b.input(2, 0)).toThrow('no party 2');
		expect(() => b.input(1, 2)).toThrow('party 1 has 2 input bits, no bit 2');
		expect(() => b.build([999])).toThrow('unknown wire 999');
		expect(() => new CircuitBuilder([-1])).toThrow('party 0');
	});

	it('stops at maxNodes with CircuitTooLargeError, counting input bits and gates but not NOTs or shared gates', () => {
		const b = new CircuitBuilder([5], { maxNodes: 8 });
		const [x, y, z, u, v] = b.inputs(0);
		const gates = [b.and(x, y), b.xor(y, z), b.not(b.and(x, y)), b.or(x, z)];
		expect(b.nodeCount()).toBe(8);
		expect(b.and(y, x)).toBe(gates[0]);
		expect(() => b.and(x, u)).toThrow(CircuitTooLargeError);
		expect(() => b.xor(x, v)).toThrow('more than 8 input bits and gates');
		// What was built before stays usable.
		expect(run(b, 5, gates, 0b00111)).toEqual([1, 0, 0, 1]);
		expect(() => new CircuitBuilder([5], { maxNodes: 4 })).toThrow(CircuitTooLargeError);
		expect(() => new CircuitBuilder([1], { maxNodes: 2 ** 31 })).toThrow('maxNodes must be an integer');
		expect(() => new CircuitBuilder([1], { maxNodes: 1.5 })).toThrow('maxNodes must be an integer');
	});

	it('builds a million-gate circuit quickly and stays compact', () => {
		const b = new CircuitBuilder([64]);
		const x = b.inputs(0);
		let acc = x[0];
		let chain = b.FALSE;
		for (let i = 0; i < 500_000; i++) {
			acc = b.and(acc, x[(i % 63) + 1]) ^ (i & 1);
			chain = b.xor(chain, acc);
		}
		expect(b.andCount()).toBe(500_000);
		// One node per input and per gate; the first XOR (with FALSE) folds away.
		expect(b.nodeCount()).toBe(64 + 500_000 + 499_999);
		const circuit = b.build([chain]);
		expect(countGates(circuit).and).toBe(500_000);
		// Nine bytes per gate: a kind and two input wires, in arrays of the exact size.
		const bytes = circuit.gateKinds.byteLength + circuit.gateIn0.byteLength + circuit.gateIn1.byteLength + circuit.outputs.byteLength;
		expect(bytes).toBe(9 * circuit.gateKinds.length + 4);
		let value = 1;
		let expected = 0;
		for (let i = 0; i < 500_000; i++) {
			value ^= i & 1;
			expected ^= value;
		}
		expect([...evaluateCircuit(circuit, [new Uint8Array(64).fill(1)])]).toEqual([expected]);
	});
});
