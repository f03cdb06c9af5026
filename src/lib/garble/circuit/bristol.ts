import { GATE_AND, GATE_NOT, GATE_XOR, totalInputBits, wireCount, type Circuit } from '../circuit';

/**
 * Bristol Fashion circuits (https://nigelsmart.github.io/MPC-Circuits/):
 *
 *   <gates> <wires>
 *   <niv> <input bits of party 0> …
 *   <nov> <bits of output 0> …
 *
 *   2 1 <a> <b> <out> XOR|AND
 *   1 1 <a> <out> INV|NOT|EQW        (EQW copies a wire)
 *   1 1 <0|1> <out> EQ               (a constant)
 *   <2m> <m> <a1…am> <b1…bm> <out1…outm> MAND
 *
 * Input wires are 0 … (sum of niv) − 1; the outputs are the last (sum of nov) wires.
 */
export interface BristolCircuit {
	circuit: Circuit;
	/** Bit sizes of the outputs as the `nov` line lists them. */
	outputBits: number[];
}

// Elementary gates after parsing: MAND becomes several ANDs.
const B_XOR = 0;
const B_AND = 1;
const B_NOT = 2;
const B_COPY = 3;
const B_CONST = 4;

/** Parses Bristol Fashion text; wire numbers may be arbitrary, gates are put in topological order. */
export function parseBristol(text: string): Circuit {
	return parseBristolFashion(text).circuit;
}

/** Like `parseBristol`, and also returns the output sizes of the `nov` line. */
export function parseBristolFashion(text: string): BristolCircuit {
	const lines = text.split('\n');
	let lineIndex = 0;
	const fail = (line: number, message: string): never => {
		throw new Error(`bristol: line ${line}: ${message}`);
	};
	const nextLine = (what: string): { tokens: string[]; line: number } => {
		while (lineIndex < lines.length) {
			const tokens = lines[lineIndex++].trim().split(/\s+/).filter((t) => t !== '');
			if (tokens.length > 0) return { tokens, line: lineIndex };
		}
		return fail(lineIndex, `unexpected end of file, expected ${what}`);
	};
	const integer = (token: string, line: number, what: string): number => {
		if (!/^\d+$/.test(token)) fail(line, `${what} must be a non-negative integer, got '${token}'`);
		const value = Number(token);
		if (!Number.isSafeInteger(value) || value >= 2 ** 32) fail(line, `${what} ${token} is too large`);
		return value;
	};
	const sizesLine = (what: string): number[] => {
		const { tokens, line } = nextLine(`the ${what} line`);
		const count = integer(tokens[0], line, `number of ${what}s`);
		if (tokens.length !== count + 1) fail(line, `the ${what} line announces ${count} sizes but lists ${tokens.length - 1}`);
		return tokens.slice(1).map((t, i) => integer(t, line, `${what} ${i} size`));
	};

	const header = nextLine('the header "<gates> <wires>"');
	if (header.tokens.length !== 2) fail(header.line, 'the header must be "<gates> <wires>"');
	const gateCount = integer(header.tokens[0], header.line, 'gate count');
	const wires = integer(header.tokens[1], header.line, 'wire count');
	const inputBits = sizesLine('input');
	const outputBits = sizesLine('output');
	const inputs = inputBits.reduce((a, b) => a + b, 0);
	const outputs = outputBits.reduce((a, b) => a + b, 0);
	if (inputs > wires || outputs > wires) fail(header.line, `${wires} wires cannot hold ${inputs} inputs and ${outputs} outputs`);
	if (gateCount > lines.length) fail(header.line, `announces ${gateCount} gates but the file has only ${lines.length} lines`);

	const parsed = new GateList(gateCount);
	for (let g = 0; g < gateCount; g++) {
		const { tokens, line } = nextLine(`gate ${g + 1} of ${gateCount}`);
		if (tokens.length < 3) fail(line, 'a gate needs "<inputs> <outputs> <wires…> <kind>"');
		const nIn = integer(tokens[0], line, 'input count');
		const nOut = integer(tokens[1], line, 'output count');
		const kind = tokens[tokens.length - 1];
		if (tokens.length !== nIn + nOut + 3) fail(line, `gate announces ${nIn} inputs and ${nOut} outputs but lists ${tokens.length - 3} wires`);
		const wire = (i: number): number => {
			const w = integer(tokens[2 + i], line, 'wire');
			if (w >= wires) fail(line, `wire ${w} is out of range (the circuit has ${wires} wires)`);
			return w;
		};
		const expectShape = (ins: number, outs: number) => {
			if (nIn !== ins || nOut !== outs) fail(line, `${kind} takes ${ins} input(s) and ${outs} output(s), got ${nIn} and ${nOut}`);
		};
		switch (kind) {
			case 'XOR':
			case 'AND':
				expectShape(2, 1);
				parsed.push(kind === 'XOR' ? B_XOR : B_AND, wire(0), wire(1), wire(2), line);
				break;
			case 'INV':
			case 'NOT':
			case 'EQW':
				expectShape(1, 1);
				parsed.push(kind === 'EQW' ? B_COPY : B_NOT, wire(0), 0, wire(1), line);
				break;
			case 'EQ': {
				expectShape(1, 1);
				const value = tokens[2];
				if (value !== '0' && value !== '1') fail(line, `EQ assigns a constant 0 or 1, got '${value}'`);
				parsed.push(B_CONST, Number(value), 0, wire(1), line);
				break;
			}
			case 'MAND': {
				const m = nOut;
				if (m === 0 || nIn !== 2 * m) fail(line, `MAND takes 2m inputs and m outputs, got ${nIn} and ${nOut}`);
				for (let i = 0; i < m; i++) parsed.push(B_AND, wire(i), wire(m + i), wire(2 * m + i), line);
				break;
			}
			default:
				fail(line, `unknown gate kind '${kind}' (expected XOR, AND, INV, NOT, EQ, EQW or MAND)`);
		}
	}
	const rest = lines.slice(lineIndex).findIndex((l) => l.trim() !== '');
	if (rest >= 0) fail(lineIndex + rest + 1, `unexpected text after the ${gateCount} announced gates`);

	const circuit = toCircuit(parsed, wires, inputBits, inputs, outputs, fail);
	return { circuit, outputBits };
}

