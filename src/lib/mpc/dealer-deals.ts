import { turnPassed } from '../channel/next-turn';
import { BLOCK_BYTES, BLOCK_WORDS, packBits, randomBlocks } from '../crypto/block';
import { Prg } from '../crypto/prg';
import type { Circuit } from '../garble/circuit';
import { dealerKernel, type DealerMacs } from './dealer-kernel';
import { DealerMasks } from './dealer-masks';
import { CONSTANT_HOLDER } from './preprocessing';
import { prepareCircuit } from './prepare';
import { drawShares, type DrawnShares } from './share-store';

/** What a party asks the dealer for: the input masks, or the next segment's AND gates. */
export const KIND_INPUTS = 1;
export const KIND_ANDS = 2;
/** Segments of material a party asks for ahead of the one it uses, so that no request waits for an answer. */
export const REQUESTS_AHEAD = 8;
/** What the dealer deals per AND gate, as it says along with each party's seed: λ_γ and a triple, or λ_γ and ⟨λ_α·λ_β ⊕ λ_γ⟩. */
export const DEALS_TRIPLES = 1;
export const DEALS_PRODUCTS = 2;
/** Authenticated bits per AND gate, by what the dealer deals. */
export const SETS = { [DEALS_TRIPLES]: 4, [DEALS_PRODUCTS]: 2 } as const;
/**
 * Most bytes of AND gates' MACs a dealer that knows the circuit deals before the parties call
 * (for all parties): every segment the parties ask for first of a small program, a bound for a
 * large one.
 */
const AHEAD_BYTES = 32 * 1024 * 1024;

/** What each party gets for one request, by party: the MACs on its shares, then its extras. */
export type Deal = Uint8Array[];

/** A deal made before the parties asked for it. */
interface MadeAhead {
	kind: number;
	count: number;
	/** For the input masks: the input bits of each party it was made for. */
	inputBits?: string;
	deal: Deal;
}

/**
 * The dealer's material for one run: every party's seed (from which the party derives its Δ, its
 * share bits and its keys, and the dealer the same), the MAC kernel and, where the dealer knows
 * the circuit, the walk of its masks. Deals are made in the order the parties ask for them: the
 * PRGs and the walk move on with each.
 */
export class Dealing {
	readonly seeds: Uint32Array;
	/** DEALS_TRIPLES or DEALS_PRODUCTS. */
	readonly deals: keyof typeof SETS;
	private readonly prgs: Prg[];
	private readonly deltas: Uint32Array[];
	private readonly macs: DealerMacs;
	private readonly ahead: MadeAhead[] = [];
	private claimed = false;

	constructor(
		readonly parties: number,
		private readonly masks: DealerMasks | null
	) {
		this.seeds = randomBlocks(parties);
		this.prgs = Array.from({ length: parties }, (_, p) => new Prg(this.seeds, p * BLOCK_WORDS));
		this.deltas = this.prgs.map((prg) => prg.blocks(1));
		this.macs = dealerKernel().create();
		this.deals = masks ? DEALS_PRODUCTS : DEALS_TRIPLES;
	}

	/** Takes this material for a run of `parties` parties: its seeds, hence every Δ, must serve one run only. */
	claim(parties: number): void {
		if (this.claimed) throw new Error('dealer: this material has served a run already: each run needs a Dealing of its own');
		if (parties !== this.parties) throw new Error(`dealer: material dealt for ${this.parties} parties cannot serve ${parties}`);
		this.claimed = true;
	}

	/**
	 * The deal for the parties' next request: the one made ahead for it, or a fresh one. Null
	 * where it cannot be given: the schedule's next segment has another number of AND gates, or
	 * the request is not the one a deal was made ahead for (the walk is past it).
	 */
	next(kind: number, count: number, inputBits: readonly number[]): Deal | null {
		const made = this.ahead.shift();
		if (made) return made.kind === kind && made.count === count && (made.inputBits === undefined || made.inputBits === inputBits.join()) ? made.deal : null;
		return this.make(kind, count, inputBits);
	}

	/**
	 * Deals ahead, for a dealer that knows the circuit: the input masks and the first `segments`
	 * segments with AND gates (`ands`, in the parties' order), as far as `aheadBytes` of their
	 * MACs allow. Each deal on a turn of the event loop of its own, so that the dealer's requests
	 * go on meanwhile.
	 */
	async dealAhead(inputBits: readonly number[], ands: Uint32Array, segments: number, aheadBytes: number): Promise<void> {
		const first = Array.from(ands.filter((count) => count > 0).subarray(0, segments), (count) => [KIND_ANDS, count]);
		let bytes = 0;
		for (const [kind, count] of [[KIND_INPUTS, inputBits.reduce((a, b) => a + b, 0)], ...first]) {
			if (kind === KIND_ANDS && (bytes += this.macBytes(count)) > aheadBytes) break;
			await turnPassed();
			const deal = this.make(kind, count, inputBits);
			if (!deal) throw new Error(`dealer: the schedule has no segment of ${count} AND gates next`);
			this.ahead.push({ kind, count, deal, ...(kind === KIND_INPUTS ? { inputBits: inputBits.join() } : {}) });
		}
	}

