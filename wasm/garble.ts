// Garbled AND gates of WRK17 (Fig. 2, step 4 and "Circuit evaluation") as src/lib/mpc/garble.ts
// defines them, on chunks of a segment's AND gates staged in a run's memory (the chunk area,
// laid out by src/lib/mpc/garble-chunk.ts and set by chunkLayout). The fixed-key AES between
// the two halves stays with the caller (OpenSSL in the CLI): the hash inputs K go out, π(K)
// comes back in `pads`, and the feed-forward H = π(K) ⊕ K is taken here.

import { evalLabels, evalStride, z } from './walk';

const TWEAK_DOMAIN: u32 = 0x67617262; // 'garb'

let parties: usize = 0;
let me: u32 = 0;
/** The evaluator's block among the n − 1 blocks of a garbler's row (which has no block of its own). */
let evaluatorBlock: usize = 0;
/** Bytes of an AuthBits entry's MACs and keys: 32 per peer. */
let stride: usize = 0;
let capacity: usize = 0;
let delta: usize = 0;
let gateIds: usize = 0;
let inA: usize = 0;
let inB: usize = 0;
let outSlots: usize = 0;
let r0Bits: usize = 0;
let r0Words: usize = 0;
let alphaBits: usize = 0;
let alphaWords: usize = 0;
let betaBits: usize = 0;
let betaWords: usize = 0;
let labelAlpha: usize = 0;
let labelBeta: usize = 0;
let labelGamma: usize = 0;
let keys: usize = 0;
let pads: usize = 0;
let tables: usize = 0;
let rows: usize = 0;
let parts: usize = 0;

/** Sets the chunk area's addresses (bytes) for a run of `n` parties as party `meParty`. */
export function chunkLayout(
	n: u32,
	meParty: u32,
	evaluatorParty: u32,
	capacityAnds: u32,
	deltaAt: usize,
	gateIdsAt: usize,
	r0BitsAt: usize,
	r0WordsAt: usize,
	alphaBitsAt: usize,
	alphaWordsAt: usize,
	betaBitsAt: usize,
	betaWordsAt: usize,
	labelAlphaAt: usize,
	keysAt: usize,
	padsAt: usize,
	tablesAt: usize,
	rowsAt: usize,
	partsAt: usize
): void {
	parties = <usize>n;
	me = meParty;
	evaluatorBlock = <usize>(evaluatorParty < meParty ? evaluatorParty : evaluatorParty - 1);
	stride = 32 * (parties - 1);
	capacity = <usize>capacityAnds;
	delta = deltaAt;
	gateIds = gateIdsAt;
	inA = gateIdsAt + 4 * capacity;
	inB = gateIdsAt + 8 * capacity;
	outSlots = gateIdsAt + 12 * capacity;
	r0Bits = r0BitsAt;
	r0Words = r0WordsAt;
	alphaBits = alphaBitsAt;
	alphaWords = alphaWordsAt;
	betaBits = betaBitsAt;
	betaWords = betaWordsAt;
	labelAlpha = labelAlphaAt;
	labelBeta = labelAlphaAt + 16 * capacity;
	labelGamma = labelAlphaAt + 32 * capacity;
	keys = keysAt;
	pads = padsAt;
	tables = tablesAt;
	rows = rowsAt;
	parts = partsAt;
}

/** x · X in GF(2^128) modulo X^128 + X^7 + X^2 + X + 1 (bit i of the little-endian integer is X^i). */
@inline
function double(x: v128): v128 {
	const lo = i64x2.extract_lane(x, 0);
	const hi = i64x2.extract_lane(x, 1);
	return i64x2.replace_lane(i64x2.splat((lo << 1) ^ ((hi >>> 63) * 0x87)), 1, (hi << 1) | (lo >>> 63));
}

/** All ones where `bit` is 1, zeros where 0. */
@inline
export function maskOf(bit: u8): v128 {
	return i32x4.splat(-(<i32>bit));
}

/**
 * The n hash inputs of one row from `o` on: k with the row and block s (row | s << 8) in its
 * second word; returns the address after them.
 */
@inline
function storeRowBlocks(o: usize, k: v128, row: u32): usize {
	for (let s: u32 = 0; s < <u32>parties; s++, o += 16) v128.store(o, v128.xor(k, i32x4.replace_lane(i32x4.splat(0), 1, row | (s << 8))));
	return o;
}

/** Bytes of a garbled row as sent: n blocks, the evaluator's MAC cut to 8 bytes. */
@inline
function sentRowBytes(): usize {
	return 16 * parties - 8;
}

/**
 * A garbler's hash inputs K = 2·L_α,a ⊕ 4·L_β,b ⊕ T(γ, ab, s, me) for every row ab and block s of
 * the chunk's first `count` AND gates, into `keys`, gate after gate, row after row.
 */
