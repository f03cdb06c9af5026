import type { AuthBits } from './auth';

/**
 * What the online phase needs for a run of AND gates, function-independent (WRK17 Fig. 1):
 * masks for their outputs and random triples, from which Beaver multiplication makes the
 * products of their input masks.
 */
export interface TripleMaterial {
	/** Masks λ_γ of the AND gates' output wires. */
	gamma: AuthBits;
	/** Random authenticated triples: c = a ∧ b. */
	a: AuthBits;
	b: AuthBits;
	c: AuthBits;
}

/**
 * The same, function-dependent: a dealer that knows the circuit (and every mask) deals the
 * products ⟨λ_α·λ_β⟩ of the AND gates' input masks themselves (WRK17 Fig. 2, steps 1–3 done by
 * the dealer), each already with λ_γ added: no Beaver round, half the material.
 */
export interface ProductMaterial {
	gamma: AuthBits;
	/** ⟨λ_α·λ_β ⊕ λ_γ⟩ of each AND gate, in the order the walk meets them: the masked output of its row (0, 0). */
	r0: AuthBits;
}

export type AndMaterial = TripleMaterial | ProductMaterial;

/** The masks of the input wires; `own` holds λ_w of this party's own input wires where the source can tell them (the dealer). */
export interface InputMasks {
	masks: AuthBits;
	own?: Uint8Array;
}

/**
 * A source of correlated randomness, consumed in the same order by every party:
 * the trusted dealer (dealer.ts) or the OT-based protocol (ot-preprocessing.ts).
 */
export interface Preprocessing {
	/** This party's global key Δ_i (4 words): MAC key and free-XOR offset of its labels. */
	readonly delta: Uint32Array;
	/** Random authenticated bits: the masks λ_w of the circuit's input wires. */
	inputMasks(): Promise<InputMasks>;
	/** Masks and triples (or products) for the next `count` AND gates, in fresh storage or views nothing else writes to. */
	andGates(count: number): Promise<AndMaterial>;
	/** Rejects as soon as preprocessing fails anywhere, even ahead of what the online phase uses. */
	readonly failure: Promise<never>;
	/**
	 * Called once this party's own checks have all passed and its output confirmation is on its
	 * way (sent with it, so it adds no flight): from then on no abort comes from this party.
	 */
	finish(): Promise<void>;
}

/** The party that adds public constants into shared bits (flips its share; the others adjust keys). */
export const CONSTANT_HOLDER = 0;
