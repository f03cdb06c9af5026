import { DEALER_PARTY } from '../src/lib/channel/channel';
import { MemoryNetwork } from '../src/lib/channel/memory';
import { countGates, evaluateCircuit, type Bits, type Circuit } from '../src/lib/garble/circuit';
import { mpc, runDealer } from '../src/lib/mpc';

export interface RunResult {
	ms: number;
	andGates: number;
	bytesSent: number;
}

export function randomInputs(circuit: Circuit): Bits[] {
	return circuit.inputBits.map((bits) => Uint8Array.from({ length: bits }, () => (Math.random() < 0.5 ? 1 : 0)));
}

/** All parties (and the dealer) of our engine in this process over a MemoryNetwork; checks the output. */
export async function runEngine(circuit: Circuit, inputs: Bits[], preprocessing: 'dealer' | 'ot'): Promise<RunResult> {
	const network = new MemoryNetwork();
	const parties = circuit.inputBits.length;
	const start = performance.now();
	const dealer = preprocessing === 'dealer' ? runDealer(network.channel(DEALER_PARTY), { parties }) : Promise.resolve();
	const outputs = await Promise.all(inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { party, preprocessing })));
	await dealer;
	const ms = performance.now() - start;
	const want = evaluateCircuit(circuit, inputs).join('');
	if (outputs.some((out) => out?.join('') !== want)) throw new Error('the MPC output differs from plaintext evaluation');
	return { ms, andGates: countGates(circuit).and, bytesSent: network.totalBytesSent() };
}