export function garblerHashInputs(count: u32): void {
	const d = v128.load(delta);
	const d2 = double(d);
	const d4 = double(d2);
	let o = keys;
	for (let q: usize = 0; q < <usize>count; q++) {
		const x = double(v128.load(labelAlpha + 16 * q));
		const y = double(double(v128.load(labelBeta + 16 * q)));
		const tweak = i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(load<u32>(gateIds + 4 * q)), 1, 0), 2, TWEAK_DOMAIN);
		const base = v128.xor(v128.xor(x, y), i32x4.replace_lane(tweak, 3, me));
		for (let row: u32 = 0; row < 4; row++) {
			let k = base;
			if (row & 2) k = v128.xor(k, d2);
			if (row & 1) k = v128.xor(k, d4);
			o = storeRowBlocks(o, k, row);
		}
	}
}

/**
 * One of P0, PA, PB of AND gate q into `out`: the MACs of the share for every other party, then
 * W = ⊕_k K_j[x^k] ⊕ x^j·Δ (⊕ the output 0-label when `label` is not 0).
 */
@inline
function rowPart(bits: usize, words: usize, q: usize, label: usize, out: usize): void {
	let w = v128.and(v128.load(delta), maskOf(load<u8>(bits + q)));
	if (label != 0) w = v128.xor(w, v128.load(label + 16 * q));
	const peers = parties - 1;
	for (let p: usize = 0, m = words + q * stride; p < peers; p++, m += 32) {
		v128.store(out + 16 * p, v128.load(m));
		w = v128.xor(w, v128.load(m, 16));
	}
	v128.store(out + 16 * peers, w);
}

/**
 * The garbled rows of the chunk's first `count` AND gates into `tables`, with the pads
 * H = π(K) ⊕ K (π(K) in `pads`, K in `keys`): P_ab = P0 ⊕ b·PA ⊕ a·PB ⊕ a·b·(0, …, 0, Δ); the
 * evaluator's MAC goes out cut to its first 8 bytes, the blocks after it 8 bytes earlier.
 */
export function encryptRows(count: u32): void {
	const rowBytes = 16 * parties;
	const sent = sentRowBytes();
	const peers = parties - 1;
	const p0 = parts;
	const pa = parts + rowBytes;
	const pb = parts + 2 * rowBytes;
	const d = v128.load(delta);
	for (let q: usize = 0; q < <usize>count; q++) {
		rowPart(r0Bits, r0Words, q, labelGamma, p0);
		rowPart(alphaBits, alphaWords, q, 0, pa);
		rowPart(betaBits, betaWords, q, 0, pb);
		const o = q * 4 * rowBytes;
		const t = tables + q * 4 * sent;
		for (let s: usize = 0; s < parties; s++) {
			const v0 = v128.load(p0 + 16 * s);
			const va = v128.xor(v0, v128.load(pa + 16 * s));
			const vb = v128.xor(v0, v128.load(pb + 16 * s));
			const vab = v128.xor(va, v128.load(pb + 16 * s));
			const at = o + 16 * s;
			const r0 = v128.xor(v0, v128.xor(v128.load(pads + at), v128.load(keys + at)));
			const r1 = v128.xor(va, v128.xor(v128.load(pads + at + rowBytes), v128.load(keys + at + rowBytes)));
			const r2 = v128.xor(vb, v128.xor(v128.load(pads + at + 2 * rowBytes), v128.load(keys + at + 2 * rowBytes)));
			let r3 = v128.xor(vab, v128.xor(v128.load(pads + at + 3 * rowBytes), v128.load(keys + at + 3 * rowBytes)));
			if (s == peers) r3 = v128.xor(r3, d);
			if (s == evaluatorBlock) {
				store<u64>(t + 16 * s, i64x2.extract_lane(r0, 0));
				store<u64>(t + sent + 16 * s, i64x2.extract_lane(r1, 0));
				store<u64>(t + 2 * sent + 16 * s, i64x2.extract_lane(r2, 0));
				store<u64>(t + 3 * sent + 16 * s, i64x2.extract_lane(r3, 0));
			} else {
				const to = t + (s < evaluatorBlock ? 16 * s : 16 * s - 8);
				v128.store(to, r0);
				v128.store(to + sent, r1);
				v128.store(to + 2 * sent, r2);
				v128.store(to + 3 * sent, r3);
			}
		}
	}
}

/** The evaluator's garbler index g as a party. */
@inline
function garblerParty(g: usize): u32 {
	return <u32>g < me ? <u32>g : <u32>g + 1;
}

/**
 * The evaluator's hash inputs for row (z_α, z_β) of every garbler's table of the chunk's first
 * `count` AND gates, into `keys` (gate after gate, garbler after garbler, n blocks each); the
 * rows into `rows`.
 */
