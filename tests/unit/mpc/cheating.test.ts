import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MpcAbortError } from '../../../src/lib/mpc';
import { extendedRows } from '../../../src/lib/ot/kos';
import { runAll, sumCircuit, toBits, type RunResult, type Tamper } from './helpers';

/**
 * One participant changes one message in flight; every party must then fail with
 * MpcAbortError and none may return an output. The check and the blamed party are asserted
 * where the protocol determines them.
 */
const PARTIES = 3;
const WIDTH = 8;
const circuit = sumCircuit(PARTIES, WIDTH);
const inputs = [toBits(200, WIDTH), toBits(99, WIDTH), toBits(17, WIDTH)];

async function run(preprocessing: 'dealer' | 'ot', tamper: Tamper): Promise<RunResult> {
	return runAll(circuit, inputs, { preprocessing, tamper });
}

function expectAbort(result: RunResult, checks: string[], blamed?: number): void {
	expect(result.outputs.every((o) => o === undefined)).toBe(true);
	for (const error of result.errors) {
		expect(error).toBeInstanceOf(MpcAbortError);
		const message = (error as MpcAbortError).message;
		expect(checks.some((check) => message.includes(check)), message).toBe(true);
	}
	const detected = result.errors.filter((e) => checks.includes((e as MpcAbortError).check) && (blamed === undefined || (e as MpcAbortError).party === blamed));
	expect(detected.length, result.errors.map((e) => (e as Error).message).join('\n')).toBeGreaterThan(0);
}

const flipByte = (offset: number, mask = 1) => (payload: Uint8Array) => {
	payload[offset] ^= mask;
};

describe('cheating is detected', { timeout: 60_000 }, () => {
	it('the dealer flips a MAC bit', async () => {
		const result = await run('dealer', { party: DEALER_PARTY, to: 1, phase: 'dealer material', mutate: flipByte(0) });
		expectAbort(result, ['MAC check'], 1);
		expect(result.errors.some((e) => (e as Error).message.includes("MAC check failed on party 1's mask share of input wire 0"))).toBe(true);
		expect(result.dealerError).toBeInstanceOf(MpcAbortError);
	});

	it('the dealer flips share bits of the evaluator’s AND triples', async () => {
		const result = await run('dealer', {
			party: DEALER_PARTY,
			to: 0,
			phase: 'dealer material',
			nth: 1,
			mutate: (payload) => {
				for (let i = payload.length - 4; i < payload.length; i++) payload[i] ^= 0xff;
			}
		});
		expectAbort(result, ['garbled row check', 'output label check']);
	});

	for (const preprocessing of ['dealer', 'ot'] as const) {
		it(`a party flips a bit of its Beaver opening (${preprocessing})`, async () => {
			const result = await run(preprocessing, { party: 1, to: 2, phase: 'Beaver openings of AND gates', mutate: flipByte(0) });
			expectAbort(result, ['MAC check'], 1);
		});

		it(`a garbler flips bits in a garbled gate (${preprocessing})`, async () => {
			// Gate 0 of garbler 1: four rows of three blocks less 8 bytes; the evaluator's
			// (truncated) MAC comes first.
			const result = await run(preprocessing, {
				party: 1,
				phase: 'garbled gates',
				mutate: (payload) => {
					for (let row = 0; row < 4; row++) payload[row * (PARTIES * 16 - 8)] ^= 1;
				}
			});
			expectAbort(result, ['garbled row check'], 1);
		});
	}

	it('a party flips a MAC of an input mask share', async () => {
		// Message to party 0: its 8 mask bits (1 byte), then the MACs.
		const result = await run('dealer', { party: 1, to: 0, phase: 'input mask shares', mutate: flipByte(1) });
		expectAbort(result, ['MAC check'], 1);
		expect(result.errors.some((e) => (e as Error).message.includes("party 1's mask share of input wire 0"))).toBe(true);
	});

	it('a party sends different masked inputs to different parties', async () => {
		const result = await run('dealer', { party: 1, to: 2, phase: 'masked inputs', mutate: flipByte(0) });
		expectAbort(result, ['broadcast consistency'], 1);
	});

	it('a party flips a MAC of an output mask share', async () => {
		const packed = Math.ceil(circuit.outputs.length / 8);
		const result = await run('ot', { party: 1, to: 2, phase: 'output shares', mutate: flipByte(packed + 3) });
		expectAbort(result, ['MAC check'], 1);
	});

	it('the evaluator reports a wrong output value', async () => {
		const result = await run('dealer', { party: 0, to: 1, phase: 'output values', mutate: flipByte(0) });
		expectAbort(result, ['output label check'], 0);
	});

	it('a party flips bits of its OT extension matrix', async () => {
		// The first batch has the 24 input masks and ρ check bits: 256 extended rows.
		const rows = extendedRows(24 + 40);
		const result = await run('ot', {
			party: 1,
			to: 2,
			phase: 'authenticated bits (OT extension)',
			mutate: (payload) => {
				for (let column = 0; column < 64; column++) payload[(column * rows) / 8] ^= 1 << 3;
			}
		});
		expectAbort(result, ['KOS consistency check'], 1);
	});

	it('a party flips a bit of a base OT message', async () => {
		const result = await run('ot', { party: 0, to: 1, phase: 'base OT', mutate: flipByte(5) });
		expectAbort(result, ['base OT', 'KOS consistency check'], 0);
	});

	it('a party flips a bit of its coin-tossing commitment', async () => {
		const result = await run('ot', {
			party: 1,
			to: 2,
			phase: 'authenticated bits (OT extension)',
			mutate: (payload) => {
				payload[payload.length - 1] ^= 1;
			}
		});
		expectAbort(result, ['commitment check'], 1);
	});

	it('a party changes an opening of the global key consistency check', async () => {
		const result = await run('ot', { party: 1, to: 2, phase: 'authenticated bits (key consistency)', mutate: flipByte(0) });
		expectAbort(result, ['commitment check'], 1);
	});

	it('a party sends wrong half-AND messages', async () => {
		const result = await run('ot', {
			party: 1,
			to: 2,
			phase: 'AND triples (half AND)',
			mutate: (payload) => {
				// h0 and h1 of the first eight leaky triples: wrong whatever party 2's bits are.
				const packed = (payload.length - 32) / 2;
				payload[0] ^= 0xff;
				payload[packed] ^= 0xff;
			}
		});
		expectAbort(result, ['leaky AND check']);
	});

	it('a party sends wrong leaky-AND check values', async () => {
		const result = await run('ot', {
			party: 2,
			to: 0,
			phase: 'AND triples (leaky AND)',
			mutate: (payload) => {
				// e bits, then 8 bytes of U per leaky triple. Change U of the first 64 triples: wrong
				// wherever party 0's x bit is 1.
				let leaky = Math.floor(payload.length / 8);
				while (Math.ceil(leaky / 8) + 8 * leaky > payload.length) leaky--;
				const packed = payload.length - 8 * leaky;
				for (let k = 0; k < 64; k++) payload[packed + 8 * k] ^= 1;
			}
		});
		expectAbort(result, ['leaky AND check']);
	});
});
