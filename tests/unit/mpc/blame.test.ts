import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { GATE_AND, type Circuit } from '../../../src/lib/garble/circuit';
import { MpcAbortError } from '../../../src/lib/mpc';
import { attack, honestOutcomes, type AttackResult, type Message, type Strategy } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * An abort names the party whose data failed a check only where that is certain; where a
 * check cannot tell which of several parties cheated, it names nobody (−1). One cheater, with
 * two honest parties (or an honest dealer) to set against each other, tries to get an honest
 * party named: each case asserts that every honest party stops, with the check that catches
 * it, naming the cheater or nobody, never an honest party.
 */
const WIDTH = 4;
const inputsFor = (parties: number) => Array.from({ length: parties }, (_, p) => toBits((3 * p + 5) & 15, WIDTH));

/** Changes the cheater's message of `phase` to `to` (every one of them). */
function tamper(cheater: number, to: number, phase: string, change: (payload: Uint8Array, message: Message) => Uint8Array | Promise<Uint8Array>): Strategy {
	return {
		async send(message) {
			if (message.from !== cheater || message.to !== to || message.phase !== phase) return undefined;
			return [await change(message.payload.slice(), message)];
		}
	};
}

/** Every honest party stopped; what the honest parties (or the honest dealer) reported, peer aborts aside. */
function reports(result: AttackResult, byDealer = false): MpcAbortError[] {
	const { aborted, finished } = honestOutcomes(result);
	expect(finished, 'honest parties that finished').toEqual([]);
	const found = byDealer ? [result.dealerError as MpcAbortError] : aborted.filter((error) => error.check !== 'peer abort');
	expect(found.length, aborted.map((error) => error.message).join('\n')).toBeGreaterThan(0);
	for (const error of found) expect(error).toBeInstanceOf(MpcAbortError);
	return found;
}

function expectBlame(found: MpcAbortError[], check: string, blamed: number): void {
	for (const error of found) expect([error.check, error.party], error.message).toEqual([check, blamed]);
}

describe('an abort never names an honest party', { timeout: 90_000 }, () => {
	it('an echo that misreports a third party’s broadcasts names nobody (OT preprocessing)', async () => {
		// Round D: the key-consistency opening, then the echo: one 32-byte digest per party, party 2's last.
		const strategy = tamper(0, 1, 'preprocessing 0 (key consistency)', (payload) => {
			payload[payload.length - 1] ^= 1;
			return payload;
		});
		expectBlame(reports(await attack(sumCircuit(3, WIDTH), inputsFor(3), { preprocessing: 'ot' }, [0], strategy)), 'broadcast consistency', -1);
	});

	it('an echo that misreports a third party’s masked inputs names nobody (dealer)', async () => {
		const strategy = tamper(0, 1, 'masked inputs (broadcast check)', (payload) => {
			payload[2 * 32] ^= 1;
			return payload;
		});
		expectBlame(reports(await attack(sumCircuit(3, WIDTH), inputsFor(3), { preprocessing: 'dealer' }, [0], strategy)), 'broadcast consistency', -1);
	});

	it('a commitment copied from another honest party fails at its opening, naming the copier', async () => {
		const phase = 'preprocessing 0 (OT extension)';
		// Round A ends with the two coin commitments (32 bytes each): party 0 puts party 2's first
		// in its message to party 1, which sees party 0's before party 2's.
		const strategy: Strategy = {
			async send(message, coalition) {
				if (message.from !== 0 || message.to !== 1 || message.phase !== phase) return undefined;
				await coalition.rush();
				const copied = coalition.find(phase, 2, 0).payload;
				const payload = message.payload.slice();
				const at = payload.length - 64;
				payload.set(copied.subarray(at, at + 32), at);
				return [payload];
			}
		};
		expectBlame(reports(await attack(sumCircuit(3, WIDTH), inputsFor(3), { preprocessing: 'ot' }, [0], strategy)), 'commitment check', 0);
	});

	it('run nonces sent differently to two honest parties fail the sender’s own commitments', async () => {
		const strategy = tamper(2, 1, 'run nonces', (payload) => {
			payload[0] ^= 1;
			return payload;
		});
		expectBlame(reports(await attack(sumCircuit(3, WIDTH), inputsFor(3), { preprocessing: 'ot' }, [2], strategy)), 'commitment check', 2);
	});

	for (const parties of [2, 3]) {
		it(`the dealer, told another circuit by one party, names nobody (${parties} parties)`, async () => {
			// The header: six words and each party's input count, then the circuit digest.
			const strategy = tamper(0, DEALER_PARTY, 'dealer request', (payload) => {
				payload[4 * (6 + parties)] ^= 1;
				return payload;
			});
			const found = reports(await attack(sumCircuit(parties, WIDTH), inputsFor(parties), { preprocessing: 'dealer' }, [0], strategy), true);
			expectBlame(found, 'dealer request', -1);
		});
	}

	// A garbler's row holds, besides the evaluator's MAC and its label part, its MAC under every
	// other garbler's Δ, which the evaluator adds into that garbler's label unchecked: garbler 1
	// changes the one for garbler 2 (3 parties: the evaluator's truncated MAC, 8 bytes, then it).
	const ROW_BYTES = 16 * 3 - 8;
	const corruptOtherGarblersBlock = tamper(1, 0, 'garbled gates', (payload) => {
		for (let row = 0; row < payload.length / ROW_BYTES; row++) payload[row * ROW_BYTES + 8] ^= 1;
		return payload;
	});
	/** One AND gate of parties 0 and 1, the circuit's output; party 2's input bit is unused. */
	const singleAnd: Circuit = { inputBits: [1, 1, 1], gateKinds: Uint8Array.of(GATE_AND), gateIn0: Uint32Array.of(0), gateIn1: Uint32Array.of(1), outputs: Uint32Array.of(3) };

	for (const preprocessing of ['dealer', 'ot'] as const) {
		it(`a garbler that spoils another garbler’s label is not told apart from it: the row check names nobody (${preprocessing})`, async () => {
			expectBlame(reports(await attack(sumCircuit(3, WIDTH), inputsFor(3), { preprocessing }, [1], corruptOtherGarblersBlock)), 'garbled row check', -1);
		});

		it(`… nor from the evaluator: the output label check names nobody (${preprocessing})`, async () => {
			const inputs = [Uint8Array.of(1), Uint8Array.of(1), Uint8Array.of(0)];
			expectBlame(reports(await attack(singleAnd, inputs, { preprocessing }, [1], corruptOtherGarblersBlock)), 'output label check', -1);
		});
	}
});
