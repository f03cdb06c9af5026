import { describe, expect, it } from 'vitest';
import { packBits, unpackBits } from '../../../src/lib/crypto/block';
import { GATE_XOR } from '../../../src/lib/garble/circuit';
import { attack, honestOutcomes, type Coalition, type Message, type Strategy } from './adversary';
import { gateLayer, randomBits, seeded } from './helpers';

/**
 * Output masks are revealed only once every party's masked inputs are in (WRK17 Fig. 2: input
 * processing before output processing). For an output that is linear in the inputs, here
 * out = x0 ⊕ x1 (a joint coin), z = y0 ⊕ y1 is public once the masked inputs are broadcast, so
 * the honest party's share of λ_out would give a coalition the output, and with it x_h, before it
 * sends its own masked input, and let it choose that input to force the coin.
 *
 * The coalition holds its masked input until every honest party waits for it (rushing). If the
 * honest share of the output masks has come by then, it forces the output to 0…0 (and rewrites
 * its evaluator's z, or the z an honest evaluator sends it, so that its own label check passes).
 */
const WIDTH = 8;

const bitsOf = (payload: Uint8Array) => unpackBits(payload, WIDTH);
const xor = (a: Uint8Array, b: Uint8Array) => a.map((bit, i) => bit ^ b[i]);

interface Seen {
	/** Whether the honest share of the output masks had come when the coalition committed its input. */
	sharesBeforeCommit?: boolean;
	/** What forcing changed in the coalition's masked input, hence in z. */
	flip?: Uint8Array;
}

function forceCoin(bad: number, good: number, seen: Seen): Strategy {
	const flipZ = (message: Message) => {
		if (message.phase !== 'output values' || !seen.flip) return undefined;
		const payload = message.payload.slice();
		payload.set(packBits(xor(bitsOf(payload), seen.flip)), 0);
		return [payload];
	};
	const found = (list: readonly Message[], phase: string, from: number, to: number) => list.find((m) => m.phase === phase && m.from === from && m.to === to);
	return {
		async send(message: Message, coalition: Coalition) {
			if (message.from === bad && message.phase === 'masked inputs') {
				await coalition.rush();
				const honestShares = found(coalition.received, 'output shares', good, bad);
				seen.sharesBeforeCommit = honestShares !== undefined;
				if (!honestShares) return undefined;
				const ownShares = await coalition.own('output shares', bad, good);
				const lambdaOut = xor(bitsOf(honestShares.payload), bitsOf(ownShares.payload));
				const honestMasked = bitsOf(coalition.find('masked inputs', good, bad).payload);
				const forced = xor(honestMasked, lambdaOut);
				seen.flip = xor(forced, bitsOf(message.payload));
				return [packBits(forced)];
			}
			return message.from === bad ? flipZ(message) : undefined;
		},
		deliver: (message) => (message.to === bad ? flipZ(message) : undefined)
	};
}

describe('output masks wait for the masked inputs', { timeout: 120_000 }, () => {
	for (const preprocessing of ['dealer', 'ot'] as const) {
		for (const bad of [0, 1]) {
			const good = 1 - bad;
			it(`a rushing ${bad === 0 ? 'evaluator' : 'garbler'} gets no output-mask share before it sends its masked input (${preprocessing})`, async () => {
				const random = seeded(77 + bad + (preprocessing === 'ot' ? 2 : 0));
				const honestInput = randomBits(WIDTH, random);
				const inputs = bad === 1 ? [honestInput, randomBits(WIDTH, random)] : [randomBits(WIDTH, random), honestInput];
				const seen: Seen = {};
				const result = await attack(gateLayer(GATE_XOR, WIDTH), inputs, { preprocessing }, [bad], forceCoin(bad, good, seen));
				expect(seen.sharesBeforeCommit).toBe(false);
				// Right value or abort, never a wrong one; here the run ends normally with x0 ⊕ x1.
				expect(honestOutcomes(result).finished).toEqual([good]);
				expect(Array.from(result.outputs[good]!)).toEqual(Array.from(result.want));
			});
		}
	}
});
