import { compile } from '../src/lib/garble';
import { andChain, forParties } from '../src/lib/bench/in-process';
import { totalInputBits, type Circuit } from '../src/lib/garble/circuit';
import { parseBristol } from '../src/lib/garble/circuit/bristol';
import { aes128Bristol } from '../tests/fixtures/circuits/aes-128';

/** The benchmark circuits, each for any number of parties. */
export type CircuitKind = 'chain' | 'aes' | 'mul32' | 'join';

// A join of two parties' tables on a 20-byte key, like Polytune's join benchmark: how many
// joined rows have a missing status on one side and a score of at most 2 on the other.
const JOIN = `const ROWS_A: usize = PARTY_0::ROWS;
const ROWS_B: usize = PARTY_1::ROWS;

enum Status {
    Current,
    Expired,
    Missing,
}

pub fn main(a: [([u8; 20], Status); ROWS_A], b: [([u8; 20], u8); ROWS_B]) -> (u16, u16) {
    let mut matches = 0u16;
    for row in join_iter(a, b) {
        let ((_, status), (_, score)) = row;
        let counted = match status {
            Status::Missing => score <= 2u8,
            _ => false,
        };
        if counted {
            matches = matches + 1u16;
        }
    }
    (matches, ROWS_B as u16)
}`;

/** `copies` side-by-side copies of a circuit on the same inputs, outputs one after the other. */
export function replicate(circuit: Circuit, copies: number): Circuit {
	if (copies === 1) return circuit;
	const inputs = totalInputBits(circuit);
	const gates = circuit.gateKinds.length;
	const gateKinds = new Uint8Array(gates * copies);
	const gateIn0 = new Uint32Array(gates * copies);
	const gateIn1 = new Uint32Array(gates * copies);
	const outputs = new Uint32Array(circuit.outputs.length * copies);
	// Wire w of copy c: inputs stay, gate outputs move by c·gates.
	const move = (w: number, c: number) => (w < inputs ? w : w + c * gates);
	for (let c = 0; c < copies; c++) {
		for (let g = 0; g < gates; g++) {
			gateKinds[c * gates + g] = circuit.gateKinds[g];
			gateIn0[c * gates + g] = move(circuit.gateIn0[g], c);
			gateIn1[c * gates + g] = move(circuit.gateIn1[g], c);
		}
		circuit.outputs.forEach((w, o) => (outputs[c * circuit.outputs.length + o] = move(w, c)));
	}
	return { inputBits: circuit.inputBits, gateKinds, gateIn0, gateIn1, outputs };
}

/** Circuit `kind` for `parties` parties; `size` is the chain length, the join's rows, or the number of copies. */
export function buildCircuit(kind: CircuitKind, parties: number, size: number): Circuit {
	switch (kind) {
		case 'chain':
			return andChain(parties, size);
		case 'aes':
			return replicate(forParties(parseBristol(aes128Bristol()), parties), size);
		case 'mul32':
			return replicate(forParties(compile('pub fn main(a: u32, b: u32) -> u64 { (a as u64) * (b as u64) }').circuit, parties), size);
		case 'join':
			return forParties(compile(JOIN, { consts: { PARTY_0: { ROWS: size }, PARTY_1: { ROWS: size } } }).circuit, parties);
	}
}
