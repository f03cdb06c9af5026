import { afterEach, describe, expect, it } from 'vitest';
import { AuthBitRounds } from '../../../src/lib/mpc/abit';
import { CoinToss } from '../../../src/lib/mpc/coin';
import type { RoundPart } from '../../../src/lib/mpc/rounds';
import type { Session } from '../../../src/lib/mpc/session';
import { attack, honestOutcomes } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * The KOS challenge is a coin all parties toss, and each pair's KOS check uses it. A party that
 * gives two honest parties different (each valid) commitments and openings gives them different
 * challenges, so that each would fail the other's KOS response and blame an honest party. The
 * echo of the coin's messages comes first and names the party that equivocated.
 *
 * Party 1's code is patched to send party 2 a second coin of its own (same purpose, so that party
 * 2's commitment check passes) in round A and its opening in round B.
 */
const CHEATER = 1;
const VICTIM = 2;

interface Rounds {
	context: { session: Session; batch: number };
}
const proto = AuthBitRounds.prototype as unknown as Record<'a' | 'b', (this: Rounds) => RoundPart>;
const original = { a: proto.a, b: proto.b };
/** The cheater's second coin, for the victim, by batch. */
const secondCoins = new Map<number, CoinToss>();

function equivocate(): void {
	const forVictim = (rounds: Rounds, part: RoundPart, message: (coin: CoinToss, honest: Uint8Array) => Uint8Array): RoundPart => {
		const { session, batch } = rounds.context;
		if (session.me !== CHEATER) return part;
		if (!secondCoins.has(batch)) secondCoins.set(batch, new CoinToss(session, `authenticated bits ${batch}`));
		const coin = secondCoins.get(batch)!;
		return { ...part, message: (p) => (p === VICTIM ? message(coin, part.message(p)) : part.message(p)) };
	};
	proto.a = function () {
		// Round A ends with the coin commitment.
		return forVictim(this, original.a.call(this), (coin, honest) => {
			const out = honest.slice();
			out.set(coin.commitment, out.length - coin.commitment.length);
			return out;
		});
	};
	proto.b = function () {
		return forVictim(this, original.b.call(this), (coin) => coin.opening());
	};
}

afterEach(() => {
	Object.assign(proto, original);
	secondCoins.clear();
});

describe('the KOS challenge’s coin', { timeout: 120_000 }, () => {
	it('given differently to two honest parties, is caught by the echo, which names the party that did it where it can tell, never an honest one (3 parties, OT)', async () => {
		equivocate();
		const circuit = sumCircuit(3, 4);
		const inputs = [0, 1, 2].map((p) => toBits(p + 3, 4));
		const result = await attack(circuit, inputs, { preprocessing: 'ot' }, [CHEATER], {});
		const { aborted } = honestOutcomes(result);
		const reports = aborted.filter((e) => e.check !== 'peer abort');
		expect(reports.length).toBeGreaterThan(0);
		// The victim sees the cheater's own echo differ from what it got; the other honest party sees
		// only the victim's echo differ from its own, which either of the two may have caused.
		for (const error of reports) expect([['broadcast consistency', CHEATER], ['broadcast consistency', -1]], error.message).toContainEqual([error.check, error.party]);
		expect(reports.map((error) => error.party)).toContain(CHEATER);
	});
});
