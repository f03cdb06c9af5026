import { GATE_NOT, type Circuit } from '../garble/circuit';
import type { Schedule } from './schedule';

/** Words per tape position: the gate's number, its input slots a and b, its output slot tagged with its kind. */
export const TAPE_WORDS = 4;
/** The kind sits in the top two bits of the tape's output slot. */
export const KIND_SHIFT = 30;
export const SLOT_MASK = (1 << KIND_SHIFT) - 1;
/** Slots a tape can name. */
export const MAX_TAPE_SLOTS = SLOT_MASK + 1;

/**
 * The tape of order positions [start, end) into `tape` (from word 0): what the walk kernels
 * read instead of the circuit and the schedule. A NOT gate's second input is its first.
 */
export function writeTape(circuit: Circuit, plan: Schedule, start: number, end: number, tape: Uint32Array): void {
	const { gateKinds, gateIn0, gateIn1 } = circuit;
	const { order, wireSlot: slot, inputs } = plan;
	for (let t = start, o = 0; t < end; t++, o += TAPE_WORDS) {
		const g = order[t];
		const kind = gateKinds[g];
		const a = slot[gateIn0[g]];
		tape[o] = g;
		tape[o + 1] = a;
		tape[o + 2] = kind === GATE_NOT ? a : slot[gateIn1[g]];
		tape[o + 3] = (slot[inputs + g] | (kind << KIND_SHIFT)) >>> 0;
	}
}
