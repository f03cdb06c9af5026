import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asBytes, BLOCK_WORDS } from '../../../src/lib/crypto/block';
import { AuthBitRounds } from '../../../src/lib/mpc/abit';
import type { RoundPart } from '../../../src/lib/mpc/rounds';
import { attack, honestOutcomes } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * Π_aShare's global key check (WRK17 §3.1) opens every party's key sum ⊕_k K[x^k] ⊕ b·Δ, with b
 * from the check bits the others reveal in round D. A coalition that claims the opposite of one
 * of its check bits would make the honest party open a sum that differs from the coalition's
 * MACs by exactly Δ_h; with Δ_h it forges any MAC the honest party checks. The revealed bits
 * come with their MACs, and the honest party checks the ones under its key before it opens
 * anything.
 *
 * The cheater's round C claims the flipped bit (with its MACs under the other coalition members'
 * Δ made to match: the coalition knows them); its round E reads Δ_h off the honest opening if
 * one comes; then it flips its share of an output mask and adds Δ_h to that share's MAC.
 */
const HONEST = 0;
const CHEATER = 1;

/** The private state of AuthBitRounds that the coalition's patches reach. */
interface Rounds {
	context: { session: { me: number }; delta: Uint32Array; batch: number };
	all: { words: Uint32Array; macAt(row: number, peer: number): number };
	x: Uint8Array;
	count: number;
}
const proto = AuthBitRounds.prototype as unknown as Record<'a' | 'c' | 'e', (this: Rounds) => RoundPart>;
const original = { a: proto.a, c: proto.c, e: proto.e };

let corrupted = new Set<number>();
/** Every party's first batch of authenticated bits. */
const firstBatch: Rounds[] = [];
let leaked: Uint32Array | null = null;

function patchRounds(): void {
	proto.a = function () {
		if (this.context.batch === 0) firstBatch[this.context.session.me] = this;
		return original.a.call(this);
	};
	proto.c = function () {
		const me = this.context.session.me;
		if (me !== CHEATER || this.context.batch !== 0) return original.c.call(this);
		const row = this.count;
		const flipClaim = () => {
			this.x[row] ^= 1;
			for (const j of corrupted) {
				if (j === me) continue;
				const at = this.all.macAt(row, j);
				for (let w = 0; w < BLOCK_WORDS; w++) this.all.words[at + w] ^= firstBatch[j].context.delta[w];
			}
		};
		// The claim goes into round C's commitments and the revealed bits; the real bit stays for the rest.
		flipClaim();
		const part = original.c.call(this);
		flipClaim();
		return part;
	};
	proto.e = function () {
		const part = original.e.call(this);
		const me = this.context.session.me;
		if (!corrupted.has(me) || this.context.batch !== 0) return part;
		return {
			message: (p) => part.message(p),
			length: (p) => part.length(p),
			accept: (received) => {
				if (me === CHEATER) {
					// The honest sum for check bit 0 against the coalition's MACs under Δ_h on the real bits.
					const delta = new Uint32Array(received[HONEST].slice(0, 16).buffer);
					for (const c of corrupted) {
						const at = firstBatch[c].all.macAt(firstBatch[c].count, HONEST);
						for (let w = 0; w < BLOCK_WORDS; w++) delta[w] ^= firstBatch[c].all.words[at + w];
					}
					leaked = delta;
				}
				// The coalition runs past its own check of the honest sum.
				try {
					void part.accept(received);
				} catch {
					return;
				}
			}
		};
	};
}

beforeEach(() => {
	firstBatch.length = 0;
	leaked = null;
	patchRounds();
});

afterEach(() => Object.assign(proto, original));

describe('revealed check bits of the global key check', { timeout: 120_000 }, () => {
	for (const parties of [2, 3]) {
		it(`catches a coalition that claims a check bit it does not hold, before Δ leaks (${parties} parties, coalition of ${parties - 1}, OT)`, async () => {
			corrupted = new Set(Array.from({ length: parties - 1 }, (_, i) => i + 1));
			const circuit = sumCircuit(parties, 4);
			const inputs = Array.from({ length: parties }, (_, p) => toBits((5 * p + 3) & 15, 4));
			const result = await attack(circuit, inputs, { preprocessing: 'ot' }, [...corrupted], {
				send(message) {
					if (message.from !== CHEATER || message.to !== HONEST || message.phase !== 'output shares' || !leaked) return undefined;
					const payload = message.payload.slice();
					const packed = payload.length % 16;
					payload[0] ^= 1;
					const delta = asBytes(leaked);
					for (let i = 0; i < 16; i++) payload[packed + i] ^= delta[i];
					return [payload];
				}
			});
			const { aborted } = honestOutcomes(result);
			expect(aborted.map((e) => [e.check, e.party])).toEqual([['MAC check', CHEATER]]);
			expect(aborted[0].message).toContain('revealed check bit 0');
			expect(leaked).toBeNull();
		});
	}
});
