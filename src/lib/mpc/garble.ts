import { BLOCK_WORDS, doubleBlock } from '../crypto/block';
import { hashBlocks } from '../crypto/hash';
import type { AuthBits } from './auth';
import { checkFailed } from './errors';

/**
 * Garbled AND gates of WRK17 (Fig. 2, step 4 and "Circuit evaluation"). Garbler j's table of
 * gate γ has four rows (a, b) ∈ {0,1}², each n blocks:
 *
 *   G_ab = H(L_α,a, L_β,b, γ, ab) ⊕ ( {M_k[r^j_ab]}_{k≠j}, L_γ,0 ⊕ ⊕_{k≠j} K_j[r^k_ab] ⊕ r^j_ab·Δ_j )
 *
 * with r_ab = λ_σ ⊕ λ_γ ⊕ b·λ_α ⊕ a·λ_β ⊕ a·b the masked output of the row (λ_σ = λ_α·λ_β;
 * the constant a·b sits in the evaluator's share). The share bit r^j_ab itself is not sent:
 * the evaluator reads it off its MAC, which must be K_e[r^j_ab] or K_e[r^j_ab] ⊕ Δ_e.
 *
 * H(A, B, γ, ab) block s = π(K) ⊕ K with K = 2A ⊕ 4B ⊕ T(γ, ab, s, j) (doubling in GF(2^128)),
 * the fixed-key hash of Bellare et al. (2013) with a tweak unique to gate, row, block and garbler.
 */

const TWEAK_DOMAIN = 0x67617262; // 'garb'

export interface GarbleContext {
	readonly parties: number;
	readonly me: number;
	readonly evaluator: number;
	readonly delta: Uint32Array;
}

/** Words per garbled gate of one garbler: 4 rows × n blocks. */
export function gateWords(parties: number): number {
	return 4 * parties * BLOCK_WORDS;
}

/** Adds the tweak T(γ, row, s, garbler) into the block at out[o…]. */
function addTweak(out: Uint32Array, o: number, gate: number, row: number, s: number, garbler: number): void {
	out[o] ^= gate;
	out[o + 1] ^= row | (s << 8);
	out[o + 2] ^= TWEAK_DOMAIN;
	out[o + 3] ^= garbler;
}

/** Working memory reused across segments. */
export class GarbleScratch {
	keys = new Uint32Array(0);
	pads = new Uint32Array(0);

	ensure(blocks: number): void {
		if (this.keys.length < blocks * BLOCK_WORDS) {
			this.keys = new Uint32Array(blocks * BLOCK_WORDS);
			this.pads = new Uint32Array(blocks * BLOCK_WORDS);
		}
	}
}

/**
 * Garbles `count` AND gates as garbler `ctx.me`. `r0` holds the shares of λ_σ ⊕ λ_γ, `alpha`
 * and `beta` those of the input masks; labels are the 0-labels of the input and output wires.
 */
