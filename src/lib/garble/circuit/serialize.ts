import { GATE_NOT, totalInputBits, type Circuit } from '../circuit';

/**
 * A compact, deterministic binary form of a `Circuit`, so that parties can ship and hash the
 * program they agree on. Layout (all integers unsigned LEB128 varints, minimal length):
 *
 *   "PTWC" version=1
 *   parties, input bits of each party, gates, outputs
 *   gate kinds, 2 bits each, 4 per byte, first gate in the low bits
 *   per gate g (writing wire w): w − 1 − in0, and for XOR/AND also w − 1 − in1
 *   per output: wires − 1 − wire
 *
 * Inputs are stored as distances back from the reading wire, so local references take one byte.
 */
const MAGIC = [0x50, 0x54, 0x57, 0x43]; // "PTWC"
const VERSION = 1;
const MAX_WIRES = 2 ** 32 - 1;

export function serializeCircuit(circuit: Circuit): Uint8Array {
	const gates = circuit.gateKinds.length;
	const inputs = totalInputBits(circuit);
	const writer = new ByteWriter(16 + gates * 3 + circuit.outputs.length * 2);
	writer.bytes(MAGIC);
	writer.bytes([VERSION]);
	writer.varint(circuit.inputBits.length);
	for (const bits of circuit.inputBits) writer.varint(bits);
	writer.varint(gates);
	writer.varint(circuit.outputs.length);
	for (let g = 0; g < gates; g += 4) {
		let packed = 0;
		for (let i = 0; i < 4 && g + i < gates; i++) packed |= circuit.gateKinds[g + i] << (2 * i);
		writer.bytes([packed]);
	}
	for (let g = 0; g < gates; g++) {
		const wire = inputs + g;
		writer.varint(wire - 1 - circuit.gateIn0[g]);
		if (circuit.gateKinds[g] !== GATE_NOT) writer.varint(wire - 1 - circuit.gateIn1[g]);
	}
	const wires = inputs + gates;
	for (const out of circuit.outputs) writer.varint(wires - 1 - out);
	return writer.result();
}

/** Reads and validates bytes from `serializeCircuit`; throws an Error that says what is wrong and where. */
export function deserializeCircuit(bytes: Uint8Array): Circuit {
	const reader = new ByteReader(bytes);
	for (let i = 0; i < MAGIC.length; i++) {
		if (reader.byte('the magic header') !== MAGIC[i]) throw new Error('circuit bytes: not a circuit (bad magic header)');
	}
	const version = reader.byte('the version');
	if (version !== VERSION) throw new Error(`circuit bytes: unsupported version ${version} (this reader knows ${VERSION})`);
	const parties = reader.count('the party count', 1);
	const inputBits: number[] = [];
	let inputs = 0;
	for (let p = 0; p < parties; p++) {
		const bits = reader.varint(`the input size of party ${p}`);
		inputs += bits;
		if (inputs > MAX_WIRES) throw new Error('circuit bytes: more than 2^32 − 1 input bits');
		inputBits.push(bits);
	}
	// Every gate takes at least one byte of references and every output one byte, which bounds memory.
	const gates = reader.count('the gate count', 1);
	const outputs = reader.count('the output count', 1);
	if (inputs + gates > MAX_WIRES) throw new Error('circuit bytes: more than 2^32 − 1 wires');
	const gateKinds = new Uint8Array(gates);
	for (let g = 0; g < gates; g += 4) {
		const packed = reader.byte(`the kinds of gates ${g}…`);
		for (let i = 0; i < 4; i++) {
			const kind = (packed >> (2 * i)) & 3;
			if (g + i < gates) {
				if (kind === 3) throw new Error(`circuit bytes: gate ${g + i} has unknown kind ${kind}`);
				gateKinds[g + i] = kind;
			} else if (kind !== 0) {
				throw new Error(`circuit bytes: padding bits after the last gate kind are not zero`);
			}
		}
	}
	const gateIn0 = new Uint32Array(gates);
	const gateIn1 = new Uint32Array(gates);
	const reference = (wire: number, what: string): number => {
		const distance = reader.varint(what);
		if (distance > wire - 1) throw new Error(`circuit bytes: ${what} reads a wire at or after its own wire ${wire} (forward reference)`);
		return wire - 1 - distance;
	};
	for (let g = 0; g < gates; g++) {
		const wire = inputs + g;
		gateIn0[g] = reference(wire, `gate ${g}'s first input`);
		if (gateKinds[g] !== GATE_NOT) gateIn1[g] = reference(wire, `gate ${g}'s second input`);
	}
	const wires = inputs + gates;
	const outputWires = new Uint32Array(outputs);
	for (let o = 0; o < outputs; o++) {
		const distance = reader.varint(`output ${o}`);
		if (distance >= wires) throw new Error(`circuit bytes: output ${o} names a wire before wire 0 (the circuit has ${wires} wires)`);
		outputWires[o] = wires - 1 - distance;
	}
	reader.expectEnd();
	return { inputBits, gateKinds, gateIn0, gateIn1, outputs: outputWires };
}

class ByteWriter {
	private buffer: Uint8Array;
	private length = 0;

	constructor(capacity: number) {
		this.buffer = new Uint8Array(capacity);
	}

	bytes(values: readonly number[]): void {
		this.reserve(values.length);
		for (const v of values) this.buffer[this.length++] = v;
	}

	varint(value: number): void {
		this.reserve(5);
		while (value >= 0x80) {
			this.buffer[this.length++] = (value & 0x7f) | 0x80;
			value = Math.floor(value / 128);
		}
		this.buffer[this.length++] = value;
	}

	result(): Uint8Array {
		return this.buffer.slice(0, this.length);
	}

	private reserve(extra: number): void {
		if (this.length + extra <= this.buffer.length) return;
		const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
		grown.set(this.buffer.subarray(0, this.length));
		this.buffer = grown;
	}
}

class ByteReader {
	private offset = 0;

	constructor(private readonly bytes: Uint8Array) {}

	byte(what: string): number {
		if (this.offset >= this.bytes.length) throw new Error(`circuit bytes: truncated at byte ${this.offset} while reading ${what}`);
		return this.bytes[this.offset++];
	}

	/** An unsigned 32-bit varint in its shortest encoding. */
	varint(what: string): number {
		const start = this.offset;
		let value = 0;
		for (let shift = 0; ; shift += 7) {
			const byte = this.byte(what);
			value += (byte & 0x7f) * 2 ** shift;
			if ((byte & 0x80) === 0) {
				if (byte === 0 && shift > 0) throw new Error(`circuit bytes: ${what} at byte ${start} is not minimally encoded`);
				if (value > MAX_WIRES) throw new Error(`circuit bytes: ${what} at byte ${start} exceeds 2^32 − 1`);
				return value;
			}
			if (shift >= 28) throw new Error(`circuit bytes: ${what} at byte ${start} is longer than 5 bytes`);
		}
	}

	/** A count of items that each take at least `bytesEach` more bytes, so a lie cannot allocate much. */
	count(what: string, bytesEach: number): number {
		const value = this.varint(what);
		const left = this.bytes.length - this.offset;
		if (value * bytesEach > left) throw new Error(`circuit bytes: ${what} ${value} needs more than the ${left} bytes left (truncated?)`);
		return value;
	}

	expectEnd(): void {
		const extra = this.bytes.length - this.offset;
		if (extra > 0) throw new Error(`circuit bytes: ${extra} unexpected trailing byte(s) at byte ${this.offset}`);
	}
}
