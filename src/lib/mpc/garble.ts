import { BLOCK_WORDS, doubleBlock } from '../crypto/block';
import { hashBlocks } from '../crypto/hash';
import type { AuthBits } from './auth';
import { labelCheckFailed } from './errors';

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

/**
 * Words per garbled row as sent: n blocks, but the evaluator's MAC truncated to its first
 * 64 bits. That MAC only serves the evaluator's check, whose soundness is then 2^-64; the
 * other parties' MACs and the label part enter labels and stay whole.
 */
function sentRowWords(parties: number): number {
	return parties * BLOCK_WORDS - 2;
}

/** Words per garbled gate of one garbler: four rows. */
export function gateWords(parties: number): number {
	return 4 * sentRowWords(parties);
}

/** Where word w of a full row (n blocks) is in the sent row; -1 for the dropped MAC words. */
function sentOffset(w: number, evaluatorBlock: number): number {
	const cut = 4 * evaluatorBlock + 2;
	return w < cut ? w : w < cut + 2 ? -1 : w - 2;
}

/** Adds the tweak T(γ, row, s, garbler) into the block at out[o…]. */
function addTweak(out: Uint32Array, o: number, gate: number, row: number, s: number, garbler: number): void {
	out[o] ^= gate;
	out[o + 1] ^= row | (s << 8);
	out[o + 2] ^= TWEAK_DOMAIN;
	out[o + 3] ^= garbler;
}

/**
 * One of P0, PA, PB for gate q: the MACs of the share for every other party, then
 * W = ⊕_k K_j[x^k] ⊕ x^j·Δ (⊕ the output 0-label when given).
 */
function rowPart(shares: AuthBits, q: number, delta: Uint32Array, label: Uint32Array | null, out: Uint32Array): void {
	const words = shares.words;
	const mask = -shares.bits[q];
	let w0 = delta[0] & mask;
	let w1 = delta[1] & mask;
	let w2 = delta[2] & mask;
	let w3 = delta[3] & mask;
	if (label) {
		w0 ^= label[4 * q];
		w1 ^= label[4 * q + 1];
		w2 ^= label[4 * q + 2];
		w3 ^= label[4 * q + 3];
	}
	const peers = shares.parties - 1;
	for (let p = 0, m = q * shares.stride; p < peers; p++, m += 8) {
		const o = 4 * p;
		out[o] = words[m];
		out[o + 1] = words[m + 1];
		out[o + 2] = words[m + 2];
		out[o + 3] = words[m + 3];
		w0 ^= words[m + 4];
		w1 ^= words[m + 5];
		w2 ^= words[m + 6];
		w3 ^= words[m + 7];
	}
	const o = 4 * peers;
	out[o] = w0;
	out[o + 1] = w1;
	out[o + 2] = w2;
	out[o + 3] = w3;
}

/** Working memory reused across segments and batches. */
export class GarbleScratch {
	keys = new Uint32Array(0);
	pads = new Uint32Array(0);
	rows = new Uint8Array(0);
	readonly x = new Uint32Array(BLOCK_WORDS);
	readonly y = new Uint32Array(BLOCK_WORDS);
	/** 2Δ and 4Δ. */
	readonly d2 = new Uint32Array(BLOCK_WORDS);
	readonly d4 = new Uint32Array(BLOCK_WORDS);
	/** The evaluator's MACs M_j[s] and keys K_e[r^j_ab], one block per garbler. */
	readonly macs: Uint32Array;
	readonly ownKeys: Uint32Array;
	/** A garbler's P0, PA, PB of one gate. */
	readonly p0: Uint32Array;
	readonly pa: Uint32Array;
	readonly pb: Uint32Array;

	constructor(parties: number) {
		this.macs = new Uint32Array((parties - 1) * BLOCK_WORDS);
		this.ownKeys = new Uint32Array((parties - 1) * BLOCK_WORDS);
		this.p0 = new Uint32Array(parties * BLOCK_WORDS);
		this.pa = new Uint32Array(parties * BLOCK_WORDS);
		this.pb = new Uint32Array(parties * BLOCK_WORDS);
	}

