import { BufferQueue, secureMPC } from 'emp-wasm';
import { GATE_AND, GATE_NOT, totalInputBits, type Bits, type Circuit } from '../src/lib/garble/circuit';

/** emp-wasm's two protocols: ag2pc (two parties only) and agmpc (any number). */
export type EmpMode = '2pc' | 'mpc';

/**
 * The circuit in the Bristol dialect emp-wasm reads: header "<gates> <wires>" and
 * "<n1> <n2> <outputs>", gates "2 1 a b out XOR|AND" and "1 1 a out INV", outputs on the last
 * wires. Outputs are copied to the end as x ⊕ 0, with 0 = w ⊕ w (XOR costs nothing).
 */
export function toEmpBristol(circuit: Circuit, mode: EmpMode): string {
	const inputs = totalInputBits(circuit);
	const gates = circuit.gateKinds.length;
	const lines: string[] = [];
	for (let g = 0; g < gates; g++) {
		const out = inputs + g;
		const a = circuit.gateIn0[g];
		const kind = circuit.gateKinds[g];
		lines.push(kind === GATE_NOT ? `1 1 ${a} ${out} INV` : `2 1 ${a} ${circuit.gateIn1[g]} ${out} ${kind === GATE_AND ? 'AND' : 'XOR'}`);
	}
	const zero = inputs + gates;
	lines.push(`2 1 0 0 ${zero} XOR`);
	circuit.outputs.forEach((w, i) => lines.push(`2 1 ${w} ${zero} ${zero + 1 + i} XOR`));
	const outputs = circuit.outputs.length;
	const [first, ...rest] = circuit.inputBits;
	const inputLine = mode === '2pc' ? `${first} ${rest.reduce((a, b) => a + b, 0)} ${outputs}` : `${inputs} 0 ${outputs}`;
	return [`${lines.length} ${zero + 1 + outputs}`, inputLine, '', ...lines, ''].join('\n');
}

export interface EmpRun {
	ms: number;
	bytesSent: number;
	outputs: Bits[];
}

/** Runs all parties of emp-wasm (ag2pc for '2pc', agmpc for 'mpc') in this process. */
export async function runEmp(circuit: Circuit, inputs: Bits[], mode: EmpMode): Promise<EmpRun> {
	const text = toEmpBristol(circuit, mode);
	const queues = new Map<string, BufferQueue>();
	const queue = (from: number, to: number, channel: string) => {
		const key = `${from}>${to}:${channel}`;
		let q = queues.get(key);
		if (!q) queues.set(key, (q = new BufferQueue()));
		return q;
	};
	let bytesSent = 0;
	const size = circuit.inputBits.length;
	const start = performance.now();
	const outputs = await Promise.all(
		inputs.map((inputBits, party) =>
			secureMPC({
				party,
				size,
				circuit: text,
				inputBits,
				inputBitsPerParty: [...circuit.inputBits],
				mode,
				io: {
					send: (to, channel, data) => {
						bytesSent += data.length;
						queue(party, to, channel).push(data);
					},
					recv: (from, channel, min, max) => queue(from, party, channel).pop(min, max)
				}
			})
		)
	);
	return { ms: performance.now() - start, bytesSent, outputs };
}
