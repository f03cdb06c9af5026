// What a computation must give, and how a CLI party's run is checked against it.
import { expect } from 'vitest';
import { compile, evaluateCircuit, type ConstInputs } from '../../src/lib/garble';
import type { ProcessResult } from './process';

/** The program's result computed in plaintext (or its panic message): what MPC must agree with. */
export function plaintextResult(source: string, inputs: string[], consts?: ConstInputs): string {
	const program = compile(source, { consts });
	const output = program.decodeOutput(evaluateCircuit(program.circuit, inputs.map((input, party) => program.encodeInput(party, input))));
	return output.kind === 'value' ? output.text : output.message;
}

/** A finished process, in full: for assertion messages. */
export const explainRun = (result: ProcessResult) => `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;

/** Every `polytune party` run exited 0 with `The result is <expected>` as its last line. */
export function expectPartyResults(results: ProcessResult[], expected: string): void {
	for (const result of results) {
		expect(result.code, explainRun(result)).toBe(0);
		expect(result.stdout.trim().split('\n').at(-1), explainRun(result)).toBe(`The result is ${expected}`);
	}
}