	ensure(blocks: number): void {
		if (this.keys.length < blocks * BLOCK_WORDS) {
			this.keys = new Uint32Array(blocks * BLOCK_WORDS);
			this.pads = new Uint32Array(blocks * BLOCK_WORDS);
			this.rows = new Uint8Array(blocks);
		}
	}
}

/*
 * Garbling and evaluation are split into one function per loop: V8 optimises a function after
 * a number of ticks that grows with its bytecode, and a loop optimised in the middle of a larger
 * function is thrown away when the code after it first runs (see walk-js.ts).
 */

/**
 * AND gates hashed and encrypted (or decrypted) at a time: the hash inputs and pads stay in cache,
 * and the loops are short calls, which V8 optimises whole rather than compiling a second
 * version entered mid-loop.
 */
const GARBLE_CHUNK_ANDS = 16;

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
	const table = new Uint32Array(count * gateWords(ctx.parties));
	scratch.ensure(Math.min(count, GARBLE_CHUNK_ANDS) * 4 * ctx.parties);
	doubleBlock(ctx.delta, 0, scratch.d2, 0);
	doubleBlock(scratch.d2, 0, scratch.d4, 0);
	for (let first = 0; first < count; first += GARBLE_CHUNK_ANDS) {
		const chunk = Math.min(GARBLE_CHUNK_ANDS, count - first);
		garblerHashInputs(ctx, first, chunk, gateIds, labelAlpha, labelBeta, scratch);
		hashBlocks(scratch.keys, 0, scratch.pads, 0, chunk * 4 * ctx.parties);
		encryptRows(ctx, first, chunk, r0, alpha, beta, labelGamma, scratch, table);
	}
	return table;
}

/**
 * The garbler's hash inputs K = 2·L_α,a ⊕ 4·L_β,b ⊕ T for every row and block of gates
 * [first, first + count), into scratch.keys (2·L_α,1 = 2·L_α,0 ⊕ 2Δ, 4·L_β,1 = 4·L_β,0 ⊕ 4Δ,
 * with 2Δ and 4Δ in scratch.d2 and scratch.d4).
 */
function garblerHashInputs(ctx: GarbleContext, first: number, count: number, gateIds: Uint32Array, labelAlpha: Uint32Array, labelBeta: Uint32Array, scratch: GarbleScratch): void {
	const { parties: n, me } = ctx;
	const { keys, x, y, d2, d4 } = scratch;
	for (let q = first, o = 0; q < first + count; q++) {
		doubleBlock(labelAlpha, 4 * q, x, 0);
		doubleBlock(labelBeta, 4 * q, y, 0);
		doubleBlock(y, 0, y, 0);
		const gate = gateIds[q];
		for (let row = 0; row < 4; row++) {
			const a = -(row >> 1);
			const b = -(row & 1);
			const k0 = x[0] ^ y[0] ^ (d2[0] & a) ^ (d4[0] & b) ^ gate;
			const k1 = x[1] ^ y[1] ^ (d2[1] & a) ^ (d4[1] & b);
			const k2 = x[2] ^ y[2] ^ (d2[2] & a) ^ (d4[2] & b) ^ TWEAK_DOMAIN;
			const k3 = x[3] ^ y[3] ^ (d2[3] & a) ^ (d4[3] & b) ^ me;
			for (let s = 0; s < n; s++, o += BLOCK_WORDS) {
				keys[o] = k0;
				keys[o + 1] = k1 ^ row ^ (s << 8);
				keys[o + 2] = k2;
				keys[o + 3] = k3;
			}
		}
	}
}

/**
 * The rows of gates [first, first + count), encrypted with the pads in scratch.pads, into `table`:
 * P_ab = P0 ⊕ b·PA ⊕ a·PB ⊕ a·b·(0, …, 0, Δ), where P0/PA/PB hold the MACs of r0/α/β for every
 * other party and, last, W = ⊕_k K_j[x^k] ⊕ x^j·Δ (plus L_γ,0 for P0). The constant 1 of row
 * (1,1) is in the evaluator's share: its key gets Δ_j.
 */
