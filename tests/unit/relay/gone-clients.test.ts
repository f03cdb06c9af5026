// A relay under load and clients that go away: long polls end with their client, a body whose
// client left is refused rather than read forever, and many waiting polls are no "leak".
import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { readBodyChunks } from '../../../src/lib/server/relay/body';
import { DEFAULT_CONFIG } from '../../../src/lib/server/relay/config';
import { clientSignal } from '../../../src/lib/server/relay/http';
import { MemoryStore } from '../../../src/lib/server/relay/memory-store';
import { Relay } from '../../../src/lib/server/relay/relay';

/** A route's event as adapter-node gives it: the Web request, and the Node request with its socket. */
function eventOn(socket: EventEmitter & { destroyed: boolean }): RequestEvent {
	return { request: new Request('http://relay.test/exchange/s/0', { method: 'POST' }), platform: { req: { socket } } } as unknown as RequestEvent;
}

describe('clients that go away', () => {
	it('abort the signal of a long poll whose body was read, once their connection closes; released, it listens no more', () => {
		const socket = Object.assign(new EventEmitter(), { destroyed: false });
		const client = clientSignal(eventOn(socket));
		expect(client.signal.aborted).toBe(false);
		expect(socket.listenerCount('close')).toBe(1);
		socket.emit('close');
		expect(client.signal.aborted).toBe(true);
		const next = clientSignal(eventOn(socket));
		next.release();
		expect(socket.listenerCount('close')).toBe(0);
		expect(clientSignal(eventOn(Object.assign(new EventEmitter(), { destroyed: true }))).signal.aborted).toBe(true);
	});

	it('leave a body that no one will finish: reading it is refused at once, not awaited forever', async () => {
		const gone = new IncomingMessage(new Socket());
		gone.destroy();
		// It closed before the route got to its body, as when the client left in between.
		await new Promise((resolve) => setImmediate(resolve));
		const read = readBodyChunks(new Request('http://relay.test/exchange/s/0', { method: 'POST' }), gone, 1024, 'message');
		await expect(read).rejects.toThrow('request body was cut off before its end');
	});
});

describe('many clients waiting at once', () => {
	it('is the normal load of a relay: no warning of a leak for 50 long polls', async () => {
		const relay = new Relay(new MemoryStore(DEFAULT_CONFIG), DEFAULT_CONFIG);
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => warnings.push(warning);
		process.on('warning', onWarning);
		try {
			const polls = Array.from({ length: 50 }, (_, i) => relay.recv({ session: 's', from: i + 1, to: 0 }, { waitMs: 100 }));
			expect(await Promise.all(polls)).toEqual(polls.map(() => null));
			await new Promise((resolve) => setImmediate(resolve));
			expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
		} finally {
			process.off('warning', onWarning);
			await relay.close();
		}
	});
});
