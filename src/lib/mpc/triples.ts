import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, packBits, unpackBits } from '../crypto/block';
import { COMMITMENT_BYTES } from '../crypto/commit';
import { tweakedHash } from '../crypto/hash';
import { Prg } from '../crypto/prg';
import { AuthBits } from './auth';
import { openBits } from './beaver';
import { COIN_OPENING_BYTES, CoinToss } from './coin';
import { Commitments } from './commitments';
import { MpcAbortError } from './errors';
import { combine } from './abit';
import type { Session } from './session';

/**
 * Random authenticated AND triples without a trusted party (WRK17 §3.2–3.3):
 * leaky triples by Π_LaAND (with Π_HaAND inside), then Π_aAND: random buckets of B leaky
 * triples combined into one triple whose x no longer leaks.
 */

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
	const count = bits.count;
	const out = new Uint32Array(count * BLOCK_WORDS);
	const words = bits.words;
	const [o0, o1, o2, o3] = offset ?? [0, 0, 0, 0];
	for (let k = 0, src = keys ? bits.keyAt(0, peer) : bits.macAt(0, peer), dst = 0; k < count; k++, src += bits.stride, dst += BLOCK_WORDS) {
		out[dst] = words[src] ^ o0;
		out[dst + 1] = words[src + 1] ^ o1;
		out[dst + 2] = words[src + 2] ^ o2;
		out[dst + 3] = words[src + 3] ^ o3;
	}
	tweakedHash(out, 0, out, 0, count, firstIndex, from | (to << 8), TWEAK_DOMAIN, 0);
	return out;
}

export interface Triples {
	a: AuthBits;
	b: AuthBits;
	c: AuthBits;
}

/**
 * Turns `count · B` random authenticated bits x, y and r (one AuthBits each) into `count`
 * authenticated triples. `firstIndex` numbers the leaky triples across the session so that
 * hash tweaks never repeat; the Π_LaAND check takes `rho` random subset sums.
 */