function encryptRows(ctx: GarbleContext, first: number, count: number, r0: AuthBits, alpha: AuthBits, beta: AuthBits, labelGamma: Uint32Array, scratch: GarbleScratch, table: Uint32Array): void {
	const { parties: n, me, delta } = ctx;
	const peers = n - 1;
	const rowWords = n * BLOCK_WORDS;
	const sent = sentRowWords(n);
	const evaluatorBlock = ctx.evaluator < me ? ctx.evaluator : ctx.evaluator - 1;
	const cut = 4 * evaluatorBlock + 2;
	const { pads, p0, pa, pb } = scratch;
	for (let q = first; q < first + count; q++) {
		rowPart(r0, q, delta, labelGamma, p0);
		rowPart(alpha, q, delta, null, pa);
		rowPart(beta, q, delta, null, pb);
		// Row (a, b) at pads o + (2a + b)·rowWords and table t + (2a + b)·sent; the evaluator's
		// MAC (words cut, cut + 1) is sent truncated to its first 64 bits.
		const o = (q - first) * 4 * rowWords;
		const t = q * 4 * sent;
		for (let w = 0; w < rowWords; w++) {
			if (w === cut || w === cut + 1) continue;
			const u = w < cut ? t + w : t + w - 2;
			const v0 = p0[w];
			const va = pa[w];
			const vb = pb[w];
			table[u] = pads[o + w] ^ v0;
			table[u + sent] = pads[o + rowWords + w] ^ v0 ^ va;
			table[u + 2 * sent] = pads[o + 2 * rowWords + w] ^ v0 ^ vb;
			table[u + 3 * sent] = pads[o + 3 * rowWords + w] ^ v0 ^ va ^ vb;
		}
		// Row (1, 1)'s last block, W, is after the cut.
		const last = t + 3 * sent + 4 * peers - 2;
		for (let w = 0; w < 4; w++) table[last + w] ^= delta[w];
	}
}

/** The evaluator's check of a garbler's share in a decrypted row failed (WRK17 Fig. 2, "Circuit evaluation"). */
export function rowCheckFailed(garbler: number, parties: number, gateId: number): never {
	labelCheckFailed('garbled row check', garbler, parties, `garbled AND gate ${gateId} (its share's MAC does not verify)`);
}

/** The evaluator's state for every wire slot: masked value z and one label per garbler. */
export class EvaluatorState {
	readonly z: Uint8Array;
	readonly labels: Uint32Array;
	readonly garblers: number;

	/** Over `z` (slots bytes) and `labels` (slots · garblers blocks), zeroed. */
	constructor(parties: number, slots: number, z: Uint8Array, labels: Uint32Array) {
		this.garblers = parties - 1;
		this.z = z;
		this.labels = labels;
		if (this.z.length !== slots || this.labels.length !== slots * this.garblers * BLOCK_WORDS) throw new Error(`EvaluatorState: storage does not hold ${slots} slots`);
	}
}

/** The AND gates of a segment, by their index in it: gate number (tweak), input and output slots. */
export interface SegmentAnds {
	gateIds: Uint32Array;
	inA: Uint32Array;
	inB: Uint32Array;
	out: Uint32Array;
}

/** What the evaluator opens a segment's AND gates with: every garbler's tables (garbler order) and its shares of r0, α and β. */
export interface SegmentTables {
	ands: SegmentAnds;
	tables: readonly Uint32Array[];
	r0: AuthBits;
	alpha: AuthBits;
	beta: AuthBits;
}

/**
 * Evaluates a batch of independent AND gates (WRK17 Fig. 2, "Circuit evaluation"): decrypts
 * row (z_α, z_β) of every garbler's table, checks the garbler's share against its MAC and the
 * evaluator's key, and computes z_γ and the output labels
 * L^j_γ,z = (label part of j) ⊕ ⊕_{k≠j} M_j[r^k].
 */
export function evaluateAnds(ctx: GarbleContext, segment: SegmentTables, first: number, count: number, state: EvaluatorState, scratch: GarbleScratch): void {
	const blocksPerGate = (ctx.parties - 1) * ctx.parties;
	scratch.ensure(Math.min(count, GARBLE_CHUNK_ANDS) * blocksPerGate);
	for (let done = 0; done < count; done += GARBLE_CHUNK_ANDS) {
		const chunk = Math.min(GARBLE_CHUNK_ANDS, count - done);
		evaluatorHashInputs(ctx, segment.ands, first + done, chunk, state, scratch);
		hashBlocks(scratch.keys, 0, scratch.pads, 0, chunk * blocksPerGate);
		openRows(ctx, segment, first + done, chunk, state, scratch);
	}
}

