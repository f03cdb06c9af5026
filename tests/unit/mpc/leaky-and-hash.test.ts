import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { blockCipher } from '../../../src/lib/crypto/backend';
import { asWords, BLOCK_WORDS, randomBlocks } from '../../../src/lib/crypto/block';
import { Prg } from '../../../src/lib/crypto/prg';
import { AuthBits } from '../../../src/lib/mpc/auth';
import { Echo } from '../../../src/lib/mpc/echo';
import { runRound } from '../../../src/lib/mpc/rounds';
import { Session } from '../../../src/lib/mpc/session';
import { TripleRounds } from '../../../src/lib/mpc/triples';

/** Random authenticated bits for every party under the given global keys, as a dealer would make them. */
function dealt(deltas: Uint32Array[], count: number): AuthBits[] {
	const parties = deltas.length;
	const prg = Prg.random();
	const shares = deltas.map((_, p) => new AuthBits(parties, p, count, prg.bits(count)));
	for (const holder of shares) {
		for (const keyOwner of shares) {
			if (holder === keyOwner) continue;
			const delta = deltas[keyOwner.me];
			for (let k = 0; k < count; k++) {
				const key = prg.blocks(1);
				keyOwner.words.set(key, keyOwner.keyAt(k, holder.me));
				const mac = key.map((w, i) => w ^ (holder.bits[k] ? delta[i] : 0));
				holder.words.set(mac, holder.macAt(k, keyOwner.me));
			}
		}
	}
	return shares;
}

/** π(block) under the fixed key: public, anyone can compute it. */
function permute(block: Uint32Array): Uint32Array {
	const out = new Uint32Array(BLOCK_WORDS);
	blockCipher().encryptFixed(block, 0, out, 0, 1);
	return out;
}

describe('Π_LaAND hashing (WRK17 §3.2)', () => {
	it('gives the peer no value of π at a point offset by the honest global key', async () => {
		const count = 64;
		const bucket = 4;
		const leaky = count * bucket;
		const deltas = [randomBlocks(1), randomBlocks(1)];
		const [x, y, r] = [dealt(deltas, leaky), dealt(deltas, leaky), dealt(deltas, leaky)];
		const sent: Uint8Array[] = [];
		const network = new MemoryNetwork((from, _to, bytes) => {
			if (from === 0) sent.push(bytes);
			return bytes;
		});
		const sessions = [0, 1].map((me) => new Session({ channel: network.channel(me), parties: 2, me, notify: [1 - me] }));
		await Promise.all(sessions.map((s) => s.agreeRun(0)));
		await Promise.all(
			sessions.map(async (session, p) => {
				const triples = new TripleRounds({ session, delta: deltas[p], rho: 40, batch: 0, firstIndex: 0, echo: new Echo(session) }, x[p], y[p], r[p], count);
				await runRound(session, [triples.coinCommitment(), triples.halfAnd()], 'half AND', 1);
				await runRound(session, [triples.leakyAnd()], 'leaky AND', 1);
			})
		);

		// Party 0's messages: the run nonce, the half-AND round, then e ‖ U (8 bytes a triple),
		// each with the channel's one-byte frame at the end.
		const leakyMessage = sent[2];
		const u = asWords(leakyMessage.slice(leakyMessage.length - 1 - 8 * leaky, leakyMessage.length - 1));
		// What party 1 computes where x¹ = 0 (it then knows K = K_0[x¹]) and y¹ = 1, if the hash is
		// π(v ⊕ T) ⊕ v ⊕ T: Z = U ⊕ M_0[y¹] ⊕ K_1[y⁰] ⊕ H(K), and Z ⊕ K ⊕ T = π(K ⊕ Δ₀ ⊕ T)
		// whenever y⁰ = 0: the feed-forward Δ₀ cancels the Δ₀ of Φ⁰.
		let exposed = 0;
		let candidates = 0;
		for (let k = 0; k < leaky; k++) {
			if (x[1].bits[k] !== 0 || y[1].bits[k] !== 1 || y[0].bits[k] !== 0) continue;
			candidates++;
			const key = x[1].words.slice(x[1].macAt(k, 0), x[1].macAt(k, 0) + 4);
			const tweak = Uint32Array.of(k, 0 | (1 << 8), 0x646e616c, 0);
			const t = key.map((w, i) => w ^ tweak[i]);
			const mmo = permute(t).map((w, i) => w ^ t[i]);
			const macY = y[1].words.slice(y[1].macAt(k, 0), y[1].macAt(k, 0) + 4);
			const keyY = y[1].words.slice(y[1].keyAt(k, 0), y[1].keyAt(k, 0) + 4);
			const z = [2, 3].map((w) => u[2 * k + w - 2] ^ macY[w] ^ keyY[w] ^ mmo[w] ^ key[w] ^ tweak[w]);
			const target = permute(t.map((w, i) => w ^ deltas[0][i]));
			if (z[0] === target[2] && z[1] === target[3]) exposed++;
		}
		expect(candidates).toBeGreaterThan(0);
		expect(exposed).toBe(0);
	});
});
