import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, packBits, unpackBits } from '../crypto/block';
import { COMMITMENT_BYTES, commit, verifyCommitment } from '../crypto/commit';
import { hashBlocks } from '../crypto/hash';
import { Prg } from '../crypto/prg';
import { AuthBits, sliceAuthBits } from './auth';
import { openBits } from './beaver';
import { COIN_OPENING_BYTES, CoinToss } from './coin';
import { MpcAbortError } from './errors';
import { RHO, combine } from './abit';
import type { Session } from './session';

/**
 * Random authenticated AND triples without a trusted party (WRK17 §3.2–3.3):
 * leaky triples by Π_LaAND (with Π_HaAND inside), then Π_aAND: random buckets of B leaky
 * triples combined into one triple whose x no longer leaks.
 */

/**
 * Bucket size B for ℓ triples per batch and statistical security 2^-40 (WRK17a, Table 4, as
 * Polytune uses it): the adversary must corrupt every triple of some bucket.
 */
export function bucketSize(triples: number): number {
	if (triples >= 280_000) return 3;
	if (triples >= 3_100) return 4;
	return 5;
}

const TWEAK_DOMAIN = 0x646e616c; // 'land'
const CLEAR_LOW_BIT = 0xfffffffe;

/**
 * H(v ⊕ T) for the blocks v_k (T = (index, from | to << 8, 'land', 0)): bit 0 goes to
 * Π_HaAND, bits 1…127 to the check of Π_LaAND, so one hash serves both as two independent ones.
 */
function hashWithTweaks(values: Uint32Array, count: number, firstIndex: number, from: number, to: number, offset: Uint32Array | null): Uint32Array {
	const input = values.slice(0, count * BLOCK_WORDS);
	for (let k = 0; k < count; k++) {
		const o = k * BLOCK_WORDS;
		input[o] ^= firstIndex + k;
		input[o + 1] ^= from | (to << 8);
		input[o + 2] ^= TWEAK_DOMAIN;
		if (offset) for (let w = 0; w < BLOCK_WORDS; w++) input[o + w] ^= offset[w];
	}
	const out = new Uint32Array(count * BLOCK_WORDS);
	hashBlocks(input, 0, out, 0, count);
	return out;
}

