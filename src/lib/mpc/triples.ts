import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, packBits, unpackBits } from '../crypto/block';
import { COMMITMENT_BYTES } from '../crypto/commit';
import { tweakedHash } from '../crypto/hash';
import { Prg } from '../crypto/prg';
import { AuthBits } from './auth';
import { Opening } from './beaver';
import { COIN_OPENING_BYTES, CoinToss } from './coin';
import { Commitments } from './commitments';
import type { Echo } from './echo';
import { openingId } from './openings';
import type { RoundPart } from './rounds';
import { MpcAbortError } from './errors';
import { combine } from './abit';
import type { Session } from './session';

const TWEAK_DOMAIN = 0x646e616c; // 'land'

/**
 * H(v_k, T_k) for the MACs (or keys, ⊕ `offset` when given) that `bits` holds for `peer`,
 * with the tweakable circular-correlation-robust hash (crypto/hash tweakedHash) and
 * T_k = (index, from | to << 8, 'land', 0): bit 0 goes to Π_HaAND, the high 64 bits to the
 * check of Π_LaAND, so one hash serves as two independent ones. The receiver of U knows
 * K ⊕ x·Δ and learns H(K ⊕ Δ) ⊕ Φ, which must not reveal anything about Δ: with
 * π(x) ⊕ x the feed-forward Δ would cancel the Δ in Φ (WRK17 §3.2 models H as a random oracle).
 */
function hashWithTweaks(bits: AuthBits, peer: number, keys: boolean, firstIndex: number, from: number, to: number, offset: Uint32Array | null): Uint32Array {
	const out = blocksOf(bits, keys ? bits.keyAt(0, peer) : bits.macAt(0, peer), offset ?? ZERO_BLOCK);
	tweakedHash(out, 0, out, 0, bits.count, firstIndex, from | (to << 8), TWEAK_DOMAIN, 0);
	return out;
}

const ZERO_BLOCK = new Uint32Array(BLOCK_WORDS);

/**
 * The block at `first` of every bit of `bits` (a key or MAC), ⊕ `offset`. Loops that run once
 * per call live in functions of their own throughout: the JIT compiles a function while its
 * loop runs (on-stack replacement), before the code after the loop has ever run, and throws
 * that code away again (a deoptimisation, then a new compile) once it gets there.
 */
function blocksOf(bits: AuthBits, first: number, offset: Uint32Array): Uint32Array {
	const { count, words, stride } = bits;
	const out = new Uint32Array(count * BLOCK_WORDS);
	const [o0, o1, o2, o3] = offset;
	for (let k = 0, src = first, dst = 0; k < count; k++, src += stride, dst += BLOCK_WORDS) {
		out[dst] = words[src] ^ o0;
		out[dst + 1] = words[src + 1] ^ o1;
		out[dst + 2] = words[src + 2] ^ o2;
		out[dst + 3] = words[src + 3] ^ o3;
	}
	return out;
}

export interface Triples {
	a: AuthBits;
	b: AuthBits;
	c: AuthBits;
}

/** What one batch of triples needs from its run. */
export interface TripleContext {
	session: Session;
	delta: Uint32Array;
	/** Random subset sums of the Π_LaAND check: it misses wrong triples with probability 2^-rho. */
	rho: number;
	/** The batch's number: its commitments, coin and openings are its own. */
	batch: number;
	/** Numbers the leaky triples across the run, so that hash tweaks never repeat. */
	firstIndex: number;
	/** Where the batch's broadcasts are noted; its echo travels with the check's openings. */
	echo: Echo;
}

/**
 * Random authenticated AND triples without a trusted party (WRK17 §3.2–3.3): `count · B`
 * random authenticated bits x, y and r (one AuthBits each) become `count` triples: leaky
 * triples by Π_LaAND (with Π_HaAND inside), then Π_aAND: random buckets of B leaky triples
 * combined into one triple whose x no longer leaks. The rounds are parts (rounds.ts) that
 * share messages with other steps:
 * - coin: the commitment to the coin of the check and the buckets (early, any round before `open`);
 * - halfAnd: Π_HaAND's message;
 * - leaky: e (broadcast) and U;
 * - open: the coin;
 * - commitBuckets: the commitment to the check values, and the bucket openings;
 * - check: the check values, with every party's echo of the batch's broadcasts.
 * `triples` is valid once `check` is accepted.
 */