export function garbleAnds(
	ctx: GarbleContext,
	count: number,
	gateIds: Uint32Array,
	r0: AuthBits,
	alpha: AuthBits,
	beta: AuthBits,
	labelAlpha: Uint32Array,
	labelBeta: Uint32Array,
	labelGamma: Uint32Array,
	scratch: GarbleScratch
): Uint32Array {
	const { parties: n, me, delta } = ctx;
	const stride = r0.stride;
	const peers = n - 1;
	const rowWords = n * BLOCK_WORDS;
	const table = new Uint32Array(count * gateWords(n));
	scratch.ensure(count * 4 * n);
	const { keys, pads } = scratch;
	const d2 = new Uint32Array(4);
	const d4 = new Uint32Array(4);
	doubleBlock(delta, 0, d2, 0);
	doubleBlock(d2, 0, d4, 0);
	const x = new Uint32Array(4);
	const y = new Uint32Array(4);

	// Hash inputs K = 2·L_α,a ⊕ 4·L_β,b ⊕ T for every gate, row and block.
	for (let q = 0; q < count; q++) {
		doubleBlock(labelAlpha, 4 * q, x, 0);
		doubleBlock(labelBeta, 4 * q, y, 0);
		doubleBlock(y, 0, y, 0);
		for (let w = 0; w < 4; w++) x[w] ^= y[w];
		for (let row = 0; row < 4; row++) {
			const a = row >> 1;
			const b = row & 1;
			for (let s = 0; s < n; s++) {
				const o = ((q * 4 + row) * n + s) * BLOCK_WORDS;
				for (let w = 0; w < 4; w++) keys[o + w] = x[w] ^ (a ? d2[w] : 0) ^ (b ? d4[w] : 0);
				addTweak(keys, o, gateIds[q], row, s, me);
			}
		}
	}
	hashBlocks(keys, 0, pads, 0, count * 4 * n);

	// Row plaintexts: P_ab = P0 ⊕ b·PA ⊕ a·PB ⊕ a·b·(0, …, 0, Δ), where P0/PA/PB hold the MACs
	// of r0/α/β for every other party and, last, W = ⊕_k K_j[x^k] ⊕ x^j·Δ (plus L_γ,0 for P0).
	const p0 = new Uint32Array(rowWords);
	const pa = new Uint32Array(rowWords);
	const pb = new Uint32Array(rowWords);
	for (let q = 0; q < count; q++) {
		const base = q * stride;
		for (const [shares, out, label] of [
			[r0, p0, labelGamma],
			[alpha, pa, null],
			[beta, pb, null]
		] as const) {
			const bit = -shares.bits[q];
			let w0 = bit & delta[0];
			let w1 = bit & delta[1];
			let w2 = bit & delta[2];
			let w3 = bit & delta[3];
			if (label) {
				w0 ^= label[4 * q];
				w1 ^= label[4 * q + 1];
				w2 ^= label[4 * q + 2];
				w3 ^= label[4 * q + 3];
			}
			for (let p = 0; p < peers; p++) {
				const m = base + 8 * p;
				const o = 4 * p;
				out[o] = shares.words[m];
				out[o + 1] = shares.words[m + 1];
				out[o + 2] = shares.words[m + 2];
				out[o + 3] = shares.words[m + 3];
				w0 ^= shares.words[m + 4];
				w1 ^= shares.words[m + 5];
				w2 ^= shares.words[m + 6];
				w3 ^= shares.words[m + 7];
			}
			const o = 4 * peers;
			out[o] = w0;
			out[o + 1] = w1;
			out[o + 2] = w2;
			out[o + 3] = w3;
		}
		for (let row = 0; row < 4; row++) {
			const a = row >> 1;
			const b = row & 1;
			const o = (q * 4 + row) * rowWords;
			for (let w = 0; w < rowWords; w++) table[o + w] = pads[o + w] ^ p0[w] ^ (b ? pa[w] : 0) ^ (a ? pb[w] : 0);
			if (row === 3) {
				// The constant 1 of row (1,1) is in the evaluator's share: its key gets Δ_j.
				for (let w = 0; w < 4; w++) table[o + 4 * peers + w] ^= delta[w];
			}
		}
	}
	return table;
}

/** The evaluator's state for every wire slot: masked value z and one label per garbler. */
export class EvaluatorState {
	readonly z: Uint8Array;
	readonly labels: Uint32Array;
	readonly garblers: number;

	constructor(parties: number, slots: number) {
		this.garblers = parties - 1;
		this.z = new Uint8Array(slots);
		this.labels = new Uint32Array(slots * this.garblers * BLOCK_WORDS);
	}
}

/** One batch of independent AND gates for the evaluator. */
export interface AndBatch {
	count: number;
	/** Gate index (tweak), input slots and output slot of each gate. */
	gateIds: Uint32Array;
	inA: Uint32Array;
	inB: Uint32Array;
	out: Uint32Array;
	/** Index of each gate's material (r0, alpha, beta, tables) within the segment. */
	material: Uint32Array;
}

/**
 * Evaluates a batch of independent AND gates (WRK17 Fig. 2, "Circuit evaluation"): decrypts
 * row (z_α, z_β) of every garbler's table, checks the garbler's share against its MAC and the
 * evaluator's key, and computes z_γ and the output labels
 * L^j_γ,z = (label part of j) ⊕ ⊕_{k≠j} M_j[r^k].
 */
