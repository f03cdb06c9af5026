import { afterEach, describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { nextTurn, turnPassed } from '../../../src/lib/channel/next-turn';
import { compile } from '../../../src/lib/garble';
import { dealerPublicKey, newDealerGrant } from '../../../src/lib/party';
import { KEY, runAll, SLOW_RUN_MS, sum, world, type World } from './world';

/**
 * Messages of one flight leave in one turn of the event loop: the mailbox sends what a turn
 * sent in one request, and messages that reach the relay in two requests cost the receiver a
 * round trip more when its request is answered between them (the relay answers as soon as
 * every awaited sender has sent something). Each send is stamped with the turn it was made in.
 */
interface Sent {
	from: number;
	to: number;
	phase: string;
	turn: number;
}

let stopTurns = () => {};
afterEach(() => stopTurns());

/** Counts the turns of the event loop from now on. */
function turns(): { now: () => number } {
	let turn = 0;
	let running = true;
	const tick = () => {
		turn++;
		if (running) nextTurn(tick);
	};
	nextTurn(tick);
	stopTurns = () => (running = false);
	return { now: () => turn };
}

/** Records every send of every participant of `w` with its phase and turn; a message arrives a turn after it was sent at the earliest, as over a network. */
function recordSends(w: World): Sent[] {
	const sent: Sent[] = [];
	const clock = turns();
	const channel = w.net.channel.bind(w.net);
	w.net.channel = (party) => {
		const inner = channel(party);
		return {
			...inner,
			sendBytesTo: (to, bytes, info) => {
				sent.push({ from: party, to, phase: info?.phase ?? '', turn: clock.now() });
				return inner.sendBytesTo(to, bytes, info);
			},
			recvBytesFrom: async (from, info) => {
				const bytes = await inner.recvBytesFrom(from, info);
				await turnPassed();
				return bytes;
			}
		};
	};
	return sent;
}

const turnOf = (sent: Sent[], from: number, to: number, phase: string) => {
	const found = sent.filter((s) => s.from === from && s.to === to && s.phase === phase);
	expect(found, `${phase} from ${from} to ${to}`).toHaveLength(1);
	return found[0].turn;
};

describe('one flight, one turn', { timeout: SLOW_RUN_MS }, () => {
	it('sends every base-OT answer in the turn of the confirm to the same peer', async () => {
		const w = world({ key: KEY });
		const sent = recordSends(w);
		const run = await runAll(w, sum(['1u32', '2u32', '3u32'], { preprocessing: 'ot' }));
		for (const outcome of run.parties) expect(outcome.ok).toBe(true);
		for (const from of [0, 1, 2]) {
			for (const to of [0, 1, 2].filter((p) => p !== from)) {
				expect(turnOf(sent, from, to, 'handshake: base OT')).toBe(turnOf(sent, from, to, 'handshake: confirm'));
			}
		}
	});

	it('sends the dealer hello and the first material in one turn, the dealer dealing for the circuit', async () => {
		const { secret } = newDealerGrant();
		const w = world({ key: KEY, dealer: true });
		const sent = recordSends(w);
		const settings = sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer', dealer: dealerPublicKey(secret) });
		const run = await runAll(w, settings, { dealer: { secret, circuit: compile(settings[0].program).circuit } });
		for (const outcome of run.parties) expect(outcome.ok).toBe(true);
		expect(run.dealer).toEqual({ ok: true, value: { used: true } });
		for (const to of [0, 1, 2]) {
			const hello = turnOf(sent, DEALER_PARTY, to, 'handshake: dealer hello');
			expect(turnOf(sent, DEALER_PARTY, to, 'dealer seed')).toBe(hello);
			const material = sent.filter((s) => s.from === DEALER_PARTY && s.to === to && s.phase === 'dealer material');
			expect(material.length).toBeGreaterThan(1);
			for (const { turn } of material) expect(turn).toBe(hello);
		}
	});

	it("tells the dealer that a party's checks passed in the turn of its output confirmation", async () => {
		const { secret } = newDealerGrant();
		const w = world({ key: KEY, dealer: true });
		const sent = recordSends(w);
		const run = await runAll(w, sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer', dealer: dealerPublicKey(secret) }), { dealer: { secret } });
		for (const outcome of run.parties) expect(outcome.ok).toBe(true);
		expect(run.dealer?.ok).toBe(true);
		for (const from of [0, 1, 2]) {
			const confirmations = sent.filter((s) => s.from === from && s.phase === 'output confirmation').map((s) => s.turn);
			expect(confirmations.length).toBeGreaterThan(0);
			expect(turnOf(sent, from, DEALER_PARTY, 'end of the run')).toBe(Math.max(...confirmations));
		}
	});
});