export class TripleRounds {
	triples: Triples | null = null;
	private readonly leaky: number;
	private readonly bucket: number;
	private readonly coin: CoinToss;
	private readonly checkValues: Commitments;
	private readonly keyHashes: Uint32Array[] = [];
	private readonly keyDeltaHashes: Uint32Array[] = [];
	private readonly macHashes: Uint32Array[] = [];
	private readonly v: Uint8Array;
	private readonly haand: Uint8Array[] = [];
	private readonly packed: number;
	private phi: Uint32Array = new Uint32Array(0);
	private u: Uint32Array[] = [];
	private packedE: Uint8Array = new Uint8Array(0);
	private z: Uint8Array = new Uint8Array(0);
	private h: Uint32Array = new Uint32Array(0);
	private order: Uint32Array = new Uint32Array(0);
	private subsets: Uint32Array = new Uint32Array(0);
	private sums: Uint32Array = new Uint32Array(0);
	private sumCommitment: { commitment: Uint8Array; randomness: Uint8Array } | null = null;
	private commitments: Uint8Array[] = [];
	private buckets: Opening | null = null;
	private opened: Uint8Array = new Uint8Array(0);

	constructor(
		private readonly context: TripleContext,
		private readonly x: AuthBits,
		private readonly y: AuthBits,
		private readonly r: AuthBits,
		readonly count: number
	) {
		const { session } = context;
		this.leaky = x.count;
		this.bucket = this.leaky / count;
		this.packed = (this.leaky + 7) >> 3;
		this.v = new Uint8Array(this.leaky);
		const purpose = `AND triples ${context.batch}`;
		this.coin = new CoinToss(session, purpose);
		this.checkValues = new Commitments(session, `${purpose} check values`);
	}

	/** The coin commitment, to ride along with any round before `open`. */
	coinCommitment(): RoundPart {
		const { session, echo } = this.context;
		return {
			message: () => this.coin.commitment,
			length: () => COMMITMENT_BYTES,
			accept: (received) => {
				received.forEach((c, p) => echo.note(p, p === session.me ? this.coin.commitment : c));
				this.coin.receive(received);
			}
		};
	}

	/** Π_HaAND: for each peer j and triple k, (lsb H(K_i[x^j]) ⊕ s, lsb H(K_i[x^j] ⊕ Δ) ⊕ s ⊕ y^i). */
	halfAnd(): RoundPart {
		const { session, delta, firstIndex } = this.context;
		const { me, peers } = session;
		const { leaky, x, v } = this;
		const prg = Prg.random();
		const yBits = this.y.bits;
		for (const j of peers) {
			const kh = (this.keyHashes[j] = hashWithTweaks(x, j, true, firstIndex, me, j, null));
			const kd = (this.keyDeltaHashes[j] = hashWithTweaks(x, j, true, firstIndex, me, j, delta));
			this.macHashes[j] = hashWithTweaks(x, j, false, firstIndex, j, me, null);
			this.haand[j] = halfAndMessage(kh, kd, prg.bits(leaky), yBits, v);
		}
		return {
			message: (j) => this.haand[j],
			length: () => 2 * this.packed,
			accept: (received) => {
				for (const j of peers) {
					const h0 = unpackBits(received[j].subarray(0, this.packed), leaky);
					const h1 = unpackBits(received[j].subarray(this.packed, 2 * this.packed), leaky);
					foldHalfAnd(v, x.bits, h0, h1, this.macHashes[j]);
				}
			}
		};
	}