	/** The MACs of one deal of `count` AND gates, for all parties. */
	private macBytes(count: number): number {
		return this.parties * count * SETS[this.deals] * (this.parties - 1) * BLOCK_BYTES;
	}

	private make(kind: number, count: number, inputBits: readonly number[]): Deal | null {
		if (kind === KIND_INPUTS) return this.inputs(count, inputBits);
		return this.masks ? this.products(count, this.masks) : this.triples(count);
	}

	/** The input masks; each party also gets the masks of its own input wires, and a dealer that walks the circuit keeps them all. */
	private inputs(count: number, inputBits: readonly number[]): Deal {
		const drawn = this.draw(count, 1);
		const lambda = whole(drawn, 0, count);
		this.masks?.setInputs(lambda);
		let offset = 0;
		const extras = inputBits.map((own) => {
			const extra = packBits(lambda, offset, own);
			offset += own;
			return extra;
		});
		return this.messages(drawn, extras);
	}

	/** λ_γ and a random triple (c = a ∧ b) per AND gate. */
	private triples(count: number): Deal {
		const drawn = this.draw(count, SETS[DEALS_TRIPLES]);
		const a = whole(drawn, 1, count);
		const b = whole(drawn, 2, count);
		for (let k = 0; k < count; k++) a[k] &= b[k];
		return this.messages(drawn, holderExtra(this.parties, shareAs(drawn, 3, count, a)));
	}

	/**
	 * λ_γ and ⟨λ_α·λ_β ⊕ λ_γ⟩ per AND gate of the next segment (the sum the garblers need, so that
	 * they add nothing); null if that segment has another number of AND gates.
	 */
	private products(count: number, masks: DealerMasks): Deal | null {
		const drawn = this.draw(count, SETS[DEALS_PRODUCTS]);
		const gamma = whole(drawn, 0, count);
		const products = masks.nextProducts(gamma);
		if (!products) return null;
		for (let k = 0; k < count; k++) products[k] ^= gamma[k];
		return this.messages(drawn, holderExtra(this.parties, shareAs(drawn, 1, count, products)));
	}

	/** Every party's shares of `sets` sets of `count` bits, drawn from its seed (in the MAC kernel's storage, valid until the next draw). */
	private draw(count: number, sets: number): DrawnShares[] {
		return this.macs.shares(this.parties, count * sets).map((shares, p) => drawShares(this.prgs[p], shares, this.parties - 1));
	}

	/** Each party's message: the MACs on its drawn shares, M_j[x^i] = K_j[x^i] ⊕ x^i·Δ_j for every peer j in its key layout, then its extra. */
	private messages(drawn: DrawnShares[], extras: Uint8Array[]): Deal {
		const macBytes = drawn[0].bits.length * (this.parties - 1) * BLOCK_BYTES;
		return drawn.map((_, i) => {
			const message = new Uint8Array(macBytes + extras[i].length);
			this.macs.macs(i, new Uint32Array(message.buffer, 0, macBytes / 4), this.deltas);
			message.set(extras[i], macBytes);
			return message;
		});
	}
}

/**
 * A dealer's material for the parties of `circuit`, its first deals (the input masks and the
 * first REQUESTS_AHEAD segments, at most `aheadBytes` of their MACs) made before they
 * call: what they ask for first is the circuit's, its input bits and its schedule's segments.
 */
export async function dealingFor(circuit: Circuit, parties: number, aheadBytes = AHEAD_BYTES): Promise<Dealing> {
	const { plan } = prepareCircuit(circuit);
	const dealing = new Dealing(parties, new DealerMasks(circuit, plan));
	await dealing.dealAhead(circuit.inputBits, plan.segmentAnds, REQUESTS_AHEAD, aheadBytes);
	return dealing;
}

/** The bits of set `set` (of `count` each) as a whole: the XOR of every party's shares. */
function whole(drawn: DrawnShares[], set: number, count: number): Uint8Array {
	const out = new Uint8Array(count);
	for (const { bits } of drawn) for (let k = 0, i = set * count; k < count; k++, i++) out[k] ^= bits[i];
	return out;
}

/**
 * Makes set `set` share `wanted`: the constant holder's share absorbs the difference. Returns
 * the flips, packed, which the holder (who draws the same share) applies on its side.
 */
function shareAs(drawn: DrawnShares[], set: number, count: number, wanted: Uint8Array): Uint8Array {
	const flip = whole(drawn, set, count);
	const holder = drawn[CONSTANT_HOLDER].bits;
	for (let k = 0, i = set * count; k < count; k++, i++) {
		flip[k] ^= wanted[k];
		holder[i] ^= flip[k];
	}
	return packBits(flip);
}

/** `extra` for the constant holder, nothing for the other parties. */
function holderExtra(parties: number, extra: Uint8Array): Uint8Array[] {
	return Array.from({ length: parties }, (_, p) => (p === CONSTANT_HOLDER ? extra : new Uint8Array(0)));
}
