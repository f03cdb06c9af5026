import { xorSelectedRows } from '../crypto/bitmatrix';
import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, blockEqualsOffset, concatBytes, packBits, unpackBits, xorBlockInto } from '../crypto/block';
import { COMMITMENT_BYTES, OPENING_RANDOMNESS_BYTES } from '../crypto/commit';
import { Prg } from '../crypto/prg';
import { extendedRows, type KosReceiverBatch, type KosSenderBatch, type RowLayout } from '../ot/kos';
import type { PairwiseOt } from '../ot/setup';
import { AuthBits, viewAuthBits } from './auth';
import { COIN_OPENING_BYTES, CoinToss } from './coin';
import { Commitments } from './commitments';
import type { Echo } from './echo';
import { checkFailed } from './errors';
import type { RoundPart } from './rounds';
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

/** What one batch of authenticated bits needs from its run. */
export interface AuthBitContext {
	session: Session;
	delta: Uint32Array;
	pairs: readonly PairwiseOt[];
	/** Check bits of the global key consistency check: it misses an inconsistent Δ with probability 2^-rho. */
	rho: number;
	/** The batch's number: its OT extension and commitments are its own. */
	batch: number;
	/** Where the batch's broadcasts are noted; its echo travels in round D. */
	echo: Echo;
}

/**
 * Random authenticated shares among all parties: WRK17 §3.1, Π_aBit^n followed by the check
 * of Π_aShare, in five rounds whose parts (rounds.ts) may share messages with other steps:
 * - A: the OT-extension message to every peer (we receive OTs from it) and a coin commitment;
 * - B: the coin, the KOS challenge χ of every pair;
 * - C: the KOS responses (x̃ broadcast, t̃ per peer) and the commitments of the second check;
 * - D: the check bits and the MACs on them, and every party's echo of the broadcasts so far
 *   (the KOS checks follow the echo, so that one coin is known to have served every pair);
 * - E: the key sums.
 * Every pair runs correlated OT extension (SoftSpokenOT, with KOS15's check) in both
 * directions, where the sender's s is its global key Δ: q_k is the key, t_k the MAC. The KOS check's challenge is tossed by all parties after
 * every matrix is sent, so one χ serves all pairs. A party uses the same extended choice bits
 * with every peer, so its x̃ = Σ χ_k·x_k is the same for all; x̃ is part of the broadcast,
 * compared across parties (the echo in D) before any bit is used, so this check also proves
 * what Π_aBit^n's check proves: that a party used the same bits with every peer (except with
 * probability about 2^-128). Π_aShare's global key consistency check on ρ extra bits: each
 * party commits to ⊕_k K_i[x^k] and to that ⊕ Δ_i, everyone opens its bits and MACs, and
 * party i's opening for b = ⊕_{k≠i} x^k must equal ⊕_{k≠i} M_i[x^k]: a party that used
 * different Δs with different peers fails with probability 1 − 2^-ρ. The check bits are
 * discarded; the KOS padding rows hide the kept bits in x̃.
 */
export class AuthBitRounds {
	/** The first `count` bits, valid once round E is accepted. */
	readonly bits: AuthBits;
	private readonly all: AuthBits;
	private readonly x: Uint8Array;
	private readonly total: number;
	private readonly coin: CoinToss;
	private readonly keySums: Commitments;
	private readonly reveals: Commitments;
	private readonly receiving: KosReceiverBatch[] = [];
	private readonly sending: KosSenderBatch[] = [];
	/** The global key our extension sender uses with each peer: our Δ (round E checks that it is one Δ for all). */
	private readonly senderDeltas: Uint32Array[] = [];
	private challenge: Uint32Array = new Uint32Array(0);
	private broadcastC: Uint8Array = new Uint8Array(0);
	private d0: Uint32Array = new Uint32Array(0);
	private d1: Uint32Array = new Uint32Array(0);
	private keyCommitments: { commitment: Uint8Array; randomness: Uint8Array }[][] = [];
	private revealed: Uint8Array = new Uint8Array(0);
	private revealCommitment: { commitment: Uint8Array; randomness: Uint8Array } | null = null;
	private readonly theirCommitments: { c0: Uint8Array[]; c1: Uint8Array[]; revealed: Uint8Array }[] = [];
	private readonly checkBits: Uint8Array[] = [];
	private readonly checkMacs: Uint32Array[] = [];
	/** Each peer's KOS response (x̃ and its t̃ for us), checked in round D once the echo shows that everyone used the same coin. */
	private readonly kosResponses: Uint8Array[] = [];
	private echoOfC: Uint8Array = new Uint8Array(0);

	constructor(
		private readonly context: AuthBitContext,
		readonly count: number
	) {
		const { session, rho } = context;
		this.total = count + rho;
		const rows = extendedRows(this.total);
		this.x = Prg.random().bits(rows);
		// OT extension writes MACs and keys straight into their places: all rows, checks included.
		this.all = new AuthBits(session.parties, session.me, rows, this.x);
		this.bits = viewAuthBits(this.all, 0, count);
		const purpose = `authenticated bits ${context.batch}`;
		this.coin = new CoinToss(session, purpose);
		this.keySums = new Commitments(session, `${purpose} key sums`);
		this.reveals = new Commitments(session, `${purpose} revealed bits`);
	}