export async function makeTriples(session: Session, delta: Uint32Array, x: AuthBits, y: AuthBits, r: AuthBits, count: number, firstIndex: number, rho: number): Promise<Triples> {
	const { parties, me, peers } = session;
	const leaky = x.count;
	const bucket = leaky / count;
	const what = 'AND triples';

	// Π_HaAND, round 1: for each peer j and triple k, (lsb H(K_i[x^j]) ⊕ s, lsb H(K_i[x^j] ⊕ Δ) ⊕ s ⊕ y^i).
	const purpose = session.purpose('AND triples');
	const coin = new CoinToss(session, purpose);
	const keyHashes: Uint32Array[] = [];
	const keyDeltaHashes: Uint32Array[] = [];
	const macHashes: Uint32Array[] = [];
	const v = new Uint8Array(leaky);
	const haand: Uint8Array[] = [];
	const prg = Prg.random();
	const yBits = y.bits;
	for (const j of peers) {
		const kh = (keyHashes[j] = hashWithTweaks(x, j, true, firstIndex, me, j, null));
		const kd = (keyDeltaHashes[j] = hashWithTweaks(x, j, true, firstIndex, me, j, delta));
		macHashes[j] = hashWithTweaks(x, j, false, firstIndex, j, me, null);
		const s = prg.bits(leaky);
		const h0 = new Uint8Array(leaky);
		const h1 = new Uint8Array(leaky);
		for (let k = 0; k < leaky; k++) {
			const sk = s[k];
			h0[k] = (kh[4 * k] & 1) ^ sk;
			h1[k] = (kd[4 * k] & 1) ^ sk ^ yBits[k];
			v[k] ^= sk;
		}
		haand[j] = concatBytes(packBits(h0), packBits(h1));
	}
	const packed = (leaky + 7) >> 3;
	const round1 = await session.exchange((j) => concatBytes(haand[j], coin.commitment), () => 2 * packed + COMMITMENT_BYTES, `${what} (half AND)`);
	const coinCommitments: Uint8Array[] = [];
	for (const j of peers) {
		const h0 = unpackBits(round1[j].subarray(0, packed), leaky);
		const h1 = unpackBits(round1[j].subarray(packed, 2 * packed), leaky);
		const mh = macHashes[j];
		const xBits = x.bits;
		for (let k = 0; k < leaky; k++) v[k] ^= (xBits[k] ? h1[k] : h0[k]) ^ (mh[4 * k] & 1);
		coinCommitments[j] = round1[j].subarray(2 * packed);
		session.noteBroadcast(j, coinCommitments[j]);
	}
	session.noteBroadcast(me, coin.commitment);
	coin.receive(coinCommitments);

	// Π_LaAND: z^i = v^i ⊕ x^i·y^i, broadcast e^i = z^i ⊕ r^i; ⟨z⟩ = ⟨r⟩ ⊕ e.
	// Φ^i = y^i·Δ_i ⊕ ⊕_j (K_i[y^j] ⊕ M_j[y^i]) is party i's share of y·(⊕_j Δ_j);
	// U_ij = H(K_i[x^j]) ⊕ H(K_i[x^j] ⊕ Δ_i) ⊕ Φ^i lets j hold a share of x^j·Φ^i.
	const z = new Uint8Array(leaky);
	const e = new Uint8Array(leaky);
	for (let k = 0; k < leaky; k++) {
		z[k] = v[k] ^ (x.bits[k] & y.bits[k]);
		e[k] = z[k] ^ r.bits[k];
	}
	// The check runs on the high 64 bits (words 2 and 3) of every block: soundness 2^-64 is
	// more than the statistical 2^-ρ the protocol needs, and U costs 8 bytes instead of 16.
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
	const u: Uint32Array[] = [];
	for (const j of peers) {
		const uj = new Uint32Array(leaky * 2);
		const kh = keyHashes[j];
		const kd = keyDeltaHashes[j];
		for (let k = 0; k < leaky; k++) {
			uj[2 * k] = kh[4 * k + 2] ^ kd[4 * k + 2] ^ phi[2 * k];
			uj[2 * k + 1] = kh[4 * k + 3] ^ kd[4 * k + 3] ^ phi[2 * k + 1];
		}
		u[j] = uj;
	}
	const packedE = packBits(e);
	const round2 = await session.exchange((j) => concatBytes(packedE, asBytes(u[j])), () => packed + leaky * 8, `${what} (leaky AND)`);
	session.noteBroadcast(me, packedE);

	// H^i = ⊕_j (M_j[z^i] ⊕ K_i[z^j] ⊕ H(K_i[x^j]) ⊕ H(M_j[x^i]) ⊕ x^i·U_ji) ⊕ x^i·Φ^i ⊕ z^i·Δ_i;
	// ⊕_i H^i = (x·y ⊕ z)·(⊕_i Δ_i) is zero iff the triple is correct. Stored as blocks whose
	// words 0 and 1 stay zero, for the subset sums below.
	const zShares = r; // ⟨r⟩ is not needed any more: ⟨z⟩ is built in its place.
	zShares.bits.set(z);
	const h = new Uint32Array(leaky * BLOCK_WORDS);
	for (let k = 0; k < leaky; k++) {
		const xm = -x.bits[k];
		const zm = -z[k];
		h[4 * k + 2] = (phi[2 * k] & xm) ^ (delta[2] & zm);
		h[4 * k + 3] = (phi[2 * k + 1] & xm) ^ (delta[3] & zm);
	}
	for (const j of peers) {
		session.noteBroadcast(j, round2[j].subarray(0, packed));
		const ej = unpackBits(round2[j].subarray(0, packed), leaky);
		const uj = asWords(round2[j].subarray(packed));
		const kh = keyHashes[j];
		const mh = macHashes[j];
		const words = zShares.words;
		for (let k = 0, mac = zShares.macAt(0, j); k < leaky; k++, mac += zShares.stride) {
			if (ej[k]) zShares.xorOne(k, j, delta);
			const xm = -x.bits[k];
			h[4 * k + 2] ^= words[mac + 2] ^ words[mac + 6] ^ kh[4 * k + 2] ^ mh[4 * k + 2] ^ (uj[2 * k] & xm);
			h[4 * k + 3] ^= words[mac + 3] ^ words[mac + 7] ^ kh[4 * k + 3] ^ mh[4 * k + 3] ^ (uj[2 * k + 1] & xm);
		}
	}

	// Round 3: open the coin; it fixes the check's random subsets and the buckets.
	const round3 = await session.broadcast(coin.opening(), () => COIN_OPENING_BYTES, `${what} (coin)`);
	const seed = coin.result(round3);
	const seeded = new Prg(seed);
	const rowWords = Math.ceil(leaky / 32);
	const subsets = seeded.blocks(Math.ceil((rho * rowWords) / 4));

	// Rounds 4 and 5: commit to, then open, ρ random subset sums of H^i; each must XOR to 0.
	const sums = combine(h, leaky, subsets, rowWords, rho);
	const checkValues = new Commitments(session, `${purpose} check values`);
	const sumCommitment = checkValues.commit(asBytes(sums));
	const commitments = await session.broadcast(sumCommitment.commitment, () => COMMITMENT_BYTES, `${what} (check commitments)`);
	checkValues.refuseCopies(commitments.map((c) => [c]), 'leaky AND check');
	const opening = concatBytes(asBytes(sums), sumCommitment.randomness);
	const openings = await session.broadcast(opening, () => opening.length, `${what} (check)`);
	const total = sums.slice();
	for (const j of peers) {
		const theirs = openings[j].subarray(0, rho * BLOCK_BYTES);
		if (!checkValues.opens(j, commitments[j], openings[j].subarray(rho * BLOCK_BYTES), theirs)) {
			throw new MpcAbortError('commitment check', j, `commitment check failed on party ${j}'s leaky AND check values`);
		}
		const words = asWords(theirs);
		for (let i = 0; i < total.length; i++) total[i] ^= words[i];
	}
	if (total.some((w) => w !== 0)) {
		throw new MpcAbortError('leaky AND check', -1, 'leaky AND check failed: the AND triples are not consistent, some party cheated during preprocessing');
	}

	// Π_aAND: random buckets; (x, y, z) ← (x ⊕ x', y, z ⊕ z' ⊕ d·x') with d = y ⊕ y' opened.
	const order = shuffled(leaky, seeded);
	const d = new AuthBits(parties, me, count * (bucket - 1));
	for (let i = 0; i < count; i++) {
		const first = order[i * bucket];
		for (let m = 1; m < bucket; m++) d.setXor(i * (bucket - 1) + m - 1, y, first, y, order[i * bucket + m]);
	}
	const [opened] = await openBits(session, delta, [d], `${what} (buckets)`);
	return combineBuckets(x, y, zShares, order, bucket, opened);
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
