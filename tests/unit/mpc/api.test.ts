import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { sha256 } from '@noble/hashes/sha2.js';
import { circuitDigest, mpc, MpcAbortError, runDealer, type MpcProgress } from '../../../src/lib/mpc';
import { randomBits, randomCircuit, runAll, seeded, sumCircuit, toBits } from './helpers';

describe('mpc() API', { timeout: 60_000 }, () => {
	it('reports progress per phase with fractions and traffic, throttled', async () => {
		const circuit = randomCircuit([8, 8], 40000, 8, seeded(9));
		const inputs = circuit.inputBits.map((bits) => randomBits(bits, seeded(10)));
		const network = new MemoryNetwork();
		const reports: MpcProgress[][] = [[], []];
		const dealer = runDealer(network.channel(DEALER_PARTY), { parties: 2 });
		await Promise.all(inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { party, preprocessing: 'dealer', onProgress: (p) => reports[party].push(p) })));
		await dealer;
		expect(reports[0].map((r) => r.phase)).toContain('evaluation');
		expect(reports[1].map((r) => r.phase)).toContain('garbling');
		for (const list of reports) {
			for (const phase of ['input', 'output']) expect(list.some((r) => r.phase === phase && r.done === r.total)).toBe(true);
			for (const r of list) expect(r.done).toBeLessThanOrEqual(r.total);
			expect(list.length).toBeLessThan(100);
			expect(list[list.length - 1].bytesSent).toBeGreaterThan(0);
			expect(list[list.length - 1].bytesReceived).toBeGreaterThan(0);
		}
	});

	it('rejects bad arguments with messages that say what is wrong', async () => {
		const circuit = sumCircuit(2, 4);
		const channel = new MemoryNetwork().channel(0);
		const bits = toBits(3, 4);
		await expect(mpc(channel, circuit, bits, { party: 2, preprocessing: 'dealer' })).rejects.toThrow(/party must be an integer from 0 to 1/);
		await expect(mpc(channel, circuit, toBits(3, 3), { party: 0, preprocessing: 'dealer' })).rejects.toThrow(/must supply 4 input bits, got 3/);
		await expect(mpc(channel, circuit, Uint8Array.of(0, 2, 0, 0), { party: 0, preprocessing: 'dealer' })).rejects.toThrow(/input bit 1 is 2/);
		await expect(mpc(channel, circuit, bits, { party: 0, preprocessing: 'dealer', evaluator: 5 })).rejects.toThrow(/evaluator/);
		await expect(mpc(channel, circuit, bits, { party: 0, preprocessing: 'dealer', outputParties: [] })).rejects.toThrow(/at least one output party/);
		await expect(mpc(channel, circuit, bits, { party: 0, preprocessing: 'dealer', outputParties: [0, 7] })).rejects.toThrow(/output party 7/);
	});

	it('tells the other parties when one party cannot start', async () => {
		const circuit = sumCircuit(3, 4);
		const inputs = [toBits(1, 4), toBits(2, 3), toBits(3, 4)];
		const { outputs, errors } = await runAll(circuit, inputs, { preprocessing: 'ot' });
		expect(outputs.every((o) => o === undefined)).toBe(true);
		expect((errors[1] as Error).message).toMatch(/must supply 4 input bits/);
		for (const p of [0, 2]) expect((errors[p] as Error).message).toMatch(/party 1 aborted: .*must supply 4 input bits/);
	});

	it('the dealer refuses parties that disagree on the circuit', async () => {
		const network = new MemoryNetwork();
		const a = sumCircuit(2, 4);
		const b = sumCircuit(2, 5);
		const dealer = runDealer(network.channel(DEALER_PARTY), { parties: 2 });
		const runs = await Promise.allSettled([
			mpc(network.channel(0), a, toBits(1, 4), { party: 0, preprocessing: 'dealer' }),
			mpc(network.channel(1), b, toBits(1, 5), { party: 1, preprocessing: 'dealer' })
		]);
		await expect(dealer).rejects.toThrow(/disagree/);
		for (const run of runs) {
			expect(run.status).toBe('rejected');
			expect((run as PromiseRejectedResult).reason).toBeInstanceOf(MpcAbortError);
			expect(((run as PromiseRejectedResult).reason as Error).message).toMatch(/dealer \(party 255\) aborted: the parties disagree/);
		}
	});

	it('stops on an abort signal and tells the others', async () => {
		const circuit = sumCircuit(2, 16);
		const network = new MemoryNetwork();
		const controller = new AbortController();
		const dealer = runDealer(network.channel(DEALER_PARTY), { parties: 2 });
		// Handled from the start: the dealer may hear of the abort before the parties settle.
		const dealerSettled = Promise.allSettled([dealer]);
		const runs = Promise.allSettled([
			mpc(network.channel(0), circuit, toBits(1, 16), { party: 0, preprocessing: 'dealer', signal: controller.signal }),
			// Party 1 never starts before the abort: party 0 waits for it.
			new Promise((resolve) => setTimeout(resolve, 50)).then(() => mpc(network.channel(1), circuit, toBits(2, 16), { party: 1, preprocessing: 'dealer' }))
		]);
		setTimeout(() => controller.abort(new Error('user pressed stop')), 10);
		const [first, second] = await runs;
		expect((first as PromiseRejectedResult).reason).toMatchObject({ check: 'cancelled', party: 0 });
		expect(((first as PromiseRejectedResult).reason as Error).message).toMatch(/party 0 cancelled the run: user pressed stop/);
		// The others are told why, in the words of the one that stopped (who it is, said once).
		const [dealerOutcome] = await dealerSettled;
		for (const told of [second, dealerOutcome] as PromiseRejectedResult[]) {
			expect(told.reason).toMatchObject({ check: 'peer abort', party: 0, message: 'party 0 cancelled the run: user pressed stop' });
		}
	});

	it('digests a circuit as SHA-256 of its sizes and of 4 MiB chunks of its arrays (Web Crypto here), and differently after one changed wire', async () => {
		const circuit = randomCircuit([5, 7], 1_100_000, 4, seeded(11));
		const bytes = (words: Uint32Array) => new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
		const chunk = 4 * 1024 * 1024;
		const chunks = [circuit.gateKinds, bytes(circuit.gateIn0), bytes(circuit.gateIn1), bytes(circuit.outputs)].flatMap((part) =>
			Array.from({ length: Math.ceil(part.length / chunk) }, (_, i) => sha256(part.subarray(i * chunk, (i + 1) * chunk)))
		);
		expect(chunks).toHaveLength(1 + 2 + 2 + 1);
		const sizes = bytes(Uint32Array.of(2, 1_100_000, 4, 5, 7));
		const want = sha256(Uint8Array.from([...new TextEncoder().encode('polytune-web circuit digest v2'), ...sizes, ...chunks.flatMap((d) => [...d])]));
		expect(await circuitDigest(circuit)).toEqual(want);
		const changed = { ...circuit, gateIn1: circuit.gateIn1.slice() };
		changed.gateIn1[100] ^= 1;
		expect(await circuitDigest(changed)).not.toEqual(want);
		// The sizes are part of it: the same bytes split differently between parties differ.
		expect(await circuitDigest({ ...circuit, inputBits: [6, 6] })).not.toEqual(want);
	});
});
