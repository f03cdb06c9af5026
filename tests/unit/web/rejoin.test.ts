// What a reloaded tab may do with what it kept of its run (src/ui/rejoin.ts), over a stand-in
// for the tab's sessionStorage.
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_RESTARTS } from '../../../src/lib/party/attempts';
import { clearRejoin, rejoinOffer, saveRejoin, type RejoinEntry } from '../../../src/ui/rejoin';

/** The Storage methods rejoin.ts uses, over a Map. */
class MemoryStorage {
	readonly items = new Map<string, string>();
	getItem = (key: string) => this.items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.items.set(key, String(value));
	removeItem = (key: string) => void this.items.delete(key);
}

const entry = (extra: Partial<RejoinEntry> = {}): RejoinEntry => ({
	party: 2,
	input: '7u32',
	consts: { ROWS: '3' },
	attempt: 0,
	started: false,
	revealing: false,
	identity: { secret: '11'.repeat(32), known: ['22'.repeat(32), '33'.repeat(32), '44'.repeat(32)] },
	...extra
});

let storage: MemoryStorage;
beforeEach(() => {
	storage = new MemoryStorage();
	Object.assign(globalThis, { sessionStorage: storage });
});

describe('a reloaded tab', () => {
	it('offers nothing without an entry for its session', () => {
		saveRejoin('other', entry());
		expect(rejoinOffer('mine')).toBeUndefined();
	});

	it('rejoins the attempt it had not begun, and the next after one it had', () => {
		saveRejoin('s', entry({ attempt: 1 }));
		expect(rejoinOffer('s')).toEqual({ kind: 'rejoin', entry: entry({ attempt: 1 }), attempt: 1 });
		saveRejoin('s', entry({ attempt: 1, started: true }));
		expect(rejoinOffer('s')).toMatchObject({ kind: 'rejoin', attempt: 2 });
	});

	it('refuses after it began revealing the output, and after the last attempt', () => {
		saveRejoin('s', entry({ started: true, revealing: true }));
		expect(rejoinOffer('s')).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/begun revealing the output/) });
		saveRejoin('s', entry({ attempt: MAX_RESTARTS, started: true }));
		expect(rejoinOffer('s')).toMatchObject({ kind: 'refused', reason: expect.stringMatching(new RegExp(`started again ${MAX_RESTARTS} times`)) });
	});

	it('refuses to rejoin a later attempt without every party’s identity, which it needs to check the others', () => {
		const secretOnly = { secret: '11'.repeat(32) };
		saveRejoin('s', entry({ started: true, identity: secretOnly }));
		expect(rejoinOffer('s')).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/before the first messages of every party had arrived/) });
		// Not begun, it rejoins the same attempt: nobody has its identity yet to check it against.
		saveRejoin('s', entry({ identity: secretOnly }));
		expect(rejoinOffer('s')).toMatchObject({ kind: 'rejoin', attempt: 0 });
	});

	it('forgets an entry it cannot read, and one cleared at the end of the run', () => {
		storage.setItem('polytune-rejoin:s', '{not json');
		expect(rejoinOffer('s')).toBeUndefined();
		expect(storage.items.size).toBe(0);
		saveRejoin('s', entry());
		clearRejoin('s');
		expect(storage.items.size).toBe(0);
	});
});
