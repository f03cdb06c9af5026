import { DEALER_PARTY, type Channel } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { GATE_AND, GATE_NOT, GATE_XOR, evaluateCircuit, type Bits, type Circuit } from '../../../src/lib/garble/circuit';
import { mpc, runDealer, type DealerOptions, type MpcOptions } from '../../../src/lib/mpc';
import { AuthBits } from '../../../src/lib/mpc/auth';
import { dealingFor } from '../../../src/lib/mpc/dealer-deals';

/** A random circuit with the given input sizes, `gates` gates (about a third of each kind) and `outputs` outputs. */
export function randomCircuit(sizes: number[], gates: number, outputs: number, random: () => number = Math.random): Circuit {
	// Gates need some wire to read: give party 0 an input bit if nobody has one.
	const inputBits = sizes.every((s) => s === 0) ? [1, ...sizes.slice(1)] : sizes;
	const inputs = inputBits.reduce((a, b) => a + b, 0);
	const gateKinds = new Uint8Array(gates);
	const gateIn0 = new Uint32Array(gates);
	const gateIn1 = new Uint32Array(gates);
	for (let g = 0; g < gates; g++) {
		const wires = inputs + g;
		const kind = [GATE_XOR, GATE_AND, GATE_NOT][Math.floor(random() * 3)];
		gateKinds[g] = kind;
		// Prefer recent wires so that the circuit gets deep, not just wide.
		const pick = () => (random() < 0.5 ? wires - 1 - Math.floor(random() * Math.min(wires, 8)) : Math.floor(random() * wires));
		gateIn0[g] = pick();
		gateIn1[g] = kind === GATE_NOT ? 0 : pick();
	}
	const wires = inputs + gates;
	const out = new Uint32Array(outputs);
	for (let o = 0; o < outputs; o++) out[o] = random() < 0.7 ? wires - 1 - Math.floor(random() * Math.min(wires, 16)) : Math.floor(random() * wires);
	return { inputBits, gateKinds, gateIn0, gateIn1, outputs: out };
}

export function randomBits(count: number, random: () => number = Math.random): Bits {
	return Uint8Array.from({ length: count }, () => (random() < 0.5 ? 1 : 0));
}

/** `count` random 32-bit words. */
export function randomWords(count: number, random: () => number = Math.random): Uint32Array {
	return Uint32Array.from({ length: count }, () => (random() * 2 ** 32) >>> 0);
}

/** `count` bits shared among the parties, each share authenticated to every peer under its Δ (M_j[x^i] = K_j[x^i] ⊕ x^i·Δ_j). */
export function authenticatedBits(deltas: Uint32Array[], count: number, random: () => number): AuthBits[] {
	const parties = deltas.length;
	const shares = deltas.map((_, p) => new AuthBits(parties, p, count));
	for (let k = 0; k < count; k++) {
		for (const holder of shares) holder.bits[k] = random() < 0.5 ? 1 : 0;
		for (const holder of shares) {
			for (const owner of shares) {
				if (owner === holder) continue;
				const key = randomWords(4, random);
				const x = holder.bits[k];
				owner.words.set(key, owner.keyAt(k, holder.me));
				holder.words.set(
					key.map((w, i) => w ^ (x ? deltas[owner.me][i] : 0)),
					holder.macAt(k, owner.me)
				);
			}
		}
	}
	return shares;
}

/** A small deterministic PRNG (mulberry32) so that failures reproduce. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface RunResult {
	outputs: (Bits | undefined)[];
	errors: (unknown | undefined)[];
	dealerError?: unknown;
	network: MemoryNetwork;
}

/**
 * Makes one participant misbehave: the `nth` (default first) message it sends in `phase`
 * (to `to`, or to anyone) is changed by `mutate` before it leaves. `mutate` sees the payload
 * without the abort-framing byte.
 */
export interface Tamper {
	party: number;
	phase: string;
	to?: number;
	nth?: number;
	mutate: (payload: Uint8Array) => void;
}

function tampering(channel: Channel, tamper: Tamper): Channel {
	let seen = 0;
	return {
		recvBytesFrom: (from, info) => channel.recvBytesFrom(from, info),
		sendBytesTo: (to, bytes, info) => {
			if (info?.phase === tamper.phase && (tamper.to === undefined || tamper.to === to) && seen++ === (tamper.nth ?? 0)) {
				const changed = bytes.slice();
				// The payload without AbortableChannel's trailing frame tag.
				tamper.mutate(changed.subarray(0, changed.length - 1));
				return channel.sendBytesTo(to, changed, info);
			}
			return channel.sendBytesTo(to, bytes, info);
		}
	};
}

