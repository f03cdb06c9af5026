import { describe, expect, it } from 'vitest';
import { followParticipants, type LookAtParticipants } from '../../../src/lib/party/presence';

describe('following the participant list', () => {
	it('hands each changed list on once and ends when it is what was waited for', async () => {
		const lists = [[0], [0], [0, 1], [0, 1], [0, 1, 2]];
		let looks = 0;
		const look: LookAtParticipants = async () => lists[Math.min(looks++, lists.length - 1)];
		const seen: string[] = [];
		const done = await followParticipants(look, (listed) => (seen.push(listed.join()), listed.length === 3), { waitMs: 0 });
		expect(done).toBe(true);
		expect(seen).toEqual(['0', '0,1', '0,1,2']);
	});

	it('pauses after a look that answered at once with nothing new or failed, instead of looking in a loop', async () => {
		let looks = 0;
		const look: LookAtParticipants = async () => (looks++ % 2 === 0 ? [0] : undefined);
		const started = Date.now();
		const done = await followParticipants(look, () => false, { deadline: started + 1200, waitMs: 1000 });
		expect(done).toBe(false);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(looks).toBeLessThanOrEqual(4);
	});

	it('looks again at once after a long poll that waited its time and brought nothing new', async () => {
		let looks = 0;
		const look: LookAtParticipants = async (_known, waitMs) => {
			looks++;
			await new Promise((resolve) => setTimeout(resolve, waitMs));
			return [0];
		};
		await followParticipants(look, () => false, { initial: [0], deadline: Date.now() + 450, waitMs: 100 });
		expect(looks).toBeGreaterThanOrEqual(4);
	});

	it('ends with false once the signal aborts, mid-pause', async () => {
		const stopped = new AbortController();
		const look: LookAtParticipants = async () => [0];
		setTimeout(() => stopped.abort(), 100);
		const started = Date.now();
		expect(await followParticipants(look, () => false, { signal: stopped.signal, initial: [0] })).toBe(false);
		expect(Date.now() - started).toBeLessThan(450);
	});
});
