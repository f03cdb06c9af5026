import { GATE_AND, GATE_XOR, type Circuit } from '../garble/circuit';
import type { Schedule } from './schedule';

/** The products of a segment without AND gates. */
const NO_ANDS = new Uint8Array(0);

/**
 * The masks λ of a circuit's wires as a dealer that knows the circuit and every party's shares
 * sees them: whole bits, walked in the parties' order (the schedule's) with their rules
 * (wires.ts: XOR adds, NOT keeps, an AND gate's output takes its fresh λ_γ), so that the dealer
 * can deal ⟨λ_α·λ_β⟩ for each AND gate (WRK17 Fig. 2, steps 1–3). A byte per wire slot.
 */
export class DealerMasks {
	private readonly lambda: Uint8Array;
	/** The next segment to walk, and where it starts. */
	private segment = 0;
	private position = 0;

	constructor(
		private readonly circuit: Circuit,
		private readonly plan: Schedule
	) {
		this.lambda = new Uint8Array(plan.slots);
	}

	/** The masks of the input wires (input wire w lives in slot w). */
	setInputs(masks: Uint8Array): void {
		this.lambda.set(masks.subarray(0, this.plan.inputs));
	}

	/**
	 * Walks on to the end of the next segment with AND gates (those without come on the way: the
	 * parties ask for no material for them), whose `gamma.length` AND gates take the masks of
	 * `gamma`, and returns λ_α·λ_β of each. Null if that segment has another number of AND gates
	 * (the parties asked for material the schedule does not need next).
	 */
	nextProducts(gamma: Uint8Array): Uint8Array | null {
		const { plan } = this;
		const count = gamma.length;
		while (this.segment < plan.segmentAnds.length && plan.segmentAnds[this.segment] === 0) this.walk(gamma, NO_ANDS);
		if (this.segment >= plan.segmentAnds.length || plan.segmentAnds[this.segment] !== count) return null;
		const products = new Uint8Array(count);
		this.walk(gamma, products);
		return products;
	}

	/** Walks the next segment, its AND gates taking `gamma` and writing their products into `products`. */
	private walk(gamma: Uint8Array, products: Uint8Array): void {
		const { gateKinds, gateIn0, gateIn1 } = this.circuit;
		const { order, wireSlot, inputs } = this.plan;
		const lambda = this.lambda;
		const end = this.plan.segmentEnds[this.segment++];
		for (let t = this.position, k = 0; t < end; t++) {
			const g = order[t];
			const kind = gateKinds[g];
			const a = lambda[wireSlot[gateIn0[g]]];
			const out = wireSlot[inputs + g];
			if (kind === GATE_XOR) lambda[out] = a ^ lambda[wireSlot[gateIn1[g]]];
			else if (kind === GATE_AND) {
				products[k] = a & lambda[wireSlot[gateIn1[g]]];
				lambda[out] = gamma[k++];
			} else lambda[out] = a;
		}
		this.position = end;
	}
}
