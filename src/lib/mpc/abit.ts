import { xorSelectedRows } from '../crypto/bitmatrix';
import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, packBits, unpackBits, xorBlockInto } from '../crypto/block';
import { COMMITMENT_BYTES, OPENING_RANDOMNESS_BYTES } from '../crypto/commit';
import { Prg } from '../crypto/prg';
import { extendedRows, KosSender, type KosReceiverBatch, type KosSenderBatch, type RowLayout } from '../ot/kos';
import type { PairwiseOt } from '../ot/setup';
import { AuthBits, viewAuthBits } from './auth';
import { COIN_OPENING_BYTES, CoinToss } from './coin';
import { Commitments } from './commitments';
import { checkFailed } from './errors';
import type { Session } from './session';

const OPENING_BYTES = OPENING_RANDOMNESS_BYTES;

/**
 * out_t = ⊕_{k < count} coefficient_t[k]·block_k for t < rho (coefficient rows packed,
 * `rowWords` words each): ρ random subset sums of blocks.
 */
export function combine(blocks: Uint32Array, count: number, coefficients: Uint32Array, rowWords: number, rho: number): Uint32Array {
	if (rowWords !== Math.ceil(count / 32)) throw new Error(`combine: ${rowWords} words per row do not fit ${count} blocks`);
	return xorSelectedRows(coefficients, rho, count, blocks);
}

/**
 * Random authenticated shares among all parties: WRK17 §3.1, Π_aBit^n followed by the check
 * of Π_aShare. Every pair runs KOS correlated OT in both directions, where the sender's s is
 * its global key Δ: q_k is the key, t_k the MAC. Then:
 * - the KOS consistency check, with a challenge χ tossed by all parties after every matrix is
 *   sent, so one χ serves all pairs. A party uses the same extended choice bits with every
 *   peer, so its x̃ = Σ χ_k·x_k is the same for all; x̃ is part of the broadcast (checked for
 *   consistency with everyone), so this check also proves what Π_aBit^n's check proves: that
 *   a party used the same bits with every peer (except with probability about 2^-128);
 * - the global key consistency check of Π_aShare on ρ extra bits: each party commits to
 *   ⊕_k K_i[x^k] and to that ⊕ Δ_i, everyone opens its bits and MACs, and party i's opening
 *   for b = ⊕_{k≠i} x^k must equal ⊕_{k≠i} M_i[x^k]: a party that used different Δs with
 *   different peers fails with probability 1 − 2^-ρ.
 * With three or more parties the opening round of the second check also carries every
 * party's echo of the broadcasts so far (x̃ and the commitments among them), so that both
 * checks are complete before any bit is used.
 * The check bits are discarded; the KOS padding rows hide the kept bits in x̃.
 */
export class AuthBitGenerator {
	constructor(
		private readonly session: Session,
		private readonly delta: Uint32Array,
		private readonly pairs: readonly PairwiseOt[],
		/** Check bits of the global key consistency check: it misses an inconsistent Δ with probability 2^-rho. */
		private readonly rho: number
	) {}

