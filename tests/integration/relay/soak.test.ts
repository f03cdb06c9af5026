import { describe, expect, it } from 'vitest';
import { soak } from '../../../bench/soak-run';

// CI-sized soak (npm run soak runs 1,000 sessions): the relay serves sessions one after another
// and several at once, every result right, and ends where it started.
describe('the relay under a soak of sum sessions', () => {
	it('gets every result right and ends with no session, no queued byte, no new handle or timer, and its heap back', async () => {
		const report = await soak({ sequential: 8, concurrent: 9, concurrency: 3, cliEvery: 4, heapTolerance: 0.1 });
		expect(report.wrongResults).toEqual([]);
		expect(report.sessions).toBe(20);
		expect(report.withCli).toBe(5);
		expect(report.peak.sessions).toBeGreaterThanOrEqual(2);
		expect(report.before.process.collected).toBe(true);
		expect(report.leaks).toEqual([]);
	}, 600_000);
});