	private layout(offset: number): RowLayout {
		return { words: this.all.words, stride: this.all.stride, offset };
	}

	/** Round A: the OT-extension message (softspoken.ts) and the coin commitment. */
	a(): RoundPart {
		const { session, pairs, batch, echo } = this.context;
		const extensionBytes = pairs[session.peers[0]].receiver.messageBytes(this.total);
		for (const p of session.peers) this.receiving[p] = pairs[p].receiver.extend(this.x, this.total, batch, this.layout(this.all.macAt(0, p)));
		return {
			message: (p) => concatBytes(this.receiving[p].message, this.coin.commitment),
			length: () => extensionBytes + COMMITMENT_BYTES,
			accept: async (received) => {
				const commitments: Uint8Array[] = [];
				for (const p of session.peers) {
					// The first batch's round A travels with the peer's base-OT answer, which completes this sender.
					const sender = await pairs[p].sender;
					this.senderDeltas[p] = sender.delta;
					this.sending[p] = sender.extend(received[p].subarray(0, extensionBytes), this.total, batch, this.layout(this.all.keyAt(0, p)));
					commitments[p] = received[p].subarray(extensionBytes);
					echo.note(p, commitments[p]);
				}
				echo.note(session.me, this.coin.commitment);
				this.coin.receive(commitments);
			}
		};
	}

	/** Round B: the coin's opening; the coin becomes the KOS challenge. */
	b(): RoundPart {
		const { session, echo } = this.context;
		const opening = this.coin.opening();
		return {
			message: () => opening,
			length: () => COIN_OPENING_BYTES,
			accept: (received) => {
				received.forEach((message, p) => echo.note(p, p === session.me ? opening : message));
				this.challenge = this.coin.result(received);
			}
		};
	}

	/** Round C: the KOS responses and the commitments of the global key consistency check. */
	c(): RoundPart {
		const { session, delta, rho, echo } = this.context;
		const { peers, parties, me } = session;
		const peerCount = parties - 1;
		const all = this.all;
		const response = this.receiving[peers[0]].respond(this.challenge);
		const xTilde = response.subarray(0, BLOCK_BYTES);
		const d0 = new Uint32Array(rho * BLOCK_WORDS);
		for (const p of peers) {
			for (let r = 0; r < rho; r++) xorBlockInto(d0, r * BLOCK_WORDS, all.words, all.keyAt(this.count + r, p));
		}
		this.d0 = d0;
		this.d1 = d0.map((v, w) => v ^ delta[w % BLOCK_WORDS]);
		this.keyCommitments = [this.d0, this.d1].map((d) => Array.from({ length: rho }, (_, r) => this.keySums.commit(asBytes(d.slice(r * BLOCK_WORDS, (r + 1) * BLOCK_WORDS)))));
		const revealedMacs = new Uint32Array(rho * peerCount * BLOCK_WORDS);
		peers.forEach((p, slot) => {
			for (let r = 0; r < rho; r++) xorBlockInto(revealedMacs, (r * peerCount + slot) * BLOCK_WORDS, all.words, all.macAt(this.count + r, p));
		});
		this.revealed = concatBytes(packBits(this.x, this.count, rho), asBytes(revealedMacs));
		const revealCommitment = this.reveals.commit(this.revealed);
		this.revealCommitment = revealCommitment;
		this.broadcastC = concatBytes(xTilde, ...this.keyCommitments[0].map((c) => c.commitment), ...this.keyCommitments[1].map((c) => c.commitment), revealCommitment.commitment);
		return {
			message: (p) => concatBytes(this.receiving[p].respondRows(this.challenge), this.broadcastC),
			length: () => BLOCK_BYTES + this.broadcastC.length,
			accept: (received) => {
				echo.note(me, this.broadcastC);
				this.theirCommitments[me] = { c0: this.keyCommitments[0].map((c) => c.commitment), c1: this.keyCommitments[1].map((c) => c.commitment), revealed: revealCommitment.commitment };
				for (const p of peers) {
					const broadcast = received[p].subarray(BLOCK_BYTES);
					echo.note(p, broadcast);
					this.kosResponses[p] = concatBytes(broadcast.subarray(0, BLOCK_BYTES), received[p].subarray(0, BLOCK_BYTES));
					const commitmentAt = (i: number) => broadcast.subarray(BLOCK_BYTES + i * COMMITMENT_BYTES, BLOCK_BYTES + (i + 1) * COMMITMENT_BYTES);
					this.theirCommitments[p] = {
						c0: Array.from({ length: rho }, (_, r) => commitmentAt(r)),
						c1: Array.from({ length: rho }, (_, r) => commitmentAt(rho + r)),
						revealed: commitmentAt(2 * rho)
					};
				}
				this.keySums.refuseCopies(this.theirCommitments.map((c) => [...c.c0, ...c.c1, c.revealed]), 'global key consistency check');
			}
		};
	}