/** Growable flat arrays of elementary gates with their source line numbers. */
class GateList {
	kind: Uint8Array;
	in0: Uint32Array;
	in1: Uint32Array;
	out: Uint32Array;
	line: Uint32Array;
	length = 0;

	constructor(capacity: number) {
		this.kind = new Uint8Array(capacity);
		this.in0 = new Uint32Array(capacity);
		this.in1 = new Uint32Array(capacity);
		this.out = new Uint32Array(capacity);
		this.line = new Uint32Array(capacity);
	}

	push(kind: number, a: number, b: number, out: number, line: number): void {
		if (this.length === this.kind.length) this.grow();
		const i = this.length++;
		this.kind[i] = kind;
		this.in0[i] = a;
		this.in1[i] = b;
		this.out[i] = out;
		this.line[i] = line;
	}

	inputCount(g: number): number {
		const kind = this.kind[g];
		return kind === B_CONST ? 0 : kind === B_XOR || kind === B_AND ? 2 : 1;
	}

	private grow(): void {
		const size = Math.max(16, this.kind.length * 2);
		const grown = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
			const b = make(size);
			b.set(a);
			return b;
		};
		this.kind = grown(this.kind, (n) => new Uint8Array(n));
		this.in0 = grown(this.in0, (n) => new Uint32Array(n));
		this.in1 = grown(this.in1, (n) => new Uint32Array(n));
		this.out = grown(this.out, (n) => new Uint32Array(n));
		this.line = grown(this.line, (n) => new Uint32Array(n));
	}
}

function toCircuit(
	gates: GateList,
	wires: number,
	inputBits: number[],
	inputs: number,
	outputs: number,
	fail: (line: number, message: string) => never
): Circuit {
	const count = gates.length;
	const definedBy = new Int32Array(wires).fill(-1);
	for (let g = 0; g < count; g++) {
		const out = gates.out[g];
		if (out < inputs) fail(gates.line[g], `gate writes input wire ${out}`);
		if (definedBy[out] >= 0) fail(gates.line[g], `wire ${out} is already written by the gate on line ${gates.line[definedBy[out]]}`);
		definedBy[out] = g;
	}
	const isDefined = (w: number) => w < inputs || definedBy[w] >= 0;
	for (let g = 0; g < count; g++) {
		for (let i = 0; i < gates.inputCount(g); i++) {
			const w = i === 0 ? gates.in0[g] : gates.in1[g];
			if (!isDefined(w)) fail(gates.line[g], `gate reads wire ${w}, which no gate writes`);
		}
	}
	for (let w = wires - outputs; w < wires; w++) {
		if (!isDefined(w)) throw new Error(`bristol: output wire ${w} is never written`);
	}
	const order = topologicalOrder(gates, definedBy, inputs, fail);

	const kinds = new Uint8Array(count + 2);
	const in0 = new Uint32Array(count + 2);
	const in1 = new Uint32Array(count + 2);
	let emitted = 0;
	const emit = (kind: number, a: number, b: number): number => {
		kinds[emitted] = kind;
		in0[emitted] = a;
		in1[emitted] = b;
		return inputs + emitted++;
	};
	const ours = new Uint32Array(wires);
	for (let w = 0; w < inputs; w++) ours[w] = w;
	const constants: number[] = [];
	const constantWire = (value: number, line: number): number => {
		if (inputs === 0) fail(line, 'constants need at least one input wire');
		if (constants.length === 0) constants.push(emit(GATE_XOR, 0, 0));
		if (value === 1 && constants.length === 1) constants.push(emit(GATE_NOT, constants[0], 0));
		return constants[value];
	};
	for (const g of order) {
		const a = ours[gates.in0[g]];
		const b = ours[gates.in1[g]];
		let wire: number;
		switch (gates.kind[g]) {
			case B_XOR:
				wire = emit(GATE_XOR, a, b);
				break;
			case B_AND:
				wire = emit(GATE_AND, a, b);
				break;
			case B_NOT:
				wire = emit(GATE_NOT, a, 0);
				break;
			case B_COPY:
				wire = a;
				break;
			default:
				wire = constantWire(gates.in0[g], gates.line[g]);
		}
		ours[gates.out[g]] = wire;
	}
	const outputWires = new Uint32Array(outputs);
	for (let o = 0; o < outputs; o++) outputWires[o] = ours[wires - outputs + o];
	return {
		inputBits,
		gateKinds: kinds.slice(0, emitted),
		gateIn0: in0.slice(0, emitted),
		gateIn1: in1.slice(0, emitted),
		outputs: outputWires
	};
}

