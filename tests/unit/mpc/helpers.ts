import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork, type Interceptor } from '../../../src/lib/channel/memory';
import { GATE_AND, GATE_NOT, GATE_XOR, evaluateCircuit, type Bits, type Circuit } from '../../../src/lib/garble/circuit';
import { mpc, runDealer, type MpcOptions } from '../../../src/lib/mpc';

/** A random circuit with the given input sizes, `gates` gates (about a third of each kind) and `outputs` outputs. */
export function randomCircuit(sizes: number[], gates: number, outputs: number, random: () => number = Math.random): Circuit {
	// Gates need some wire to read: give party 0 an input bit if nobody has one.
	const inputBits = sizes.every((s) => s === 0) ? [1, ...sizes.slice(1)] : sizes;
	const inputs = inputBits.reduce((a, b) => a + b, 0);
	const gateKinds = new Uint8Array(gates);
	const gateIn0 = new Uint32Array(gates);
	const gateIn1 = new Uint32Array(gates);
	for (let g = 0; g < gates; g++) {
		const wires = inputs + g;
		const kind = [GATE_XOR, GATE_AND, GATE_NOT][Math.floor(random() * 3)];
		gateKinds[g] = kind;
		// Prefer recent wires so that the circuit gets deep, not just wide.
		const pick = () => (random() < 0.5 ? wires - 1 - Math.floor(random() * Math.min(wires, 8)) : Math.floor(random() * wires));
		gateIn0[g] = pick();
		gateIn1[g] = kind === GATE_NOT ? 0 : pick();
	}
	const wires = inputs + gates;
	const out = new Uint32Array(outputs);
	for (let o = 0; o < outputs; o++) out[o] = random() < 0.7 ? wires - 1 - Math.floor(random() * Math.min(wires, 16)) : Math.floor(random() * wires);
	return { inputBits, gateKinds, gateIn0, gateIn1, outputs: out };
}

export function randomBits(count: number, random: () => number = Math.random): Bits {
	return Uint8Array.from({ length: count }, () => (random() < 0.5 ? 1 : 0));
}

/** A small deterministic PRNG (mulberry32) so that failures reproduce. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface RunResult {
	outputs: (Bits | undefined)[];
	errors: (unknown | undefined)[];
	dealerError?: unknown;
	network: MemoryNetwork;
}

/** Runs every party (and the dealer) of one computation over a MemoryNetwork. */
export async function runAll(
	circuit: Circuit,
	inputs: Bits[],
	options: Omit<MpcOptions, 'party'> & { interceptor?: Interceptor }
): Promise<RunResult> {
	const network = new MemoryNetwork(options.interceptor);
	const parties = circuit.inputBits.length;
	const { interceptor: _ignored, ...mpcOptions } = options;
	void _ignored;
	const runs = inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { ...mpcOptions, party }));
	const dealer = options.preprocessing === 'dealer' ? runDealer(network.channel(DEALER_PARTY), { parties }) : Promise.resolve();
	const settled = await Promise.allSettled(runs);
	const dealerSettled = await Promise.allSettled([dealer]);
	return {
		outputs: settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined)),
		errors: settled.map((s) => (s.status === 'rejected' ? s.reason : undefined)),
		dealerError: dealerSettled[0].status === 'rejected' ? dealerSettled[0].reason : undefined,
		network
	};
}

/** The plaintext result every output party must get. */
export function expected(circuit: Circuit, inputs: Bits[]): Bits {
	return evaluateCircuit(circuit, inputs);
}
