// The benchmarks' count of bytes by part of the protocol (src/lib/bench/in-process.ts): every
// byte of a run lands in the part its stream carries, and each mode's preprocessing in its own.
import { describe, expect, it } from 'vitest';
import { andChain, randomInputs, runEngine } from '../../../src/lib/bench/in-process';

describe('bytes by part of the protocol', () => {
	const circuit = andChain(3, 300);

	it('adds up to every byte sent, the preprocessing under its mode, the garbled tables the same in both', async () => {
		const ot = await runEngine(circuit, randomInputs(circuit), 'ot');
		const dealer = await runEngine(circuit, randomInputs(circuit), 'dealer');
		for (const run of [ot, dealer]) {
			expect(Object.values(run.bytesByPart).reduce((sum, bytes) => sum + (bytes ?? 0), 0)).toBe(run.bytesSent);
			// A run that went well sends no abort notice.
			expect(run.bytesByPart.other).toBeUndefined();
			expect(run.bytesByPart['garbled tables']).toBeGreaterThan(0);
		}
		expect(ot.bytesByPart['OT preprocessing']).toBeGreaterThan(0);
		expect(ot.bytesByPart.dealer).toBeUndefined();
		expect(dealer.bytesByPart.dealer).toBeGreaterThan(0);
		expect(dealer.bytesByPart['OT preprocessing']).toBeUndefined();
		expect(dealer.bytesByPart['garbled tables']).toBe(ot.bytesByPart['garbled tables']);
	});
});