/** The evaluator's hash inputs for row (z_α, z_β) of every garbler's table of every gate, into scratch.keys; the rows into scratch.rows. */
function evaluatorHashInputs(ctx: GarbleContext, ands: SegmentAnds, first: number, count: number, state: EvaluatorState, scratch: GarbleScratch): void {
	const { parties: n, me } = ctx;
	const garblers = n - 1;
	const labelStride = garblers * BLOCK_WORDS;
	const { keys, rows, y } = scratch;
	for (let i = 0; i < count; i++) {
		const sa = ands.inA[first + i];
		const sb = ands.inB[first + i];
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
			for (let s = 0; s < n; s++) addTweak(keys, o0 + 4 * s, ands.gateIds[first + i], row, s, garbler);
		}
	}
}

/**
 * Decrypts the selected rows with the pads in scratch.pads, checks every garbler's share
 * against its MAC and the evaluator's key, and sets z_γ and the output labels.
 */
function openRows(ctx: GarbleContext, segment: SegmentTables, first: number, count: number, state: EvaluatorState, scratch: GarbleScratch): void {
	const { parties: n, me, delta } = ctx;
	const { ands, tables, r0, alpha, beta } = segment;
	const garblers = n - 1;
	const rowWords = n * BLOCK_WORDS;
	const sent = sentRowWords(n);
	const labelStride = garblers * BLOCK_WORDS;
	const { pads, rows, macs, ownKeys } = scratch;

	for (let i = 0; i < count; i++) {
		const q = first + i;
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
		const outLabels = ands.out[q] * labelStride;
		for (let g = 0; g < garblers; g++) {
			const garbler = g < me ? g : g + 1;
			const pad = (i * garblers + g) * rowWords;
			const cipher = (q * 4 + row) * sent;
			const table = tables[g];
			// Block of the evaluator's MAC in garbler's row: its index among the parties ≠ garbler
			// (its first 64 bits only; the blocks after it are shifted by two words).
			const mine = (me < garbler ? me : me - 1) * 4;
			const k = 4 * g;
			// Compare by XOR: bitwise results are signed, Uint32Array reads are not.
			const d0 = table[cipher + mine] ^ pads[pad + mine] ^ ownKeys[k];
			const d1 = table[cipher + mine + 1] ^ pads[pad + mine + 1] ^ ownKeys[k + 1];
			let share: number;
			if ((d0 | d1) === 0) share = 0;
			else if ((d0 ^ delta[0]) === 0 && (d1 ^ delta[1]) === 0) share = 1;
			else rowCheckFailed(garbler, n, ands.gateIds[q]);
			z ^= share;
			// Label part of garbler j, plus the evaluator's own MAC under Δ_j.
			const label = outLabels + 4 * g;
			const lp = cipher + 4 * garblers - 2;
			for (let w = 0; w < 4; w++) state.labels[label + w] = table[lp + w] ^ pads[pad + 4 * garblers + w] ^ macs[4 * g + w];
		}
		// Add M_j[r^k] from every other garbler k's row to garbler j's label.
		for (let gk = 0; gk < garblers; gk++) {
			const k = gk < me ? gk : gk + 1;
			const pad = (i * garblers + gk) * rowWords;
			const cipher = (q * 4 + row) * sent;
			const table = tables[gk];
			const evaluatorBlock = me < k ? me : me - 1;
			for (let gj = 0; gj < garblers; gj++) {
				if (gj === gk) continue;
				const j = gj < me ? gj : gj + 1;
				const block = (j < k ? j : j - 1) * 4;
				const at = cipher + sentOffset(block, evaluatorBlock);
				const label = outLabels + 4 * gj;
				for (let w = 0; w < 4; w++) state.labels[label + w] ^= table[at + w] ^ pads[pad + block + w];
			}
		}
		state.z[ands.out[q]] = z;
	}
}
