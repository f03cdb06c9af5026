// The whole run's progress and time left, from the engine's interleaved phase reports.
import { describe, expect, it } from 'vitest';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import type { MpcProgress, PartyStatus } from '../../../src/lib/party';
import { describeRemaining, MEASURED_FRACTION, MEASURED_MS, RATE_WINDOW_MS, RunProgress } from '../../../src/lib/party/progress';
import { runAll, SLOW_RUN_MS, value, world } from './world';

const ANDS = 1_000_000;

/** A clock the test moves. */
function clock() {
	let now = 0;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

const report = (phase: string, done: number, total = ANDS): MpcProgress => ({ phase, done, total, bytesSent: 0, bytesReceived: 0 });

/**
 * Preprocessing a window of 20,000 AND gates ahead of garbling, reported every 100 ms. The
 * estimate counts the window as done: it is early by half the window's time, a few per cent.
 */
function* steadyRun(andsPerSecond: number, ahead = 20_000) {
	for (let garbled = 0; garbled < ANDS; garbled += andsPerSecond / 10) {
		yield report('preprocessing', Math.min(ANDS, garbled + ahead));
		yield report('garbling', garbled);
	}
}

describe('the progress of a whole run', () => {
	it('is the mean of preprocessing and garbling, never goes back, and stays computing once computing', () => {
		const time = clock();
		const progress = new RunProgress('party', time.now);
		expect(progress.update(report('preprocessing', 100_000)).estimate.fraction).toBeCloseTo(0.05);
		const garbling = progress.update(report('garbling', 50_000));
		expect(garbling.stage).toBe('computing');
		expect(garbling.estimate.fraction).toBeCloseTo(0.075);
		// The next batch of preprocessing comes in: the engine's phases alternate, the stage does not.
		const next = progress.update(report('preprocessing', 150_000));
		expect(next.stage).toBe('computing');
		expect(next.estimate.fraction).toBeCloseTo(0.1);
		// A phase that restarts its count (base OTs, then preprocessing) does not pull the bar back.
		expect(progress.update(report('preprocessing', 0)).estimate.fraction).toBeCloseTo(0.1);
		expect(progress.update(report('output', 0, 1)).estimate.fraction).toBe(1);
	});

	it('tells the time left from the measured pace, once measured, and follows a change of pace', () => {
		const time = clock();
		const progress = new RunProgress('party', time.now);
		const estimates = [];
		let slow = true;
		for (const r of steadyRun(10_000)) {
			// 10,000 AND gates a second for 30 s, then twice as fast.
			if (r.phase === 'garbling' && r.done >= 300_000 && slow) slow = false;
			if (r.phase === 'garbling') time.advance(slow ? 100 : 50);
			estimates.push({ at: time.now(), done: r.phase === 'garbling' ? r.done : -1, ...progress.update(r).estimate });
		}
		const early = estimates.filter((e) => e.at < MEASURED_MS || e.fraction < MEASURED_FRACTION);
		expect(early.length).toBeGreaterThan(0);
		expect(early.every((e) => e.remainingMs === undefined)).toBe(true);
		// At a steady pace the time left is what the rest takes at that pace.
		const steady = estimates.find((e) => e.at >= 20_000 && e.done >= 0)!;
		const slowLeft = ((ANDS - steady.done) / 10_000) * 1000;
		expect(Math.abs(steady.remainingMs! - slowLeft) / slowLeft).toBeLessThan(0.05);
		// A window after the pace doubled, the estimate is that of the new pace.
		const later = estimates.find((e) => e.at >= 30_000 + RATE_WINDOW_MS + 1000 && e.done >= 0)!;
		const fastLeft = ((ANDS - later.done) / 20_000) * 1000;
		expect(Math.abs(later.remainingMs! - fastLeft) / fastLeft).toBeLessThan(0.05);
		// No jumps in between: from one report to the next the estimate moves little.
		const measured = estimates.filter((e) => e.remainingMs !== undefined && e.done >= 0);
		for (let i = 1; i < measured.length; i++) {
			expect(Math.abs(measured[i].remainingMs! - measured[i - 1].remainingMs!), `at ${measured[i].at} ms`).toBeLessThan(5000);
		}
	});

	it('gives no time left while the run stalls, and none once it is complete', () => {
		const time = clock();
		const progress = new RunProgress('party', time.now);
		for (let done = 0; done <= 200_000; done += 10_000) {
			time.advance(500);
			progress.update(report('preprocessing', done));
			progress.update(report('garbling', done));
		}
		expect(progress.update(report('garbling', 200_000)).estimate.remainingMs).toBeGreaterThan(0);
		time.advance(RATE_WINDOW_MS + 1);
		progress.update(report('preprocessing', 200_000));
		expect(progress.update(report('garbling', 200_000)).estimate).toEqual({ fraction: 0.2 });
		expect(progress.update(report('output', 1, 1)).estimate).toEqual({ fraction: 1 });
	});

	it('counts only the dealing for the dealer', () => {
		const progress = new RunProgress('dealer', clock().now);
		expect(progress.update(report('preprocessing', 250_000)).estimate.fraction).toBeCloseTo(0.25);
	});

	it('says the time left in words', () => {
		expect(describeRemaining(4000)).toBe('a few seconds left');
		expect(describeRemaining(42_000)).toBe('about 40 s left');
		expect(describeRemaining(150_000)).toBe('about 3 min left');
		expect(describeRemaining(2.5 * 3600_000)).toBe('about 2 h 30 min left');
	});

	it('goes forward only, in a real run of many segments', { timeout: SLOW_RUN_MS }, async () => {
		// About 30,000 AND gates: a dozen segments, preprocessing interleaved with garbling.
		const program = `pub fn main(a: [u32; 16], b: [u32; 16]) -> u32 {
    let mut sum = 0u32;
    for i in 0..16 {
        sum = sum + a[i] * b[i];
    }
    sum
}`;
		const inputs = ['[3u32, 1u32, 4u32, 1u32, 5u32, 9u32, 2u32, 6u32, 5u32, 3u32, 5u32, 8u32, 9u32, 7u32, 9u32, 3u32]', '[2u32, 7u32, 1u32, 8u32, 2u32, 8u32, 1u32, 8u32, 2u32, 8u32, 4u32, 5u32, 9u32, 0u32, 4u32, 5u32]'];
		const statuses: PartyStatus[][] = [[], []];
		const { parties } = await runAll(world({ dealer: true }), inputs.map((input, party) => ({ party, program, input, preprocessing: 'dealer' as const })), { dealer: true, statuses });
		const compiled = compile(program);
		const expected = compiled.decodeOutput(evaluateCircuit(compiled.circuit, inputs.map((input, p) => compiled.encodeInput(p, input))));
		for (const outcome of parties) expect({ kind: 'value', text: value(outcome) }).toEqual(expected);
		for (const party of statuses) {
			// Preprocessing went on after the computing had begun: the engine's phases interleaved.
			expect(party.some((s) => s.stage === 'computing' && s.progress?.phase === 'preprocessing')).toBe(true);
			const stages = party.map((s) => s.stage).filter((stage, i, all) => stage !== all[i - 1]);
			expect(stages).toEqual(['handshake', 'preprocessing', 'computing', 'done']);
			const fractions = party.flatMap((s) => (s.estimate ? [s.estimate.fraction] : []));
			expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
			expect(fractions.at(-1)).toBe(1);
		}
	});
});