/** Kahn's algorithm over the gates; file order when the file is already topological. */
function topologicalOrder(
	gates: GateList,
	definedBy: Int32Array,
	inputs: number,
	fail: (line: number, message: string) => never
): Uint32Array {
	const count = gates.length;
	const order = new Uint32Array(count);
	let inFileOrder = true;
	for (let g = 0; g < count && inFileOrder; g++) {
		for (let i = 0; i < gates.inputCount(g); i++) {
			const w = i === 0 ? gates.in0[g] : gates.in1[g];
			if (w >= inputs && definedBy[w] >= g) inFileOrder = false;
		}
	}
	if (inFileOrder) return order.map((_, g) => g);
	const pending = new Uint8Array(count);
	// Readers of each gate's output, in CSR form: readers[start[g] .. start[g + 1]).
	const start = new Uint32Array(count + 1);
	const forEachProducer = (g: number, visit: (producer: number) => void) => {
		for (let i = 0; i < gates.inputCount(g); i++) {
			const w = i === 0 ? gates.in0[g] : gates.in1[g];
			if (w >= inputs) visit(definedBy[w]);
		}
	};
	for (let g = 0; g < count; g++) forEachProducer(g, (p) => start[p + 1]++);
	for (let g = 0; g < count; g++) start[g + 1] += start[g];
	const fill = start.slice(0, count);
	const readers = new Uint32Array(start[count]);
	for (let g = 0; g < count; g++) {
		forEachProducer(g, (p) => {
			readers[fill[p]++] = g;
			pending[g]++;
		});
	}
	let head = 0;
	let tail = 0;
	for (let g = 0; g < count; g++) if (pending[g] === 0) order[tail++] = g;
	while (head < tail) {
		const g = order[head++];
		for (let r = start[g]; r < start[g + 1]; r++) {
			if (--pending[readers[r]] === 0) order[tail++] = readers[r];
		}
	}
	if (tail < count) {
		const stuck = pending.findIndex((p) => p > 0);
		fail(gates.line[stuck], 'the gates form a cycle');
	}
	return order;
}

/**
 * The circuit as Bristol Fashion text, in chunks of about 64 KB, so that a circuit of
 * millions of gates is never one string. Gates are XOR, AND and INV; the outputs become the
 * last wires, and when they are not already, EQW gates copy them there. `outputBits` splits
 * the outputs into values for the `nov` line.
 */
export function* bristolChunks(circuit: Circuit, outputBits: readonly number[] = [circuit.outputs.length]): Generator<string> {
	const outputs = circuit.outputs.length;
	if (outputBits.reduce((a, b) => a + b, 0) !== outputs) {
		throw new Error(`bristol: output sizes ${outputBits.join('+')} do not add up to the ${outputs} outputs`);
	}
	const inputs = totalInputBits(circuit);
	const wires = wireCount(circuit);
	const outputsAreLast = circuit.outputs.every((w, o) => w === wires - outputs + o) && wires - outputs >= inputs;
	const { gateKinds, gateIn0, gateIn1 } = circuit;
	const gates = gateKinds.length + (outputsAreLast ? 0 : outputs);
	let chunk = [
		`${gates} ${outputsAreLast ? wires : wires + outputs}`,
		`${circuit.inputBits.length} ${circuit.inputBits.join(' ')}`.trimEnd(),
		`${outputBits.length} ${outputBits.join(' ')}`.trimEnd(),
		'',
		''
	].join('\n');
	for (let g = 0; g < gateKinds.length; g++) {
		const out = inputs + g;
		const kind = gateKinds[g];
		if (kind === GATE_NOT) chunk += `1 1 ${gateIn0[g]} ${out} INV\n`;
		else chunk += `2 1 ${gateIn0[g]} ${gateIn1[g]} ${out} ${kind === GATE_AND ? 'AND' : 'XOR'}\n`;
		if (chunk.length >= CHUNK_CHARS) {
			yield chunk;
			chunk = '';
		}
	}
	if (!outputsAreLast) circuit.outputs.forEach((w, o) => (chunk += `1 1 ${w} ${wires + o} EQW\n`));
	yield chunk;
}

const CHUNK_CHARS = 1 << 16;

/** The whole Bristol Fashion text of `bristolChunks`, for circuits small enough to hold as one string. */
export function toBristol(circuit: Circuit, outputBits: readonly number[] = [circuit.outputs.length]): string {
	return [...bristolChunks(circuit, outputBits)].join('');
}
