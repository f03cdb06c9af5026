import { asBytes } from '../crypto/block';
import { digestOf } from '../crypto/hash';
import { validateCircuit, type Circuit } from '../garble/circuit';
import { MAX_MESSAGE_BYTES } from './session';
import { gateWords } from './garble';
import { schedule, type Schedule } from './schedule';

/** AND gates per segment: one garbler's tables for a segment fit in one message. */
export function andsPerSegment(parties: number): number {
	return Math.max(64, Math.floor(MAX_MESSAGE_BYTES / (gateWords(parties) * 4)));
}

/**
 * SHA-256 of the circuit's arrays, so that participants can check they run the same circuit.
 * Web Crypto's native SHA-256 where the context has it (Node, secure browser contexts): a
 * fresh process hashes megabytes of gates in JavaScript at a few ns per byte. Elsewhere the
 * same digest in JavaScript.
 */
export async function circuitDigest(circuit: Circuit): Promise<Uint8Array> {
	const parts = [asBytes(Uint32Array.from(circuit.inputBits)), circuit.gateKinds, asBytes(circuit.gateIn0), asBytes(circuit.gateIn1), asBytes(circuit.outputs)];
	const subtle = globalThis.crypto?.subtle;
	if (!subtle) return digestOf(...parts);
	const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		all.set(part, offset);
		offset += part.length;
	}
	return new Uint8Array(await subtle.digest('SHA-256', all));
}

/** What every run of a circuit derives from it before the protocol starts. */
export interface PreparedCircuit {
	readonly plan: Schedule;
	/** Computed on first use (only dealer runs need it). */
	digest(): Promise<Uint8Array>;
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
		let digest: Promise<Uint8Array> | undefined;
		entry = { plan, digest: () => (digest ??= circuitDigest(circuit)) };
		prepared.set(circuit, entry);
	}
	return entry;
}
