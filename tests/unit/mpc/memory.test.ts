// What a run keeps in memory: nothing of what it has handled, so that memory does not grow
// with the circuit.
import { describe, expect, it } from 'vitest';
import { DEALER_PARTY, type Channel } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { mpc, runDealer, type MpcProgress } from '../../../src/lib/mpc';
import { OtPreprocessing, triplePlan } from '../../../src/lib/mpc/ot-preprocessing';
import { Session } from '../../../src/lib/mpc/session';
import { collectGarbage } from '../../helpers/memory';
import { randomBits, randomCircuit, seeded } from './helpers';

const MESSAGES = 40;
const MESSAGE_BYTES = 64 * 1024;

describe('memory of a run', () => {
	it('a cancellable session keeps no message it has handed over', async () => {
		const network = new MemoryNetwork();
		const cancel = new AbortController();
		const sessions = [0, 1].map((me) => new Session({ channel: network.channel(me), parties: 2, me, notify: [1 - me], signal: cancel.signal }));
		const received: WeakRef<ArrayBufferLike>[] = [];
		for (let i = 0; i < MESSAGES; i++) {
			await sessions[1].send(0, new Uint8Array(MESSAGE_BYTES).fill(i), 'test', 0);
			const bytes = await sessions[0].recv(1, MESSAGE_BYTES, 'test', 0);
			expect(bytes[0]).toBe(i);
			received.push(new WeakRef(bytes.buffer));
		}
		await collectGarbage();
		// The last one may still sit in a register of this test's own suspended frame.
		const alive = received.slice(0, -1).filter((ref) => ref.deref() !== undefined).length;
		expect(alive, `messages of ${MESSAGE_BYTES} bytes still in memory after they were handled`).toBe(0);
		// The sessions and the signal are still in use: only the messages may go.
		expect(sessions.length + Number(cancel.signal.aborted)).toBe(2);
	});

	it('a run holds none of the messages it handled before, however long the circuit', { timeout: 60_000 }, async () => {
		// 150,000 AND gates in about 20 segments of the online phase.
		const circuit = randomCircuit([64, 64], 450_000, 16, seeded(3));
		const inputs = circuit.inputBits.map((bits, p) => randomBits(bits, seeded(20 + p)));
		const network = new MemoryNetwork();
		const cancel = new AbortController();
		// Party 0's messages, with where the evaluation was when each arrived. Every receive
		// waits for the next task, so that WeakRefs can clear and the check below runs in one.
		const received: { ref: WeakRef<ArrayBufferLike>; bytes: number; at: number }[] = [];
		let evaluated = 0;
		let early: typeof received | undefined;
		let alive: number | undefined;
		const watched: Channel = {
			sendBytesTo: (to, bytes, info) => network.channel(0).sendBytesTo(to, bytes, info),
			recvBytesFrom: async (from, info) => {
				const bytes = await network.channel(0).recvBytesFrom(from, info);
				await new Promise((resolve) => setImmediate(resolve));
				if (evaluated >= 0.8 && early && alive === undefined) {
					await collectGarbage();
					alive = early.filter(({ ref }) => ref.deref() !== undefined).reduce((sum, { bytes }) => sum + bytes, 0);
				}
				received.push({ ref: new WeakRef(bytes.buffer), bytes: bytes.length, at: evaluated });
				return bytes;
			}
		};
		const progress = (p: MpcProgress) => {
			if (p.phase !== 'evaluation') return;
			evaluated = p.done / p.total;
			if (evaluated >= 0.4 && !early) early = [...received];
		};
		const dealer = runDealer(network.channel(DEALER_PARTY), { parties: 2, signal: cancel.signal });
		await Promise.all([
			mpc(watched, circuit, inputs[0], { party: 0, preprocessing: 'dealer', signal: cancel.signal, onProgress: progress }),
			mpc(network.channel(1), circuit, inputs[1], { party: 1, preprocessing: 'dealer', signal: cancel.signal })
		]);
		await dealer;
		const earlyBytes = early!.reduce((sum, { bytes }) => sum + bytes, 0);
		expect(earlyBytes, 'bytes received before 40 % of the evaluation').toBeGreaterThan(10 * 2 ** 20);
		expect(alive, `of ${earlyBytes} bytes received before 40 % of the evaluation, still in memory at 80 %`).toBeLessThan(earlyBytes / 50);
	});

	it('OT preprocessing drops a batch of triples once the online phase has moved past it', { timeout: 120_000 }, async () => {
		const andGates = 2 * 48_000 + 1;
		const { batches, size } = triplePlan(andGates, 2);
		expect(batches).toBe(3);
		const network = new MemoryNetwork();
		const sessions = [0, 1].map((me) => new Session({ channel: network.channel(me), parties: 2, me, notify: [1 - me] }));
		for (const session of sessions) session.identify(new Uint8Array(32));
		const pres = await Promise.all(sessions.map((session) => OtPreprocessing.setup(session, 8, andGates, Promise.resolve())));
		// The first batch, all of it, as the online phase takes it; only a WeakRef stays here.
		const first = await Promise.all(
			pres.map(async (pre) => {
				const { gamma } = await pre.andGates(size);
				// A segment holds its material until it is garbled: its λ_γ must not keep the batch's leaky triples (views of one array with it).
				expect(gamma.words.buffer.byteLength, 'bytes behind a batch\'s λ_γ').toBe(size * gamma.stride * 4);
				return new WeakRef(gamma.words.buffer);
			})
		);
		await Promise.all(pres.map((pre) => pre.andGates(size)));
		await collectGarbage();
		expect(first.filter((ref) => ref.deref() !== undefined), 'first batches still in memory').toHaveLength(0);
		await Promise.all(pres.map((pre) => pre.andGates(andGates - 2 * size)));
	});
});