	async generate(count: number): Promise<AuthBits> {
		const { session, delta, pairs, rho } = this;
		const { parties, me, peers } = session;
		const peerCount = parties - 1;
		const deltaCheck = count;
		const total = count + rho;
		const rows = extendedRows(total);
		const x = Prg.random().bits(rows);
		const what = 'authenticated bits';
		// OT extension writes MACs and keys straight into their places: all rows, checks included.
		const all = new AuthBits(parties, me, rows, x);
		const layout = (offset: number): RowLayout => ({ words: all.words, stride: all.stride, offset });

		// Round A: the KOS matrix to every peer (we receive OTs from it) and a coin commitment.
		const purpose = session.purpose('authenticated bits');
		const coin = new CoinToss(session, purpose);
		const receiving: KosReceiverBatch[] = [];
		for (const p of peers) receiving[p] = pairs[p].receiver.extend(x, total, layout(all.macAt(0, p)));
		const uBytes = KosSender.messageBytes(total);
		const roundA = await session.exchange((p) => concatBytes(receiving[p].u, coin.commitment), () => uBytes + COMMITMENT_BYTES, `${what} (OT extension)`);
		const sending: KosSenderBatch[] = [];
		const coinCommitments: Uint8Array[] = [];
		for (const p of peers) {
			sending[p] = pairs[p].sender.extend(roundA[p].subarray(0, uBytes), total, layout(all.keyAt(0, p)));
			coinCommitments[p] = roundA[p].subarray(uBytes);
			session.noteBroadcast(p, coinCommitments[p]);
		}
		session.noteBroadcast(me, coin.commitment);
		coin.receive(coinCommitments);

		// Round B: the coin, which becomes the KOS challenge of every pair.
		const openings = await session.broadcast(coin.opening(), () => COIN_OPENING_BYTES, `${what} (challenge)`);
		const challenge = coin.result(openings);

		// Round C: KOS responses (x̃ broadcast, t̃ per peer) and the commitments for check 2.
		const response = receiving[peers[0]].respond(challenge);
		const xTilde = response.subarray(0, BLOCK_BYTES);
		const d0 = new Uint32Array(rho * BLOCK_WORDS);
		for (const p of peers) {
			for (let r = 0; r < rho; r++) xorBlockInto(d0, r * BLOCK_WORDS, all.words, all.keyAt(deltaCheck + r, p));
		}
		const d1 = d0.map((v, w) => v ^ delta[w % BLOCK_WORDS]);
		const keySums = new Commitments(session, `${purpose} key sums`);
		const reveals = new Commitments(session, `${purpose} revealed bits`);
		const keyCommitments = [d0, d1].map((d) => Array.from({ length: rho }, (_, r) => keySums.commit(asBytes(d.slice(r * BLOCK_WORDS, (r + 1) * BLOCK_WORDS)))));
		const revealedMacs = new Uint32Array(rho * peerCount * BLOCK_WORDS);
		peers.forEach((p, slot) => {
			for (let r = 0; r < rho; r++) xorBlockInto(revealedMacs, (r * peerCount + slot) * BLOCK_WORDS, all.words, all.macAt(deltaCheck + r, p));
		});
		const revealed = concatBytes(packBits(x, deltaCheck, rho), asBytes(revealedMacs));
		const revealCommitment = reveals.commit(revealed);
		const broadcastC = concatBytes(xTilde, ...keyCommitments[0].map((c) => c.commitment), ...keyCommitments[1].map((c) => c.commitment), revealCommitment.commitment);
		const roundC = await session.exchange(
			(p) => concatBytes(receiving[p].respondRows(challenge), broadcastC),
			() => BLOCK_BYTES + broadcastC.length,
			`${what} (checks)`
		);
		session.noteBroadcast(me, broadcastC);
		const theirCommitments: { c0: Uint8Array[]; c1: Uint8Array[]; revealed: Uint8Array }[] = [];
		theirCommitments[me] = { c0: keyCommitments[0].map((c) => c.commitment), c1: keyCommitments[1].map((c) => c.commitment), revealed: revealCommitment.commitment };
		for (const p of peers) {
			const broadcast = roundC[p].subarray(BLOCK_BYTES);
			session.noteBroadcast(p, broadcast);
			if (!sending[p].check(challenge, concatBytes(broadcast.subarray(0, BLOCK_BYTES), roundC[p].subarray(0, BLOCK_BYTES)))) {
				checkFailed('KOS consistency check', p, 'OT extension matrix');
			}
			const commitmentAt = (i: number) => broadcast.subarray(BLOCK_BYTES + i * COMMITMENT_BYTES, BLOCK_BYTES + (i + 1) * COMMITMENT_BYTES);
			theirCommitments[p] = {
				c0: Array.from({ length: rho }, (_, r) => commitmentAt(r)),
				c1: Array.from({ length: rho }, (_, r) => commitmentAt(rho + r)),
				revealed: commitmentAt(2 * rho)
			};
		}
		keySums.refuseCopies(theirCommitments.map((c) => [...c.c0, ...c.c1, c.revealed]), 'global key consistency check');

		// Round D: open the check bits and the MACs on them, with the echo of the broadcasts.
		const myOpening = concatBytes(revealed, revealCommitment.randomness);
		const echo = session.takeEcho();
		const roundD = await session.broadcast(concatBytes(myOpening, echo), () => myOpening.length + echo.length, `${what} (key consistency)`);
		session.verifyEcho(echo, roundD.map((m) => m.subarray(myOpening.length)), `${what} (KOS responses and commitments)`);
		const checkBits: Uint8Array[] = [];
		const checkMacs: Uint32Array[] = [];
		checkBits[me] = x.slice(deltaCheck, deltaCheck + rho);
		for (const p of peers) {
			const value = roundD[p].subarray(0, revealed.length);
			if (!reveals.opens(p, theirCommitments[p].revealed, roundD[p].subarray(revealed.length, myOpening.length), value)) {
				checkFailed('commitment check', p, 'revealed check bits (global key consistency check)');
			}
			checkBits[p] = unpackBits(value, rho);
			checkMacs[p] = asWords(value.subarray((rho + 7) >> 3));
		}

		// Round E: open ⊕_k K_i[x^k] ⊕ b·Δ_i for b = ⊕_{k≠i} x^k.
		const others = (j: number, r: number) => checkBits.reduce((b, bits, k) => (k === j ? b : b ^ bits[r]), 0);
		const myKeys = new Uint8Array(rho * (BLOCK_BYTES + OPENING_BYTES));
		for (let r = 0; r < rho; r++) {
			const chosen = keyCommitments[others(me, r)][r];
			const d = others(me, r) ? d1 : d0;
			myKeys.set(asBytes(d.slice(r * BLOCK_WORDS, (r + 1) * BLOCK_WORDS)), r * (BLOCK_BYTES + OPENING_BYTES));
			myKeys.set(chosen.randomness, r * (BLOCK_BYTES + OPENING_BYTES) + BLOCK_BYTES);
		}
		const roundE = await session.broadcast(myKeys, () => myKeys.length, `${what} (key consistency)`);
		for (const j of peers) {
			for (let r = 0; r < rho; r++) {
				const o = r * (BLOCK_BYTES + OPENING_BYTES);
				const value = roundE[j].subarray(o, o + BLOCK_BYTES);
				const b = others(j, r);
				if (!keySums.opens(j, (b ? theirCommitments[j].c1 : theirCommitments[j].c0)[r], roundE[j].subarray(o + BLOCK_BYTES, o + BLOCK_BYTES + OPENING_BYTES), value)) {
					checkFailed('commitment check', j, 'key sums (global key consistency check)');
				}
				// ⊕_{k≠j} M_j[x^k]: our own MAC, and the ones the others revealed.
				const sum = new Uint32Array(BLOCK_WORDS);
				xorBlockInto(sum, 0, all.words, all.macAt(deltaCheck + r, j));
				for (const k of peers) {
					if (k === j) continue;
					const slot = j < k ? j : j - 1;
					for (let w = 0; w < BLOCK_WORDS; w++) sum[w] ^= checkMacs[k][(r * peerCount + slot) * BLOCK_WORDS + w];
				}
				const opened = asWords(value);
				for (let w = 0; w < BLOCK_WORDS; w++) {
					if ((opened[w] ^ sum[w]) !== 0) checkFailed('global key consistency check', j, 'key sums (it used different global keys with different parties)');
				}
			}
		}

		// Keep the first `count` bits with their MACs and keys.
		return viewAuthBits(all, 0, count);
	}
}