	/**
	 * Round D: the check bits and their MACs, with the echo of every broadcast so far. Each
	 * peer's revealed bits are checked against the MACs it revealed under our key (WRK17
	 * Π_aShare opens the check bits authenticated): round E opens our key sum for the bits as
	 * claimed, which for a falsely claimed bit is a MAC of ours ⊕ Δ, and would hand Δ to the
	 * claimant.
	 */
	d(): RoundPart {
		const { session, rho, echo } = this.context;
		const { peers, parties, me } = session;
		const all = this.all;
		const opening = concatBytes(this.revealed, this.revealCommitment!.randomness);
		this.echoOfC = echo.take();
		const message = concatBytes(opening, this.echoOfC);
		return {
			message: () => message,
			length: () => message.length,
			accept: (received) => {
				echo.verify(
					this.echoOfC,
					received.map((m) => m.subarray(opening.length)),
					'authenticated bits (KOS responses and commitments)'
				);
				// After the echo: a party that gave two peers different coins (hence challenges) is named by it,
				// where each of the two would fail the other's KOS response.
				for (const p of peers) {
					if (!this.sending[p].check(this.challenge, this.kosResponses[p])) checkFailed('KOS consistency check', p, 'OT extension matrix');
				}
				this.checkBits[me] = this.x.slice(this.count, this.count + rho);
				for (const p of peers) {
					const value = received[p].subarray(0, this.revealed.length);
					if (!this.reveals.opens(p, this.theirCommitments[p].revealed, received[p].subarray(this.revealed.length, opening.length), value)) {
						checkFailed('commitment check', p, 'revealed check bits (global key consistency check)');
					}
					this.checkBits[p] = unpackBits(value, rho);
					this.checkMacs[p] = asWords(value.subarray((rho + 7) >> 3));
					const mine = (me < p ? me : me - 1) * BLOCK_WORDS;
					const delta = this.senderDeltas[p];
					for (let r = 0; r < rho; r++) {
						if (!blockEqualsOffset(this.checkMacs[p], r * (parties - 1) * BLOCK_WORDS + mine, all.words, all.keyAt(this.count + r, p), delta, this.checkBits[p][r])) {
							checkFailed('MAC check', p, `revealed check bit ${r} (global key consistency check)`);
						}
					}
				}
			}
		};
	}

	/** Round E: ⊕_k K_i[x^k] ⊕ b·Δ_i for b = ⊕_{k≠i} x^k, checked against the revealed MACs. */
	e(): RoundPart {
		const { session, rho } = this.context;
		const { peers, parties, me } = session;
		const peerCount = parties - 1;
		const all = this.all;
		const others = (j: number, r: number) => this.checkBits.reduce((b, bits, k) => (k === j ? b : b ^ bits[r]), 0);
		const myKeys = new Uint8Array(rho * (BLOCK_BYTES + OPENING_BYTES));
		for (let r = 0; r < rho; r++) {
			const chosen = this.keyCommitments[others(me, r)][r];
			const d = others(me, r) ? this.d1 : this.d0;
			myKeys.set(asBytes(d.slice(r * BLOCK_WORDS, (r + 1) * BLOCK_WORDS)), r * (BLOCK_BYTES + OPENING_BYTES));
			myKeys.set(chosen.randomness, r * (BLOCK_BYTES + OPENING_BYTES) + BLOCK_BYTES);
		}
		return {
			message: () => myKeys,
			length: () => myKeys.length,
			accept: (received) => {
				for (const j of peers) {
					for (let r = 0; r < rho; r++) {
						const o = r * (BLOCK_BYTES + OPENING_BYTES);
						const value = received[j].subarray(o, o + BLOCK_BYTES);
						const b = others(j, r);
						const commitment = (b ? this.theirCommitments[j].c1 : this.theirCommitments[j].c0)[r];
						if (!this.keySums.opens(j, commitment, received[j].subarray(o + BLOCK_BYTES, o + BLOCK_BYTES + OPENING_BYTES), value)) {
							checkFailed('commitment check', j, 'key sums (global key consistency check)');
						}
						// ⊕_{k≠j} M_j[x^k]: our own MAC, and the ones the others revealed.
						const sum = new Uint32Array(BLOCK_WORDS);
						xorBlockInto(sum, 0, all.words, all.macAt(this.count + r, j));
						for (const k of peers) {
							if (k === j) continue;
							const slot = j < k ? j : j - 1;
							for (let w = 0; w < BLOCK_WORDS; w++) sum[w] ^= this.checkMacs[k][(r * peerCount + slot) * BLOCK_WORDS + w];
						}
						const opened = asWords(value);
						for (let w = 0; w < BLOCK_WORDS; w++) {
							if ((opened[w] ^ sum[w]) !== 0) checkFailed('global key consistency check', j, 'key sums (it used different global keys with different parties)');
						}
					}
				}
			}
		};
	}
}
