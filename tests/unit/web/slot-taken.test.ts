import { describe, expect, it } from 'vitest';
import { RelayRefusedError, SlotTakenError } from '../../../src/lib/channel/relay-client';
import { explain } from '../../../src/ui/explain';
import { failureOf } from '../../../src/workers/failure';

describe('a slot held by another participant, as the page shows it', () => {
	it('is its own failure kind with the relay’s words and what to do, not a generic refusal', () => {
		const failure = failureOf(new SlotTakenError('s', 1, "slot 1 of session 's' is taken by another participant: it is free again once …"));
		expect(failure).toEqual({ kind: 'slot-taken', message: "slot 1 of session 's' is taken by another participant: it is free again once …" });
		const { title, advice } = explain(failure, 'join');
		expect(title).toBe('Another participant has this slot');
		expect(advice).toContain('Pick a free slot');
		expect(failureOf(new SlotTakenError('s', 2, '')).message).toBe("slot 2 of session 's' is taken by another participant");
		expect(failureOf(new RelayRefusedError(403, 'forbidden', 'join the session')).kind).toBe('relay-refused');
	});

	it('is also what a request for the slot meets once another participant holds it (the relay says token-wrong)', () => {
		expect(failureOf(new RelayRefusedError(403, "slot 1 of session 's' is held by another participant", 'pass on messages', 'token-wrong')).kind).toBe('slot-taken');
		expect(failureOf(new RelayRefusedError(403, "slot 1 of session 's' has not been joined with this X-Relay-Token", 'pass on messages', 'slot-unclaimed')).kind).toBe('relay-refused');
	});
});
