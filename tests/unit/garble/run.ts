/** Test helper: compile a Garble program, evaluate its circuit in plaintext, decode the result. */
import { compile, evaluateCircuit, type CompileOptions, type Program } from '../../../src/lib/garble';

/** The output text, or garble-lang's panic message. */
export function runProgram(program: Program, inputs: readonly string[]): string {
	const bits = inputs.map((literal, party) => program.encodeInput(party, literal));
	const output = program.decodeOutput(evaluateCircuit(program.circuit, bits));
	return output.kind === 'value' ? output.text : output.message;
}

export function run(source: string, inputs: readonly string[], options?: CompileOptions): string {
	return runProgram(compile(source, options), inputs);
}

/** The panic reason, or undefined when the program returns a value. */
export function panicReason(program: Program, inputs: readonly string[]): string | undefined {
	const bits = inputs.map((literal, party) => program.encodeInput(party, literal));
	const output = program.decodeOutput(evaluateCircuit(program.circuit, bits));
	return output.kind === 'panic' ? output.reason : undefined;
}

/** All integers in [from, to) stepping by `step`. */
export function range(from: number, to: number, step = 1): number[] {
	const out: number[] = [];
	for (let n = from; n < to; n += step) out.push(n);
	return out;
}
