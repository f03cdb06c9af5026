// What a run keeps in memory: nothing of what it has handled, so that memory does not grow
// with the circuit.
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { Session } from '../../../src/lib/mpc/session';
import { collectGarbage } from '../../helpers/memory';

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
});