export function evaluatorHashInputs(count: u32): void {
	const garblers = parties - 1;
	let o = keys;
	for (let i: usize = 0; i < <usize>count; i++) {
		const sa = <usize>load<u32>(inA + 4 * i);
		const sb = <usize>load<u32>(inB + 4 * i);
		const row = (<u32>load<u8>(z + sa) << 1) | <u32>load<u8>(z + sb);
		store<u8>(rows + i, <u8>row);
		const gate = load<u32>(gateIds + 4 * i);
		for (let g: usize = 0; g < garblers; g++) {
			const x = double(v128.load(evalLabels + sa * evalStride + 16 * g));
			const y = double(double(v128.load(evalLabels + sb * evalStride + 16 * g)));
			const tweak = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(gate), 1, 0), 2, TWEAK_DOMAIN), 3, garblerParty(g));
			const base = v128.xor(v128.xor(x, y), tweak);
			o = storeRowBlocks(o, base, row);
		}
	}
}

/**
 * Opens the selected rows of the chunk's first `count` AND gates (π(K) in `pads`, K in `keys`):
 * checks every garbler's share against its MAC and the evaluator's key, sets z_γ and the output
 * labels L^j_γ = (label part of j) ⊕ M_j[r^e] ⊕ ⊕_{k≠j} M_j[r^k]. Returns 0, or 1 + i·garblers + g
 * for the first gate i whose garbler g's share does not verify (nothing after it is opened).
 */
export function openRows(count: u32): u32 {
	const garblers = parties - 1;
	const rowBytes = 16 * parties;
	const sent = sentRowBytes();
	const tableBytes = capacity * 4 * sent;
	const macs = parts;
	const ownKeys = parts + 16 * garblers;
	const delta0 = load<u64>(delta);
	for (let i: usize = 0; i < <usize>count; i++) {
		const row = <usize>load<u8>(rows + i);
		const a = <u8>(row >> 1);
		const b = <u8>(row & 1);
		// The evaluator's own share of r_ab (with the constant a·b), its MACs and keys.
		let share = load<u8>(r0Bits + i) ^ (b & load<u8>(alphaBits + i)) ^ (a & load<u8>(betaBits + i)) ^ (a & b);
		const ma = maskOf(b);
		const mb = maskOf(a);
		for (let g: usize = 0, m = i * stride; g < garblers; g++, m += 32) {
			for (let half: usize = 0; half < 32; half += 16) {
				const v = v128.xor(v128.load(r0Words + m + half), v128.xor(v128.and(v128.load(alphaWords + m + half), ma), v128.and(v128.load(betaWords + m + half), mb)));
				v128.store((half == 0 ? macs : ownKeys) + 16 * g, v);
			}
		}
		const outLabels = evalLabels + <usize>load<u32>(outSlots + 4 * i) * evalStride;
		for (let g: usize = 0; g < garblers; g++) {
			const garbler = garblerParty(g);
			const pad = (i * garblers + g) * rowBytes;
			const cipher = tables + g * tableBytes + (i * 4 + row) * sent;
			const mine = 16 * <usize>(me < garbler ? me : me - 1);
			const d = load<u64>(cipher + mine) ^ load<u64>(pads + pad + mine) ^ load<u64>(keys + pad + mine) ^ load<u64>(ownKeys + 16 * g);
			if (d != 0) {
				if (d != delta0) return <u32>(1 + i * garblers + g);
				share ^= 1;
			}
			const lp = cipher + 16 * garblers - 8;
			const h = v128.xor(v128.load(pads + pad + 16 * garblers), v128.load(keys + pad + 16 * garblers));
			v128.store(outLabels + 16 * g, v128.xor(v128.xor(v128.load(lp), h), v128.load(macs + 16 * g)));
		}
		// Add M_j[r^k] from every other garbler k's row to garbler j's label.
		for (let gk: usize = 0; gk < garblers; gk++) {
			const k = garblerParty(gk);
			const pad = (i * garblers + gk) * rowBytes;
			const cipher = tables + gk * tableBytes + (i * 4 + row) * sent;
			const evaluatorAt = <usize>(me < k ? me : me - 1);
			for (let gj: usize = 0; gj < garblers; gj++) {
				if (gj == gk) continue;
				const j = garblerParty(gj);
				const block = <usize>(j < k ? j : j - 1);
				const at = cipher + (block < evaluatorAt ? 16 * block : 16 * block - 8);
				const h = v128.xor(v128.load(pads + pad + 16 * block), v128.load(keys + pad + 16 * block));
				const label = outLabels + 16 * gj;
				v128.store(label, v128.xor(v128.load(label), v128.xor(v128.load(at), h)));
			}
		}
		store<u8>(z + <usize>load<u32>(outSlots + 4 * i), share);
	}
	return 0;
}
