// The engine with all its parties (and the dealer) in one thread over in-memory channels, as
// `npm run bench`, bench:kernels and the app's /bench page time it.
import { frameStream } from '../channel/abortable';
import { DEALER_PARTY } from '../channel/channel';
import { MemoryNetwork } from '../channel/memory';
import { countGates, evaluateCircuit, GATE_AND, totalInputBits, type Bits, type Circuit } from '../garble/circuit';
import { mpc, runDealer } from '../mpc';
import { protocolPart, type ProtocolPart } from '../mpc/streams';

export interface RunResult {
	ms: number;
	andGates: number;
	/** Every message of every party (and the dealer), in bytes. */
	bytesSent: number;
	/** The same by the part of the protocol each message belongs to (its stream); abort notices and unknown streams as `other`. */
	bytesByPart: Partial<Record<ProtocolPart | 'other', number>>;
}

export function randomInputs(circuit: Circuit): Bits[] {
	return circuit.inputBits.map((bits) => Uint8Array.from({ length: bits }, () => (Math.random() < 0.5 ? 1 : 0)));
}

/**
 * All parties (and the dealer, which knows the circuit) of our engine in this thread over a
 * MemoryNetwork; checks the output against plaintext evaluation.
 */
export async function runEngine(circuit: Circuit, inputs: Bits[], preprocessing: 'dealer' | 'ot'): Promise<RunResult> {
	const bytesByPart: RunResult['bytesByPart'] = {};
	const network = new MemoryNetwork((_from, _to, frame) => {
		const stream = frameStream(frame);
		const part = (stream === undefined ? undefined : protocolPart(stream)) ?? 'other';
		bytesByPart[part] = (bytesByPart[part] ?? 0) + frame.length;
		return frame;
	});
	const parties = circuit.inputBits.length;
	const start = performance.now();
	const dealer = preprocessing === 'dealer' ? runDealer(network.channel(DEALER_PARTY), { parties, circuit }) : Promise.resolve();
	const outputs = await Promise.all(inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { party, preprocessing })));
	await dealer;
	const ms = performance.now() - start;
	const want = evaluateCircuit(circuit, inputs).join('');
	if (outputs.some((out) => out?.join('') !== want)) throw new Error('the MPC output differs from plaintext evaluation');
	return { ms, andGates: countGates(circuit).and, bytesSent: network.totalBytesSent(), bytesByPart };
}

/** A chain of `ands` AND gates, each depending on the previous one; every party has one input bit. */
export function andChain(parties: number, ands: number): Circuit {
	const gateIn0 = new Uint32Array(ands);
	const gateIn1 = new Uint32Array(ands);
	for (let g = 0; g < ands; g++) {
		gateIn0[g] = g === 0 ? 0 : parties + g - 1;
		gateIn1[g] = (g + 1) % parties;
	}
	return { inputBits: Array(parties).fill(1), gateKinds: new Uint8Array(ands).fill(GATE_AND), gateIn0, gateIn1, outputs: Uint32Array.of(parties + ands - 1) };
}

/** The same circuit with its input bits split among `parties` parties as evenly as possible. */
export function forParties(circuit: Circuit, parties: number): Circuit {
	if (circuit.inputBits.length === parties) return circuit;
	const total = totalInputBits(circuit);
	const inputBits = Array.from({ length: parties }, (_, p) => Math.floor(total / parties) + (p < total % parties ? 1 : 0));
	return { ...circuit, inputBits };
}