	/**
	 * Π_LaAND: z^i = v^i ⊕ x^i·y^i, broadcast e^i = z^i ⊕ r^i; ⟨z⟩ = ⟨r⟩ ⊕ e.
	 * Φ^i = y^i·Δ_i ⊕ ⊕_j (K_i[y^j] ⊕ M_j[y^i]) is party i's share of y·(⊕_j Δ_j);
	 * U_ij = H(K_i[x^j]) ⊕ H(K_i[x^j] ⊕ Δ_i) ⊕ Φ^i lets j hold a share of x^j·Φ^i.
	 */
	leakyAnd(): RoundPart {
		const { session, delta, echo } = this.context;
		const { parties, me, peers } = session;
		const { leaky, x, y, r, v } = this;
		const z = (this.z = new Uint8Array(leaky));
		const e = leakyProducts(v, x.bits, y.bits, r.bits, z);
		// The check runs on the high 64 bits (words 2 and 3) of every block: soundness 2^-64 is
		// more than the statistical 2^-ρ the protocol needs, and U costs 8 bytes instead of 16.
		const phi = (this.phi = phiShares(y, delta, parties));
		for (const j of peers) this.u[j] = uMessage(this.keyHashes[j], this.keyDeltaHashes[j], phi);
		this.packedE = packBits(e);
		return {
			message: (j) => concatBytes(this.packedE, asBytes(this.u[j])),
			length: () => this.packed + leaky * 8,
			accept: (received) => {
				echo.note(me, this.packedE);
				// H^i = ⊕_j (M_j[z^i] ⊕ K_i[z^j] ⊕ H(K_i[x^j]) ⊕ H(M_j[x^i]) ⊕ x^i·U_ji) ⊕ x^i·Φ^i ⊕ z^i·Δ_i;
				// ⊕_i H^i = (x·y ⊕ z)·(⊕_i Δ_i) is zero iff the triple is correct. Stored as blocks
				// whose words 0 and 1 stay zero, for the subset sums.
				const zShares = r; // ⟨r⟩ is not needed any more: ⟨z⟩ is built in its place.
				zShares.bits.set(z);
				const h = (this.h = ownCheckShares(phi, x.bits, z, delta));
				for (const j of peers) {
					echo.note(j, received[j].subarray(0, this.packed));
					const ej = unpackBits(received[j].subarray(0, this.packed), leaky);
					const uj = asWords(received[j].subarray(this.packed));
					foldCheckShares(h, zShares, j, ej, uj, x.bits, this.keyHashes[j], this.macHashes[j], delta);
				}
			}
		};
	}

	/** The coin: it fixes the check's random subsets and the buckets, after e and U are fixed. */
	openCoin(): RoundPart {
		const { session, rho, echo } = this.context;
		const opening = this.coin.opening();
		return {
			message: () => opening,
			length: () => COIN_OPENING_BYTES,
			accept: (received) => {
				received.forEach((message, p) => echo.note(p, p === session.me ? opening : message));
				const seeded = new Prg(this.coin.result(received));
				const rowWords = Math.ceil(this.leaky / 32);
				this.subsets = seeded.blocks(Math.ceil((rho * rowWords) / 4));
				this.order = shuffled(this.leaky, seeded);
			}
		};
	}

	/**
	 * A commitment to ρ random subset sums of H^i (each must XOR to 0 over all parties), and
	 * Π_aAND's bucket openings d = y ⊕ y_first of every member but the first.
	 */
	commitAndBucket(): RoundPart {
		const { session, delta, rho, batch, echo } = this.context;
		const { me } = session;
		const { leaky, count, bucket, y, order } = this;
		const rowWords = Math.ceil(leaky / 32);
		this.sums = combine(this.h, leaky, this.subsets, rowWords, rho);
		const sumCommitment = (this.sumCommitment = this.checkValues.commit(asBytes(this.sums)));
		const d = bucketDifferences(y, order, count, bucket);
		const buckets = (this.buckets = new Opening(session, delta, [d], openingId('buckets', batch), 'AND triples (buckets)'));
		return {
			message: (j) => concatBytes(sumCommitment.commitment, buckets.message(j)),
			length: () => COMMITMENT_BYTES + buckets.bytes,
			accept: (received) => {
				this.commitments = received.map((m, p) => (p === me ? sumCommitment.commitment : m.subarray(0, COMMITMENT_BYTES)));
				this.commitments.forEach((c, p) => echo.note(p, c));
				this.checkValues.refuseCopies(
					this.commitments.map((c) => [c]),
					'leaky AND check'
				);
				[this.opened] = buckets.open(received.map((m) => m.subarray(COMMITMENT_BYTES)));
			}
		};
	}

