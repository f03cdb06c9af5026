/**
 * Export of a circuit in Bristol Fashion (https://nigelsmart.github.io/MPC-Circuits/), for
 * comparison with other engines. Only XOR, AND and INV gates are used. Bristol Fashion wants
 * the outputs on the last wires, in order; each output bit is therefore copied there by an
 * XOR with a zero wire (XOR gates are free under free-XOR), which also covers outputs that are
 * inputs or repeated.
 */
import { GATE_AND, GATE_XOR, totalInputBits, type Circuit } from './circuit';

/** The Bristol text in chunks; `outputWidths` split the outputs into values (default: one). */
export function* bristolChunks(circuit: Circuit, outputWidths: readonly number[] = [circuit.outputs.length]): Generator<string> {
	const inputs = totalInputBits(circuit);
	if (inputs === 0) throw new Error('a circuit without input bits cannot be written in Bristol Fashion');
	const gates = circuit.gateKinds.length;
	const outputs = circuit.outputs.length;
	const zero = inputs + gates;
	const firstOutput = zero + 1;
	yield `${gates + 1 + outputs} ${firstOutput + outputs}\n`;
	yield `${circuit.inputBits.length} ${circuit.inputBits.join(' ')}\n`;
	yield `${outputWidths.length} ${outputWidths.join(' ')}\n\n`;
	let chunk = '';
	for (let g = 0; g < gates; g++) {
		const out = inputs + g;
		const kind = circuit.gateKinds[g];
		const a = circuit.gateIn0[g];
		if (kind === GATE_XOR) chunk += `2 1 ${a} ${circuit.gateIn1[g]} ${out} XOR\n`;
		else if (kind === GATE_AND) chunk += `2 1 ${a} ${circuit.gateIn1[g]} ${out} AND\n`;
		else chunk += `1 1 ${a} ${out} INV\n`;
		if (chunk.length > 1 << 16) {
			yield chunk;
			chunk = '';
		}
	}
	chunk += `2 1 0 0 ${zero} XOR\n`;
	for (let o = 0; o < outputs; o++) chunk += `2 1 ${circuit.outputs[o]} ${zero} ${firstOutput + o} XOR\n`;
	yield chunk;
}
