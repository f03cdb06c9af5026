import { asBytes, concatBytes } from '../crypto/block';
import { digestOf } from '../crypto/hash';
import { validateCircuit, type Circuit } from '../garble/circuit';
import { MAX_MESSAGE_BYTES } from './session';
import { gateWords } from './garble';
import { schedule, type Schedule } from './schedule';

/** AND gates per segment: one garbler's tables for a segment fit in one message. */
export function andsPerSegment(parties: number): number {
	return Math.max(64, Math.floor(MAX_MESSAGE_BYTES / (gateWords(parties) * 4)));
}

/** Bytes of the circuit hashed at a time: hashing never copies the whole circuit. */
const DIGEST_CHUNK_BYTES = 4 * 1024 * 1024;
const DIGEST_DOMAIN = new TextEncoder().encode('polytune-web circuit digest v2');

/**
 * SHA-256 that identifies a circuit, so that participants can check they run the same one:
 * of a domain, the sizes (parties, gates, outputs, input bits of each party) and the SHA-256
 * of each 4 MiB chunk of the gate arrays and the outputs, in order. A chunk at a time, so that
 * a circuit of millions of gates is not copied whole (Web Crypto copies what it hashes).
 * Web Crypto's native SHA-256 where the context has it (Node, secure browser contexts): a
 * fresh process hashes megabytes in JavaScript at a few ns per byte. Elsewhere the same
 * digest in JavaScript.
 */
export async function circuitDigest(circuit: Circuit): Promise<Uint8Array> {
	const subtle = globalThis.crypto?.subtle;
	// Circuit arrays are never shared buffers.
	const sha256 = subtle ? async (bytes: Uint8Array) => new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) : async (bytes: Uint8Array) => digestOf(bytes);
	const sizes = asBytes(Uint32Array.from([circuit.inputBits.length, circuit.gateKinds.length, circuit.outputs.length, ...circuit.inputBits]));
	const chunks: Uint8Array[] = [];
	for (const part of [circuit.gateKinds, asBytes(circuit.gateIn0), asBytes(circuit.gateIn1), asBytes(circuit.outputs)]) {
		for (let offset = 0; offset < part.length; offset += DIGEST_CHUNK_BYTES) chunks.push(await sha256(part.subarray(offset, offset + DIGEST_CHUNK_BYTES)));
	}
	return sha256(concatBytes(DIGEST_DOMAIN, sizes, ...chunks));
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