	/** The check values and the echo of the batch's broadcasts; then the buckets are combined. */
	check(): RoundPart {
		const { session, rho, echo } = this.context;
		const { peers } = session;
		const opening = concatBytes(asBytes(this.sums), this.sumCommitment!.randomness);
		const mine = echo.take();
		const message = concatBytes(opening, mine);
		return {
			message: () => message,
			length: () => message.length,
			accept: (received) => {
				echo.verify(
					mine,
					received.map((m) => m.subarray(opening.length)),
					'AND triples (e bits, coins and commitments)'
				);
				const total = this.sums.slice();
				for (const j of peers) {
					const theirs = received[j].subarray(0, rho * BLOCK_BYTES);
					if (!this.checkValues.opens(j, this.commitments[j], received[j].subarray(rho * BLOCK_BYTES, opening.length), theirs)) {
						throw new MpcAbortError('commitment check', j, `commitment check failed on party ${j}'s leaky AND check values`);
					}
					const words = asWords(theirs);
					for (let i = 0; i < total.length; i++) total[i] ^= words[i];
				}
				if (total.some((w) => w !== 0)) {
					throw new MpcAbortError('leaky AND check', -1, 'leaky AND check failed: the AND triples are not consistent, some party cheated during preprocessing');
				}
				this.triples = combineBuckets(this.x, this.y, this.r, this.order, this.bucket, this.opened);
			}
		};
	}
}

/** Π_HaAND's message to one peer (its bits packed: h0, then h1); folds the mask s into v. */
function halfAndMessage(kh: Uint32Array, kd: Uint32Array, s: Uint8Array, yBits: Uint8Array, v: Uint8Array): Uint8Array {
	const leaky = s.length;
	const h0 = new Uint8Array(leaky);
	const h1 = new Uint8Array(leaky);
	for (let k = 0; k < leaky; k++) {
		const sk = s[k];
		h0[k] = (kh[4 * k] & 1) ^ sk;
		h1[k] = (kd[4 * k] & 1) ^ sk ^ yBits[k];
		v[k] ^= sk;
	}
	return concatBytes(packBits(h0), packBits(h1));
}

/** v ^= h_{x} ⊕ lsb H(M[x]) for one peer's Π_HaAND message (h0, h1). */
function foldHalfAnd(v: Uint8Array, xBits: Uint8Array, h0: Uint8Array, h1: Uint8Array, mh: Uint32Array): void {
	for (let k = 0; k < v.length; k++) v[k] ^= (xBits[k] ? h1[k] : h0[k]) ^ (mh[4 * k] & 1);
}

/** z = v ⊕ x·y into `z`; returns e = z ⊕ r. */
function leakyProducts(v: Uint8Array, xBits: Uint8Array, yBits: Uint8Array, rBits: Uint8Array, z: Uint8Array): Uint8Array {
	const e = new Uint8Array(z.length);
	for (let k = 0; k < z.length; k++) {
		z[k] = v[k] ^ (xBits[k] & yBits[k]);
		e[k] = z[k] ^ rBits[k];
	}
	return e;
}

/** Φ's high 64 bits (words 2 and 3) for every leaky triple: y·Δ ⊕ ⊕_j (K[y^j] ⊕ M_j[y]). */
function phiShares(y: AuthBits, delta: Uint32Array, parties: number): Uint32Array {
	const leaky = y.count;
	const phi = new Uint32Array(leaky * 2);
	for (let k = 0; k < leaky; k++) {
		const mask = -y.bits[k];
		let p2 = delta[2] & mask;
		let p3 = delta[3] & mask;
		for (let p = 0, o = k * y.stride; p < parties - 1; p++, o += 8) {
			p2 ^= y.words[o + 2] ^ y.words[o + 6];
			p3 ^= y.words[o + 3] ^ y.words[o + 7];
		}
		phi[2 * k] = p2;
		phi[2 * k + 1] = p3;
	}
	return phi;
}

/** U for one peer: H(K[x^j]) ⊕ H(K[x^j] ⊕ Δ) ⊕ Φ, high 64 bits. */
function uMessage(kh: Uint32Array, kd: Uint32Array, phi: Uint32Array): Uint32Array {
	const uj = new Uint32Array(phi.length);
	for (let k = 0; k < phi.length >>> 1; k++) {
		uj[2 * k] = kh[4 * k + 2] ^ kd[4 * k + 2] ^ phi[2 * k];
		uj[2 * k + 1] = kh[4 * k + 3] ^ kd[4 * k + 3] ^ phi[2 * k + 1];
	}
	return uj;
}

