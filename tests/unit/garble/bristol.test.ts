/** The Bristol Fashion export evaluates like the circuit itself. */
import { describe, expect, it } from 'vitest';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import { bristolChunks } from '../../../src/lib/garble/circuit/bristol';

/** A plain Bristol Fashion evaluator (XOR, AND, INV, EQW): inputs value after value, outputs on the last wires. */
function evaluateBristol(text: string, inputs: Uint8Array[]): Uint8Array {
	const lines = text.split('\n');
	const [, wireCount] = lines[0].split(' ').map(Number);
	const [inputValues, ...inputWidths] = lines[1].trim().split(' ').map(Number);
	const outputWidths = lines[2].trim().split(' ').map(Number).slice(1);
	expect(inputWidths.length).toBe(inputValues);
	const wires = new Uint8Array(wireCount);
	wires.set(inputs.flatMap((bits) => [...bits]));
	for (const line of lines.slice(4)) {
		if (line === '') continue;
		const parts = line.split(' ');
		const kind = parts[parts.length - 1];
		const [a, b, out] = parts.slice(2, -1).map(Number);
		if (kind === 'INV') wires[b] = wires[a] ^ 1;
		else if (kind === 'EQW') wires[b] = wires[a];
		else wires[out] = kind === 'XOR' ? wires[a] ^ wires[b] : wires[a] & wires[b];
	}
	const outputs = outputWidths.reduce((a, b) => a + b, 0);
	return wires.slice(wireCount - outputs);
}

describe('Bristol Fashion export', () => {
	it('computes the same outputs, panic code included, even for outputs that are inputs', () => {
		const program = compile('pub fn main(x: u8, y: u8) -> (u8, u8, u8) { (x * y, x, x) }');
		const text = [...bristolChunks(program.circuit, [24, program.panicCodeBits])].join('');
		expect(text.split('\n')[2]).toBe(`2 24 ${program.panicCodeBits}`);
		for (const [x, y] of [[3, 4], [200, 2], [0, 255]]) {
			const inputs = [program.encodeInput(0, `${x}`), program.encodeInput(1, `${y}`)];
			expect(evaluateBristol(text, inputs)).toEqual(evaluateCircuit(program.circuit, inputs));
		}
	});
});