export function evaluateAnds(
	ctx: GarbleContext,
	batch: AndBatch,
	state: EvaluatorState,
	tables: readonly Uint32Array[],
	r0: AuthBits,
	alpha: AuthBits,
	beta: AuthBits,
	scratch: GarbleScratch
): void {
	const { parties: n, me, delta } = ctx;
	const garblers = n - 1;
	const rowWords = n * BLOCK_WORDS;
	const labelStride = garblers * BLOCK_WORDS;
	const { count } = batch;
	scratch.ensure(count * garblers * n);
	const { keys, pads } = scratch;
	const rows = new Uint8Array(count);
	const y = new Uint32Array(4);

	for (let i = 0; i < count; i++) {
		const sa = batch.inA[i];
		const sb = batch.inB[i];
		const row = (state.z[sa] << 1) | state.z[sb];
		rows[i] = row;
		for (let g = 0; g < garblers; g++) {
			const garbler = g < me ? g : g + 1;
			const o0 = (i * garblers + g) * n * BLOCK_WORDS;
			doubleBlock(state.labels, sa * labelStride + 4 * g, keys, o0);
			doubleBlock(state.labels, sb * labelStride + 4 * g, y, 0);
			doubleBlock(y, 0, y, 0);
			for (let w = 0; w < 4; w++) keys[o0 + w] ^= y[w];
			for (let s = 1; s < n; s++) keys.copyWithin(o0 + 4 * s, o0, o0 + 4);
			for (let s = 0; s < n; s++) addTweak(keys, o0 + 4 * s, batch.gateIds[i], row, s, garbler);
		}
	}
	hashBlocks(keys, 0, pads, 0, count * garblers * n);

	const macs = new Uint32Array(garblers * BLOCK_WORDS); // the evaluator's M_j[s] per garbler
	const ownKeys = new Uint32Array(garblers * BLOCK_WORDS); // K_e[r^j_ab] per garbler
	for (let i = 0; i < count; i++) {
		const q = batch.material[i];
		const row = rows[i];
		const a = row >> 1;
		const b = row & 1;
		// The evaluator's own share of r_ab (with the constant a·b), its MACs and keys.
		let z = r0.bits[q] ^ (b & alpha.bits[q]) ^ (a & beta.bits[q]) ^ (a & b);
		const base = q * r0.stride;
		for (let g = 0; g < garblers; g++) {
			for (let w = 0; w < 8; w++) {
				const v = r0.words[base + 8 * g + w] ^ (b ? alpha.words[base + 8 * g + w] : 0) ^ (a ? beta.words[base + 8 * g + w] : 0);
				if (w < 4) macs[4 * g + w] = v;
				else ownKeys[4 * g + w - 4] = v;
			}
		}
		const outLabels = batch.out[i] * labelStride;
		for (let g = 0; g < garblers; g++) {
			const garbler = g < me ? g : g + 1;
			const pad = (i * garblers + g) * rowWords;
			const cipher = (q * 4 + row) * rowWords;
			const table = tables[g];
			// Block of the evaluator's MAC in garbler's row: its index among the parties ≠ garbler.
			const mine = (me < garbler ? me : me - 1) * 4;
			const m0 = table[cipher + mine] ^ pads[pad + mine];
			const m1 = table[cipher + mine + 1] ^ pads[pad + mine + 1];
			const m2 = table[cipher + mine + 2] ^ pads[pad + mine + 2];
			const m3 = table[cipher + mine + 3] ^ pads[pad + mine + 3];
			const k = 4 * g;
			let share: number;
			// Compare by XOR: bitwise results are signed, Uint32Array reads are not.
			const d0 = m0 ^ ownKeys[k];
			const d1 = m1 ^ ownKeys[k + 1];
			const d2 = m2 ^ ownKeys[k + 2];
			const d3 = m3 ^ ownKeys[k + 3];
			if ((d0 | d1 | d2 | d3) === 0) share = 0;
			else if ((d0 ^ delta[0]) === 0 && (d1 ^ delta[1]) === 0 && (d2 ^ delta[2]) === 0 && (d3 ^ delta[3]) === 0) share = 1;
			else checkFailed('garbled row check', garbler, `garbled AND gate ${batch.gateIds[i]} (its share's MAC does not verify)`);
			z ^= share;
			// Label part of garbler j, plus the evaluator's own MAC under Δ_j.
			const label = outLabels + 4 * g;
			const lp = cipher + 4 * garblers;
			for (let w = 0; w < 4; w++) state.labels[label + w] = table[lp + w] ^ pads[pad + 4 * garblers + w] ^ macs[4 * g + w];
		}
		// Add M_j[r^k] from every other garbler k's row to garbler j's label.
		for (let gk = 0; gk < garblers; gk++) {
			const k = gk < me ? gk : gk + 1;
			const pad = (i * garblers + gk) * rowWords;
			const cipher = (q * 4 + row) * rowWords;
			const table = tables[gk];
			for (let gj = 0; gj < garblers; gj++) {
				if (gj === gk) continue;
				const j = gj < me ? gj : gj + 1;
				const block = (j < k ? j : j - 1) * 4;
				const label = outLabels + 4 * gj;
				for (let w = 0; w < 4; w++) state.labels[label + w] ^= table[cipher + block + w] ^ pads[pad + block + w];
			}
		}
		state.z[batch.out[i]] = z;
	}
}
