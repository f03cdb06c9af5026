import { describe, expect, it } from 'vitest';
import { GATE_AND } from '../../../src/lib/garble/circuit';
import { triplePlan } from '../../../src/lib/mpc/ot-preprocessing';
import { STREAM } from '../../../src/lib/mpc/streams';
import { attack, honestOutcomes, type Message, type Strategy } from './adversary';
import { gateLayer, randomBits, seeded } from './helpers';

/**
 * A failed leaky-AND check opens each party's subset sums of its check values; a party that
 * broke a triple on purpose reads the high 64 bits of the honest Δ off them. That is harmless
 * only while nothing built on Δ has gone out: with the high half known, a garbled table lets
 * the rest be found in 2^64 work. So no garbled table may leave an honest garbler before every
 * batch's checks have passed, however many batches the circuit needs.
 *
 * The evaluator (party 0) breaks one triple of the last batch by flipping its broadcast e bit,
 * then holds that batch's check values until every honest message it can get has come
 * (rushing), as it would to wait for tables built from the earlier batch.
 */
const BAD = 0;
const GOOD = 1;
/**
 * Seven batches of two parties' triples: more than the window of segments an honest garbler
 * prepares before it sends its first table (SEGMENTS_AHEAD segments of doubling size).
 */
const AND_GATES = 300_000;

interface Seen {
	/** Garbled-table messages the coalition had when it sent the last batch's check values. */
	tablesBeforeCheck?: number;
}

function breakLastBatch(lastBatch: number, seen: Seen): Strategy {
	return {
		async send(message: Message, coalition) {
			if (message.from !== BAD) return undefined;
			if (message.phase === `preprocessing ${lastBatch} (leaky AND)`) {
				const payload = message.payload.slice();
				payload[0] ^= 1;
				return [payload];
			}
			if (message.phase === `preprocessing ${lastBatch} (check)`) {
				await coalition.rush();
				seen.tablesBeforeCheck = coalition.received.filter((m) => m.stream === STREAM.tables).length;
			}
			return undefined;
		}
	};
}

describe('a later batch of OT preprocessing', () => {
	it('fails its leaky-AND check before any garbled table leaves an honest garbler', { timeout: 180_000 }, async () => {
		const { batches } = triplePlan(AND_GATES, 2);
		expect(batches, 'batches of the circuit').toBe(7);
		const random = seeded(91);
		const inputs = [randomBits(AND_GATES, random), randomBits(AND_GATES, random)];
		const seen: Seen = {};
		const result = await attack(gateLayer(GATE_AND, AND_GATES), inputs, { preprocessing: 'ot' }, [BAD], breakLastBatch(batches - 1, seen));
		expect(seen.tablesBeforeCheck, 'garbled-table messages the cheater had before the failing check').toBe(0);
		const { aborted, finished } = honestOutcomes(result);
		expect(finished).toEqual([]);
		expect(aborted.map((error) => error.check)).toEqual(['leaky AND check']);
		expect(result.received.filter((m) => m.from === GOOD && m.stream === STREAM.tables)).toEqual([]);
	});
});
