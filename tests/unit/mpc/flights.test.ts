import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { GATE_AND, type Circuit } from '../../../src/lib/garble/circuit';
import { mpc } from '../../../src/lib/mpc';
import { LockstepNetwork } from '../../helpers/lockstep';
import { expected, randomBits, randomCircuit, seeded, startDealer, sumCircuit } from './helpers';

/**
 * The sequential one-way delays (flights) a run costs, counted exactly on a network where every
 * message takes one tick: they must not grow with the circuit. The bounds are what the protocol
 * needs today (docs/engine.md, "Rounds"); a change that adds a flight fails here.
 */
const BOUND = { ot: 14, dealer: 7, 'dealer, triples': 7 };
type Mode = keyof typeof BOUND;

/** The flights until every party has its output (the dealer may finish a flight later: nobody waits for it). */
async function flights(circuit: Circuit, mode: Mode): Promise<number> {
	const network = new LockstepNetwork();
	const inputs = circuit.inputBits.map((bits) => randomBits(bits, seeded(bits)));
	const preprocessing = mode === 'ot' ? 'ot' : 'dealer';
	const parties = Promise.all(inputs.map((bits, party) => mpc(network.channel(party), circuit, bits, { party, preprocessing })));
	let ticks = 0;
	const outputs = parties.then((results) => ((ticks = network.ticks), results));
	const dealer = mode === 'ot' ? Promise.resolve() : startDealer(network.channel(DEALER_PARTY), circuit, mode === 'dealer' ? 'products' : 'triples');
	const [results] = await network.run(Promise.all([outputs, dealer]));
	for (const output of results) expect(output).toEqual(expected(circuit, inputs));
	return ticks;
}

const andGates = (circuit: Circuit) => circuit.gateKinds.filter((kind) => kind === GATE_AND).length;

describe('flights of a run', { timeout: 300_000 }, () => {
	for (const mode of Object.keys(BOUND) as Mode[]) {
		it(`stay within ${BOUND[mode]} with ${mode} preprocessing, for 2, 3 and 5 parties and from 15 to 13,000 AND gates`, async () => {
			for (const parties of [2, 3, 5]) {
				const small = sumCircuit(parties, 8);
				const count = await flights(small, mode);
				expect(count, `${parties} parties, ${andGates(small)} AND gates`).toBeLessThanOrEqual(BOUND[mode]);
			}
			// Several segments (and, with 5 parties, two OT batches at once).
			for (const parties of [3, 5]) {
				const large = randomCircuit(Array(parties).fill(16), 40_000, 16, seeded(parties));
				expect(andGates(large)).toBeGreaterThan(13_000);
				const count = await flights(large, mode);
				expect(count, `${parties} parties, ${andGates(large)} AND gates`).toBeLessThanOrEqual(BOUND[mode]);
			}
		});
	}
});
