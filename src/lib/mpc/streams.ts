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

/** The parts of the protocol the streams carry, in the order of a run, for counting bytes (the benchmarks). */
export const PROTOCOL_PARTS = ['run nonces', 'base OTs', 'OT preprocessing', 'dealer', 'inputs', 'Beaver openings', 'garbled tables', 'outputs'] as const;
export type ProtocolPart = (typeof PROTOCOL_PARTS)[number];

const PART_OF_STREAM: Record<number, ProtocolPart> = {
	[STREAM.run]: 'run nonces',
	[STREAM.baseOt]: 'base OTs',
	[STREAM.dealer]: 'dealer',
	[STREAM.inputs]: 'inputs',
	[STREAM.beaver]: 'Beaver openings',
	[STREAM.tables]: 'garbled tables',
	[STREAM.outputs]: 'outputs'
};

/** The part of the protocol that stream `stream` carries, or undefined for a number no part uses. */
export function protocolPart(stream: number): ProtocolPart | undefined {
	if (stream >= FIRST_BATCH_STREAM && stream < FIRST_BATCH_STREAM + BATCH_STREAMS) return 'OT preprocessing';
	return PART_OF_STREAM[stream];
}
