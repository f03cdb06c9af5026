// A message longer than MAX_MESSAGE_BYTES travels in pieces (Session.send). A receive of the
// next message on the same stream, started while the pieces of one still arrive, must get
// pieces of its own, not the rest of the first.
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import type { Circuit } from '../../../src/lib/garble/circuit';
import { MAX_MESSAGE_BYTES, Session } from '../../../src/lib/mpc/session';
import { expected, randomBits, runAll, seeded } from './helpers';

describe('messages in pieces', () => {
	it('two long messages on one stream, received at once, each get their own pieces', async () => {
		const network = new MemoryNetwork();
		const [receiver, sender] = [0, 1].map((me) => new Session({ channel: network.channel(me), parties: 2, me, notify: [1 - me] }));
		const length = Math.floor(2.5 * MAX_MESSAGE_BYTES);
		const first = receiver.recv(1, length, 'first', 0);
		const second = receiver.recv(1, length, 'second', 0);
		await sender.send(0, new Uint8Array(length).fill(1), 'first', 0);
		await sender.send(0, new Uint8Array(length).fill(2), 'second', 0);
		const [a, b] = await Promise.all([first, second]);
		expect([a.length, a.every((byte) => byte === 1)]).toEqual([length, true]);
		expect([b.length, b.every((byte) => byte === 2)]).toEqual([length, true]);
	});

	it('a run whose output mask shares and output values each take pieces ends with the output at every party', { timeout: 60_000 }, async () => {
		// Party 1's bits straight to the outputs: a garbler that learns the output receives the
		// evaluator's shares of the output masks and then its output values, each 16 bytes and
		// more per output bit, on one stream (output.ts).
		const outputBits = Math.ceil(MAX_MESSAGE_BYTES / 16) + 8_000;
		const circuit: Circuit = {
			inputBits: [1, outputBits],
			gateKinds: new Uint8Array(0),
			gateIn0: new Uint32Array(0),
			gateIn1: new Uint32Array(0),
			outputs: Uint32Array.from({ length: outputBits }, (_, i) => 1 + i)
		};
		const inputs = circuit.inputBits.map((bits, p) => randomBits(bits, seeded(40 + p)));
		const result = await runAll(circuit, inputs, { preprocessing: 'dealer' });
		expect(result.errors).toEqual([undefined, undefined]);
		for (const output of result.outputs) expect(output).toEqual(expected(circuit, inputs));
	});
});
