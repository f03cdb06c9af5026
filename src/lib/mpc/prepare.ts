import { Digest } from '../crypto/hash';
import { validateCircuit, type Circuit } from '../garble/circuit';
import { MAX_MESSAGE_BYTES } from './session';
import { gateWords } from './garble';
import { schedule, type Schedule } from './schedule';

/** AND gates per segment: one garbler's tables for a segment fit in one message. */
export function andsPerSegment(parties: number): number {
	return Math.max(64, Math.floor(MAX_MESSAGE_BYTES / (gateWords(parties) * 4)));
}

/** SHA-256 of the circuit's arrays, so that participants can check they run the same circuit. */
export function circuitDigest(circuit: Circuit): Uint8Array {
	const digest = new Digest();
	digest.updateWords(Uint32Array.from(circuit.inputBits));
	digest.update(circuit.gateKinds);
	digest.updateWords(circuit.gateIn0);
	digest.updateWords(circuit.gateIn1);
	digest.updateWords(circuit.outputs);
	return digest.digest();
}

/** What every run of a circuit derives from it before the protocol starts. */
export interface PreparedCircuit {
	readonly plan: Schedule;
	/** Computed on first use (only dealer runs need it). */
	digest(): Uint8Array;
}

const prepared = new WeakMap<Circuit, PreparedCircuit>();

/**
 * Validates and schedules `circuit` once per circuit object: a page or server that runs the
 * same circuit again, or several parties in one process, share the work (each of these costs
 * tens of nanoseconds per gate, as much as a garbled AND gate). Circuits are immutable once
 * passed to mpc().
 */
export function prepareCircuit(circuit: Circuit): PreparedCircuit {
	let entry = prepared.get(circuit);
	if (!entry) {
		validateCircuit(circuit);
		const plan = schedule(circuit, andsPerSegment(circuit.inputBits.length));
		let digest: Uint8Array | undefined;
		entry = { plan, digest: () => (digest ??= circuitDigest(circuit)) };
		prepared.set(circuit, entry);
	}
	return entry;
}