/** Gathers the MACs (or keys) of `bits` for one peer into consecutive blocks. */
function peerBlocks(bits: AuthBits, peer: number, keys: boolean): Uint32Array {
	const out = new Uint32Array(bits.count * BLOCK_WORDS);
	for (let k = 0; k < bits.count; k++) {
		const o = keys ? bits.keyAt(k, peer) : bits.macAt(k, peer);
		for (let w = 0; w < BLOCK_WORDS; w++) out[k * BLOCK_WORDS + w] = bits.words[o + w];
	}
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
 * hash tweaks never repeat.
 */
export async function makeTriples(session: Session, delta: Uint32Array, x: AuthBits, y: AuthBits, r: AuthBits, count: number, firstIndex: number): Promise<Triples> {
	const { parties, me, peers } = session;
	const leaky = x.count;
	const bucket = leaky / count;
	const what = 'AND triples';

	// Π_HaAND, round 1: for each peer j and triple k, (lsb H(K_i[x^j]) ⊕ s, lsb H(K_i[x^j] ⊕ Δ) ⊕ s ⊕ y^i).
	const coin = new CoinToss();
	const keyHashes: Uint32Array[] = [];
	const keyDeltaHashes: Uint32Array[] = [];
	const macHashes: Uint32Array[] = [];
	const v = new Uint8Array(leaky);
	const haand: Uint8Array[] = [];
	const prg = Prg.random();
	for (const j of peers) {
		const keys = peerBlocks(x, j, true);
		keyHashes[j] = hashWithTweaks(keys, leaky, firstIndex, me, j, null);
		keyDeltaHashes[j] = hashWithTweaks(keys, leaky, firstIndex, me, j, delta);
		macHashes[j] = hashWithTweaks(peerBlocks(x, j, false), leaky, firstIndex, j, me, null);
		const s = prg.bits(leaky);
		const h0 = new Uint8Array(leaky);
		const h1 = new Uint8Array(leaky);
		for (let k = 0; k < leaky; k++) {
			h0[k] = (keyHashes[j][k * BLOCK_WORDS] & 1) ^ s[k];
			h1[k] = (keyDeltaHashes[j][k * BLOCK_WORDS] & 1) ^ s[k] ^ y.bits[k];
			v[k] ^= s[k];
		}
		haand[j] = concatBytes(packBits(h0), packBits(h1));
	}
	const packed = (leaky + 7) >> 3;
	const round1 = await session.exchange((j) => concatBytes(haand[j], coin.commitment), () => 2 * packed + COMMITMENT_BYTES, `${what} (half AND)`);
	const coinCommitments: Uint8Array[] = [];
	for (const j of peers) {
		const h0 = unpackBits(round1[j].subarray(0, packed), leaky);
		const h1 = unpackBits(round1[j].subarray(packed, 2 * packed), leaky);
		for (let k = 0; k < leaky; k++) v[k] ^= (x.bits[k] ? h1[k] : h0[k]) ^ (macHashes[j][k * BLOCK_WORDS] & 1);
		coinCommitments[j] = round1[j].subarray(2 * packed);
		session.noteBroadcast(j, coinCommitments[j]);
	}
	session.noteBroadcast(me, coin.commitment);

	// Π_LaAND: z^i = v^i ⊕ x^i·y^i, broadcast e^i = z^i ⊕ r^i; ⟨z⟩ = ⟨r⟩ ⊕ e.
	// Φ^i = y^i·Δ_i ⊕ ⊕_j (K_i[y^j] ⊕ M_j[y^i]) is party i's share of y·(⊕_j Δ_j);
	// U_ij = H(K_i[x^j]) ⊕ H(K_i[x^j] ⊕ Δ_i) ⊕ Φ^i lets j hold a share of x^j·Φ^i.
	const z = new Uint8Array(leaky);
	const e = new Uint8Array(leaky);
	for (let k = 0; k < leaky; k++) {
		z[k] = v[k] ^ (x.bits[k] & y.bits[k]);
		e[k] = z[k] ^ r.bits[k];
	}
	const phi = new Uint32Array(leaky * BLOCK_WORDS);
	for (let k = 0; k < leaky; k++) {
		const mask = -y.bits[k];
		for (let w = 0; w < BLOCK_WORDS; w++) phi[k * BLOCK_WORDS + w] = delta[w] & mask;
		for (let p = 0; p < parties - 1; p++) {
			const o = k * y.stride + 8 * p;
			for (let w = 0; w < BLOCK_WORDS; w++) phi[k * BLOCK_WORDS + w] ^= y.words[o + w] ^ y.words[o + BLOCK_WORDS + w];
		}
	}
	const u: Uint32Array[] = [];
	for (const j of peers) {
		u[j] = new Uint32Array(leaky * BLOCK_WORDS);
		for (let i = 0; i < leaky * BLOCK_WORDS; i++) u[j][i] = keyHashes[j][i] ^ keyDeltaHashes[j][i] ^ phi[i];
		for (let k = 0; k < leaky; k++) u[j][k * BLOCK_WORDS] &= CLEAR_LOW_BIT;
	}
	const packedE = packBits(e);
	const round2 = await session.exchange((j) => concatBytes(packedE, asBytes(u[j])), () => packed + leaky * BLOCK_BYTES, `${what} (leaky AND)`);
	session.noteBroadcast(me, packedE);

	// H^i = ⊕_j (M_j[z^i] ⊕ K_i[z^j] ⊕ H(K_i[x^j]) ⊕ H(M_j[x^i]) ⊕ x^i·U_ji) ⊕ x^i·Φ^i ⊕ z^i·Δ_i,
	// on bits 1…127; ⊕_i H^i = (x·y ⊕ z)·(⊕_i Δ_i) is zero iff the triple is correct.
	const zShares = sliceAuthBits(r, 0, leaky);
	zShares.bits.set(z);
	const h = new Uint32Array(leaky * BLOCK_WORDS);
	for (let k = 0; k < leaky; k++) {
		const xm = -x.bits[k];
		const zm = -z[k];
		for (let w = 0; w < BLOCK_WORDS; w++) h[k * BLOCK_WORDS + w] = (phi[k * BLOCK_WORDS + w] & xm) ^ (delta[w] & zm);
	}
	for (const j of peers) {
		session.noteBroadcast(j, round2[j].subarray(0, packed));
		const ej = unpackBits(round2[j].subarray(0, packed), leaky);
		const uj = asWords(round2[j].subarray(packed));
		for (let k = 0; k < leaky; k++) {
			if (ej[k]) zShares.xorOne(k, j, delta);
			const mac = zShares.macAt(k, j);
			const key = zShares.keyAt(k, j);
			const xm = -x.bits[k];
			for (let w = 0; w < BLOCK_WORDS; w++) {
				const i = k * BLOCK_WORDS + w;
				h[i] ^= zShares.words[mac + w] ^ zShares.words[key + w] ^ keyHashes[j][i] ^ macHashes[j][i] ^ (uj[i] & xm);
			}
		}
	}
	for (let k = 0; k < leaky; k++) h[k * BLOCK_WORDS] &= CLEAR_LOW_BIT;

	// Round 3: open the coin; it fixes the check's random subsets and the buckets.
	const round3 = await session.broadcast(coin.opening(), () => COIN_OPENING_BYTES, `${what} (coin)`);
	const seed = coin.result(session, coinCommitments, round3);
	const seeded = new Prg(seed);
	const rowWords = Math.ceil(leaky / 32);
	const subsets = seeded.blocks(Math.ceil((RHO * rowWords) / 4));

	// Rounds 4 and 5: commit to, then open, ρ random subset sums of H^i; each must XOR to 0.
	const sums = combine(h, leaky, subsets, rowWords);
	const sumCommitment = commit(asBytes(sums));
	const commitments = await session.broadcast(sumCommitment.commitment, () => COMMITMENT_BYTES, `${what} (check commitments)`);
	const opening = concatBytes(asBytes(sums), sumCommitment.randomness);
	const openings = await session.broadcast(opening, () => opening.length, `${what} (check)`);
	const total = sums.slice();
	for (const j of peers) {
		const theirs = openings[j].subarray(0, RHO * BLOCK_BYTES);
		if (!verifyCommitment(commitments[j], openings[j].subarray(RHO * BLOCK_BYTES), theirs)) {
			throw new MpcAbortError('commitment check', j, `commitment check failed on party ${j}'s leaky AND check values`);
		}
		const words = asWords(theirs);
		for (let i = 0; i < total.length; i++) total[i] ^= words[i];
	}
	if (total.some((w) => w !== 0)) {
		throw new MpcAbortError('leaky AND check', -1, 'leaky AND check failed: the AND triples are not consistent, some party cheated during preprocessing');
	}

	// Π_aAND: random buckets; (x, y, z) ← (x ⊕ x', y, z ⊕ z' ⊕ d·x') with d = y ⊕ y' opened.
	const order = Uint32Array.from({ length: leaky }, (_, k) => k);
	for (let k = leaky - 1; k > 0; k--) {
		const swap = seeded.below(k + 1);
		const t = order[k];
		order[k] = order[swap];
		order[swap] = t;
	}
	const d = new AuthBits(parties, me, count * (bucket - 1));
	for (let i = 0; i < count; i++) {
		const first = order[i * bucket];
		for (let m = 1; m < bucket; m++) d.setXor(i * (bucket - 1) + m - 1, y, first, y, order[i * bucket + m]);
	}
	const [opened] = await openBits(session, delta, [d], `${what} (buckets)`);
	const a = new AuthBits(parties, me, count);
	const b = new AuthBits(parties, me, count);
	const c = new AuthBits(parties, me, count);
	for (let i = 0; i < count; i++) {
		const first = order[i * bucket];
		a.copyFrom(i, x, first);
		b.copyFrom(i, y, first);
		c.copyFrom(i, zShares, first);
		for (let m = 1; m < bucket; m++) {
			const other = order[i * bucket + m];
			a.xorFrom(i, x, other);
			c.xorFrom(i, zShares, other);
			if (opened[i * (bucket - 1) + m - 1]) c.xorFrom(i, x, other);
		}
	}
	return { a, b, c };
}
