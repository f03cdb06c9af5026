import { BufferQueue } from 'emp-wasm';
import createModule from 'emp-wasm/dist/build/jslib.js';
import bristolToBinary from 'emp-wasm/dist/src/ts/bristolToBinary.js';
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

/**
 * The hooks one emp-wasm WebAssembly instance calls back into (`Module.emp`, read by its
 * `build/jslib.js`): the circuit in emp-wasm's binary form, the party's input, the channels,
 * and where the output or an error goes.
 */
interface EmpHooks {
	circuitBinary: Uint8Array;
	inputBits: Uint8Array;
	inputBitsPerParty: number[];
	io: {
		send(to: number, channel: 'a' | 'b', data: Uint8Array): void;
		recv(from: number, channel: 'a' | 'b', min: number, max: number): Promise<Uint8Array>;
	};
	handleOutput(bits: Uint8Array): void;
	handleError(error: Error): void;
}

/** One party's emp-wasm instance; `_run_2pc` / `_run_mpc(party, parties)` start its protocol. */
interface EmpInstance {
	emp?: EmpHooks;
	_run_2pc(party: number, parties: number): void;
	_run_mpc(party: number, parties: number): void;
}

/** emp-wasm set up for one run: the circuit converted to its binary form, one instance per party. */
export interface ReadyEmp {
	mode: EmpMode;
	circuitBinary: Uint8Array;
	inputBitsPerParty: number[];
	instances: EmpInstance[];
}

/**
 * Everything emp-wasm's `secureMPC` does before its protocol starts (in Node:
 * `dist/src/ts/nodeSecureMPC.js`): the Bristol text converted to emp-wasm's binary circuit,
 * and one WebAssembly instance per party. The benchmark does this before the clock starts,
 * as our engine's circuit is built and its code loaded before the clock starts.
 */
export async function prepareEmp(circuit: Circuit, mode: EmpMode): Promise<ReadyEmp> {
	const circuitBinary = bristolToBinary(toEmpBristol(circuit, mode));
	const instances: EmpInstance[] = [];
	for (let party = 0; party < circuit.inputBits.length; party++) instances.push((await createModule()) as EmpInstance);
	return { mode, circuitBinary, inputBitsPerParty: [...circuit.inputBits], instances };
}

export interface EmpRun {
	ms: number;
	bytesSent: number;
	outputs: Bits[];
}

/**
 * Runs all parties of a prepared emp-wasm in this process over in-memory queues, timed from
 * the start of the first party's protocol to the last party's output. Inside that time emp-wasm
 * reads its binary circuit into its own structures, as our engine validates and schedules its
 * circuit inside `mpc()`.
 */
export async function runEmp(ready: ReadyEmp, inputs: Bits[]): Promise<EmpRun> {
	const queues = new Map<string, BufferQueue>();
	const queue = (from: number, to: number, channel: string) => {
		const key = `${from}>${to}:${channel}`;
		let q = queues.get(key);
		if (!q) queues.set(key, (q = new BufferQueue()));
		return q;
	};
	let bytesSent = 0;
	const parties = ready.instances.length;
	const start = performance.now();
	const outputs = await Promise.all(
		ready.instances.map(
			(instance, party) =>
				new Promise<Bits>((resolve, reject) => {
					instance.emp = {
						circuitBinary: ready.circuitBinary,
						inputBits: inputs[party],
						inputBitsPerParty: ready.inputBitsPerParty,
						io: {
							send: (to, channel, data) => {
								bytesSent += data.length;
								queue(party, to, channel).push(data);
							},
							recv: (from, channel, min, max) => queue(from, party, channel).pop(min, max)
						},
						handleOutput: resolve,
						handleError: reject
					};
					if (ready.mode === '2pc') instance._run_2pc(party, parties);
					else instance._run_mpc(party, parties);
				})
		)
	);
	return { ms: performance.now() - start, bytesSent, outputs };
}