/**
 * What a test's trusted dealer deals: knowing the circuit, the products of the AND gates' input
 * masks (as the app's dealer, which has the session's program); not knowing it, triples.
 */
export type DealerKind = 'products' | 'triples';

/**
 * The trusted dealer (party 255) for `circuit`'s parties, knowing the circuit (and dealing its
 * first material before they call, as `polytune pre` does) or not.
 */
export async function startDealer(channel: Channel, circuit: Circuit, kind: DealerKind = 'products', options: Partial<DealerOptions> = {}): Promise<void> {
	const parties = circuit.inputBits.length;
	const knows = kind === 'products' ? { circuit, dealing: await dealingFor(circuit, parties) } : {};
	return runDealer(channel, { parties, ...knows, ...options });
}

/** Runs every party (and the dealer) of one computation over a MemoryNetwork. */
export async function runAll(
	circuit: Circuit,
	inputs: Bits[],
	options: Omit<MpcOptions, 'party'> & { tamper?: Tamper; dealer?: DealerKind }
): Promise<RunResult> {
	const network = new MemoryNetwork();
	const { tamper, dealer: kind, ...mpcOptions } = options;
	const channel = (party: number) => (tamper && tamper.party === party ? tampering(network.channel(party), tamper) : network.channel(party));
	const runs = inputs.map((bits, party) => mpc(channel(party), circuit, bits, { ...mpcOptions, party }));
	const dealer = options.preprocessing === 'dealer' ? startDealer(channel(DEALER_PARTY), circuit, kind) : Promise.resolve();
	const settled = await Promise.allSettled(runs);
	const dealerSettled = await Promise.allSettled([dealer]);
	return {
		outputs: settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined)),
		errors: settled.map((s) => (s.status === 'rejected' ? s.reason : undefined)),
		dealerError: dealerSettled[0].status === 'rejected' ? dealerSettled[0].reason : undefined,
		network
	};
}

/** The plaintext result every output party must get. */
export function expected(circuit: Circuit, inputs: Bits[]): Bits {
	return evaluateCircuit(circuit, inputs);
}

/** Two parties of `width` input bits each, and `width` gates of `kind` over bit i of both: every output kept. */
export function gateLayer(kind: number, width: number): Circuit {
	return {
		inputBits: [width, width],
		gateKinds: new Uint8Array(width).fill(kind),
		gateIn0: Uint32Array.from({ length: width }, (_, g) => g),
		gateIn1: Uint32Array.from({ length: width }, (_, g) => width + g),
		outputs: Uint32Array.from({ length: width }, (_, g) => 2 * width + g)
	};
}

/**
 * Sum of every party's `width`-bit number (least significant bit first), ripple-carry, with
 * the carries kept as extra output bits so that every AND gate reaches an output.
 */
export function sumCircuit(parties: number, width: number): Circuit {
	const kinds: number[] = [];
	const in0: number[] = [];
	const in1: number[] = [];
	const inputs = parties * width;
	const gate = (kind: number, a: number, b: number) => {
		kinds.push(kind);
		in0.push(a);
		in1.push(b);
		return inputs + kinds.length - 1;
	};
	let sum = Array.from({ length: width }, (_, i) => i);
	const carries: number[] = [];
	for (let p = 1; p < parties; p++) {
		const next: number[] = [];
		let carry = -1;
		for (let i = 0; i < width; i++) {
			const a = sum[i];
			const b = p * width + i;
			const axb = gate(GATE_XOR, a, b);
			if (carry < 0) {
				next.push(axb);
				carry = gate(GATE_AND, a, b);
				continue;
			}
			next.push(gate(GATE_XOR, axb, carry));
			// carry' = (a ∧ b) ⊕ (carry ∧ (a ⊕ b))
			carry = gate(GATE_XOR, gate(GATE_AND, a, b), gate(GATE_AND, carry, axb));
		}
		carries.push(carry);
		sum = next;
	}
	return {
		inputBits: Array(parties).fill(width),
		gateKinds: Uint8Array.from(kinds),
		gateIn0: Uint32Array.from(in0),
		gateIn1: Uint32Array.from(in1),
		outputs: Uint32Array.from([...sum, ...carries])
	};
}

export const toBits = (value: number, width: number) => Uint8Array.from({ length: width }, (_, i) => (value >> i) & 1);
export const fromBits = (bits: Uint8Array) => bits.reduce((sum, b, i) => sum + b * 2 ** i, 0);
