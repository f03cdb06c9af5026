import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { anySignal } from '../../../src/lib/channel/any-signal';

describe('a signal that aborts with any of several (a long poll’s: the request’s or the relay’s closing)', () => {
	it('aborts when either side aborts, and then holds on to neither', () => {
		for (const side of [0, 1]) {
			const sides = [new AbortController(), new AbortController()];
			const { signal: stop } = anySignal(sides[0].signal, sides[1].signal);
			expect(stop.aborted).toBe(false);
			sides[side].abort(`side ${side}`);
			expect(stop.aborted).toBe(true);
			expect(stop.reason).toBe(`side ${side}`);
			for (const s of sides) expect(getEventListeners(s.signal, 'abort')).toHaveLength(0);
		}
	});

	it('starts aborted when a side already is', () => {
		const done = new AbortController();
		done.abort();
		expect(anySignal(done.signal, new AbortController().signal).signal.aborted).toBe(true);
	});

	it('leaves nothing on the long-lived side once released, however many polls came and went', () => {
		const closing = new AbortController();
		for (let i = 0; i < 10_000; i++) anySignal(new AbortController().signal, closing.signal).release();
		expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
		const { signal: stop } = anySignal(new AbortController().signal, closing.signal);
		closing.abort();
		expect(stop.aborted).toBe(true);
	});
});
