/**
 * The streams of a run (Session): parts of the protocol that go on at the same time, each
 * with its own ordered messages, so that none waits behind another's.
 */
export const STREAM = {
	/** The run's nonces. */
	run: 0,
	baseOt: 1,
	/** Between the parties and the trusted dealer. */
	dealer: 2,
	inputs: 3,
	beaver: 4,
	tables: 5,
	outputs: 6
} as const;

/** Preprocessing batches in flight at once use distinct streams from here on. */
const FIRST_BATCH_STREAM = 16;
const BATCH_STREAMS = 64;

/** The stream of OT preprocessing batch `batch`. */
export function batchStream(batch: number): number {
	return FIRST_BATCH_STREAM + (batch % BATCH_STREAMS);
}