/** This party's part of H before the peers' terms: x·Φ ⊕ z·Δ, as blocks whose words 0 and 1 stay zero. */
function ownCheckShares(phi: Uint32Array, xBits: Uint8Array, z: Uint8Array, delta: Uint32Array): Uint32Array {
	const leaky = z.length;
	const h = new Uint32Array(leaky * BLOCK_WORDS);
	for (let k = 0; k < leaky; k++) {
		const xm = -xBits[k];
		const zm = -z[k];
		h[4 * k + 2] = (phi[2 * k] & xm) ^ (delta[2] & zm);
		h[4 * k + 3] = (phi[2 * k + 1] & xm) ^ (delta[3] & zm);
	}
	return h;
}

/** Peer j's terms of H: M_j[z] (after z's shares take e^j), K[z^j], H(K[x^j]), H(M_j[x]) and x·U_j. */
function foldCheckShares(h: Uint32Array, zShares: AuthBits, j: number, ej: Uint8Array, uj: Uint32Array, xBits: Uint8Array, kh: Uint32Array, mh: Uint32Array, delta: Uint32Array): void {
	const words = zShares.words;
	for (let k = 0, mac = zShares.macAt(0, j); k < ej.length; k++, mac += zShares.stride) {
		if (ej[k]) zShares.xorOne(k, j, delta);
		const xm = -xBits[k];
		h[4 * k + 2] ^= words[mac + 2] ^ words[mac + 6] ^ kh[4 * k + 2] ^ mh[4 * k + 2] ^ (uj[2 * k] & xm);
		h[4 * k + 3] ^= words[mac + 3] ^ words[mac + 7] ^ kh[4 * k + 3] ^ mh[4 * k + 3] ^ (uj[2 * k + 1] & xm);
	}
}

/** Π_aAND's bucket openings: y ⊕ y_first for every member of a bucket but the first. */
function bucketDifferences(y: AuthBits, order: Uint32Array, count: number, bucket: number): AuthBits {
	const d = new AuthBits(y.parties, y.me, count * (bucket - 1));
	for (let i = 0; i < count; i++) {
		const first = order[i * bucket];
		for (let m = 1; m < bucket; m++) d.setXor(i * (bucket - 1) + m - 1, y, first, y, order[i * bucket + m]);
	}
	return d;
}

/** 0 … n − 1 in a random order (Fisher–Yates). */
function shuffled(n: number, prg: Prg): Uint32Array {
	const order = new Uint32Array(n);
	for (let k = 0; k < n; k++) order[k] = k;
	for (let k = n - 1; k > 0; k--) {
		const swap = prg.below(k + 1);
		const t = order[k];
		order[k] = order[swap];
		order[swap] = t;
	}
	return order;
}

/**
 * One triple per bucket of `order`: a = ⊕ x, b = y of the bucket's first triple,
 * c = ⊕ (z ⊕ d·x) with d the opened y ⊕ y_first of each other member (d = 0 for the first).
 */
function combineBuckets(x: AuthBits, y: AuthBits, z: AuthBits, order: Uint32Array, bucket: number, opened: Uint8Array): Triples {
	const count = order.length / bucket;
	const a = new AuthBits(x.parties, x.me, count);
	const b = new AuthBits(x.parties, x.me, count);
	const c = new AuthBits(x.parties, x.me, count);
	const s = x.stride;
	const [xw, zw, aw, cw] = [x.words, z.words, a.words, c.words];
	for (let i = 0; i < count; i++) {
		const first = order[i * bucket];
		b.copyFrom(i, y, first);
		let aBit = x.bits[first];
		let cBit = z.bits[first];
		const dst = i * s;
		for (let w = 0, src = first * s; w < s; w++) {
			aw[dst + w] = xw[src + w];
			cw[dst + w] = zw[src + w];
		}
		for (let m = 1; m < bucket; m++) {
			const other = order[i * bucket + m];
			const dm = -opened[i * (bucket - 1) + m - 1];
			aBit ^= x.bits[other];
			cBit ^= z.bits[other] ^ (x.bits[other] & dm);
			for (let w = 0, src = other * s; w < s; w++) {
				const xv = xw[src + w];
				aw[dst + w] ^= xv;
				cw[dst + w] ^= zw[src + w] ^ (xv & dm);
			}
		}
		a.bits[i] = aBit;
		c.bits[i] = cBit;
	}
	return { a, b, c };
}
