import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../src/lib/server/relay/fifo';
import { bytes } from '../../../src/lib/server/relay/http';
import { KeyedSerial } from '../../../src/lib/server/relay/serial';
import { WakeRegistry } from '../../../src/lib/server/relay/wake';

describe('relay building blocks', () => {
	it('Fifo keeps order across pushes, shifts, put-backs and compaction', () => {
		const fifo = new Fifo<number>();
		const model: number[] = [];
		let next = 0;
		for (let step = 0; step < 5000; step++) {
			const choice = (step * 7919) % 10;
			if (choice < 5) {
				fifo.push(next);
				model.push(next++);
			} else if (choice < 9) {
				expect(fifo.shift()).toBe(model.shift());
			} else if (model.length > 0) {
				const item = model.shift()!;
				expect(fifo.shift()).toBe(item);
				fifo.unshift(item);
				model.unshift(item);
			}
			expect(fifo.length).toBe(model.length);
		}
	});

	it('KeyedSerial runs one task at a time per key and keys in parallel, and forgets idle keys', async () => {
		const serial = new KeyedSerial();
		const log: string[] = [];
		const task = (name: string, ms: number) => async () => {
			log.push(`start ${name}`);
			await new Promise((resolve) => setTimeout(resolve, ms));
			log.push(`end ${name}`);
			if (name === 'a1') throw new Error('a1 failed');
			return name;
		};
		const a1 = serial.run('a', task('a1', 30));
		const a2 = serial.run('a', task('a2', 1));
		const b1 = serial.run('b', task('b1', 1));
		await expect(a1).rejects.toThrow('a1 failed');
		expect(await a2).toBe('a2');
		expect(await b1).toBe('b1');
		expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
		expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
		await serial.idle();
		expect(serial.size).toBe(0);
	});

	it('WakeRegistry wakes the waiters of one key only and forgets cancelled ones', async () => {
		const wakeups = new WakeRegistry();
		const woken: string[] = [];
		const a = wakeups.watch('a');
		const b = wakeups.watch('b');
		void a.woken.then(() => woken.push('a'));
		void b.woken.then(() => woken.push('b'));
		wakeups.wake('a');
		await Promise.resolve();
		await Promise.resolve();
		expect(woken).toEqual(['a']);
		b.cancel();
		a.cancel();
		expect(wakeups.size).toBe(0);
	});

	it('answers bytes with their length and exactly their content, empty ones included', async () => {
		for (const length of [0, 3, 200_000]) {
			const body = new Uint8Array(length).map((_, i) => (i * 31) & 0xff);
			const response = bytes(body);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/octet-stream');
			expect(response.headers.get('content-length')).toBe(String(length));
			expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
		}
	});
});
