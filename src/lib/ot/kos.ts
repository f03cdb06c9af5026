import { asBytes, asWords, BLOCK_WORDS, doubleBlock } from '../crypto/block';
import { FixedMultiplier, gfMultiply } from '../crypto/gf128';
import { Prg } from '../crypto/prg';
import { transposeColumns } from './transpose';

/**
 * The correlated-OT batches of OT extension and their consistency check, from KOS15 (Keller,
 * Orsini, Scholl: "Actively Secure OT Extension with Optimal Overhead", CRYPTO 2015): the
 * sender holds s ∈ {0,1}^128 (its base-OT choices) and gets q_k, the receiver with choice bit
 * x_k gets t_k = q_k ⊕ x_k·s. Used unhashed these are authenticated bits (WRK17 F_aBit): key
 * q_k, MAC t_k, global key s. The column matrices come from SoftSpokenOT (softspoken.ts),
 * whose correlation is KOS's, and so is the check: SoftSpokenOT §4 proves it for its subspace
 * VOLE, with KOS as the case of one base OT per chunk.
 *
 * Each batch of m OTs extends to m' = m + 168 rounded up to a multiple of 128 rows, the extra
 * rows random and discarded, so that the consistency check reveals nothing about the choices.
 */

export const BASE_OTS = 128;
/** κ + σ extra rows for the consistency check (κ = 128, statistical σ = 40). */
const CHECK_ROWS = 128 + 40;

/** Rows of the extended matrix for `count` OTs. */
export function extendedRows(count: number): number {
	return Math.ceil((count + CHECK_ROWS) / 128) * 128;
}

/**
 * Where a batch puts its extended rows (t_k or q_k): row k at words[k·stride + offset …], so
 * that callers can have them written straight into their own layout (e.g. interleaved with
 * other rows). `words` must hold extendedRows(count) rows.
 */
export interface RowLayout {
	words: Uint32Array;
	stride: number;
	offset: number;
}

export const packedRows = (rows: number): RowLayout => ({ words: new Uint32Array(rows * BLOCK_WORDS), stride: BLOCK_WORDS, offset: 0 });

/**
 * The check's coefficients are the powers of one random χ (χ_k = χ^{m'−k}, a polynomial hash)
 * rather than m' independent elements: Σ_k χ_k·row_k is then Horner's rule with one fixed
 * multiplier. By Schwartz–Zippel, each bad event of the KOS analysis (a nonzero combination
 * vanishing) gains at most a factor m' < 2^32 in probability, which leaves it below 2^-96.
 */
class CheckHash {
	private readonly chi: FixedMultiplier;
	private readonly chi8: FixedMultiplier;
	/** bitTable[b] = Σ_{i<8} b_i·χ^{8−i}: eight rows of choice bits at once. */
	private readonly bitTable = new Uint32Array(256 * BLOCK_WORDS);

	constructor(seed: Uint32Array) {
		const powers = new Uint32Array(9 * BLOCK_WORDS);
		powers.set(new Prg(seed).blocks(1), BLOCK_WORDS);
		for (let i = 2; i <= 8; i++) gfMultiply(powers, (i - 1) * BLOCK_WORDS, powers, BLOCK_WORDS, powers, i * BLOCK_WORDS);
		this.chi = new FixedMultiplier(powers, BLOCK_WORDS);
		this.chi8 = new FixedMultiplier(powers, 8 * BLOCK_WORDS);
		for (let b = 1; b < 256; b++) {
			for (let i = 0; i < 8; i++) {
				if (!((b >>> i) & 1)) continue;
				for (let w = 0; w < BLOCK_WORDS; w++) this.bitTable[b * BLOCK_WORDS + w] ^= powers[(8 - i) * BLOCK_WORDS + w];
			}
		}
	}

	/** Σ_k χ^{rows−k}·row_k. */
	rows(rows: RowLayout, count: number): Uint32Array {
		const acc = new Uint32Array(BLOCK_WORDS);
		this.chi.horner(acc, rows.words, count, rows.stride, rows.offset);
		return acc;
	}

	/**
	 * Σ_k χ^{rows−k}·x_k for packed bits x (count a multiple of 8): the table entry of each byte
	 * of x, summed as Σ_j entry_j·χ^{8(bytes−1−j)} by one Horner pass with χ^8 over all entries
	 * but the last (a pass computes Σ block_j·h^{n−j}), and the last added as it is. One call
	 * into the kernel, not one per byte.
	 */
	bits(packed: Uint32Array, count: number): Uint32Array {
		const acc = new Uint32Array(BLOCK_WORDS);
		const bytes = count >>> 3;
		if (bytes === 0) return acc;
		const entries = new Uint32Array(bytes * BLOCK_WORDS);
		for (let j = 0, o = 0; j < bytes; j++, o += BLOCK_WORDS) {
			const entry = ((packed[j >>> 2] >>> ((j & 3) << 3)) & 255) * BLOCK_WORDS;
			for (let w = 0; w < BLOCK_WORDS; w++) entries[o + w] = this.bitTable[entry + w];
		}
		this.chi8.horner(acc, entries, bytes - 1);
		for (let w = 0; w < BLOCK_WORDS; w++) acc[w] ^= entries[(bytes - 1) * BLOCK_WORDS + w];
		return acc;
	}
}

export class KosReceiverBatch {
	constructor(
		readonly count: number,
		private readonly extended: number,
		private readonly choices: Uint32Array,
		t0: Uint32Array,
		/** The message for the sender (softspoken.ts). */
		readonly message: Uint8Array,
		/** t_k for every extended row k (MACs of the choices). */
		readonly layout: RowLayout
	) {
		transposeColumns(t0, extended, layout.words, layout.stride, layout.offset);
	}

	/** Answer to the challenge seed: x̃ = Σ χ_k·x_k (first 16 bytes), t̃ = Σ χ_k·t_k. */
	respond(chiSeed: Uint32Array): Uint8Array {
		const hash = new CheckHash(chiSeed);
		const out = new Uint32Array(2 * BLOCK_WORDS);
		out.set(hash.bits(this.choices, this.extended), 0);
		out.set(hash.rows(this.layout, this.extended), BLOCK_WORDS);
		return asBytes(out);
	}

	/** Only t̃ of the answer, for a receiver that sends the same x̃ to several senders. */
	respondRows(chiSeed: Uint32Array): Uint8Array {
		return asBytes(new CheckHash(chiSeed).rows(this.layout, this.extended));
	}

}

export class KosSenderBatch {
	constructor(
		readonly count: number,
		private readonly extended: number,
		q: Uint32Array,
		private readonly delta: Uint32Array,
		/** q_k for every extended row k (keys). */
		readonly layout: RowLayout
	) {
		transposeColumns(q, extended, layout.words, layout.stride, layout.offset);
	}

	/** Whether the receiver's response passes the check Σ χ_k·q_k = t̃ ⊕ x̃·s. */
	check(chiSeed: Uint32Array, response: Uint8Array): boolean {
		const r = asWords(response);
		const expected = new Uint32Array(BLOCK_WORDS);
		gfMultiply(r, 0, this.delta, 0, expected, 0);
		const actual = new CheckHash(chiSeed).rows(this.layout, this.extended);
		let diff = 0;
		for (let w = 0; w < BLOCK_WORDS; w++) diff |= actual[w] ^ expected[w] ^ r[BLOCK_WORDS + w];
		return diff === 0;
	}

}
