import { describe, expect, it } from 'vitest';
import { PeerAbortError } from '../../../src/lib/channel/abortable';
import { DEALER_PARTY, type Channel } from '../../../src/lib/channel/channel';
import { MemoryNetwork, type Interceptor } from '../../../src/lib/channel/memory';
import { SealedChannel, SealError } from '../../../src/lib/channel/sealed';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import { MpcAbortError } from '../../../src/lib/mpc';
import {
	JoinTimeoutError,
	MismatchError,
	prepareParty,
	runDealerOver,
	runPreparedParty,
	type PartyResult,
	type PartySettings,
	type PartyStatus,
	type SessionTransport
} from '../../../src/lib/party';

const SUM = 'pub fn main(x: u32, y: u32, z: u32) -> u32 { x + y + z }';
const KEY = new Uint8Array(32).fill(7);

interface World {
	net: MemoryNetwork;
	joined: Set<number>;
	key?: Uint8Array;
}

function world(options: { interceptor?: Interceptor; key?: Uint8Array; dealer?: boolean } = {}): World {
	const joined = new Set<number>();
	if (options.dealer) joined.add(DEALER_PARTY);
	return { net: new MemoryNetwork(options.interceptor), joined, key: options.key };
}

function transport(w: World, party: number): SessionTransport {
	w.joined.add(party);
	const raw = w.net.channel(party);
	// Cancelling ends this party's receives only, as with the relay.
	let cancel!: (reason: unknown) => void;
	const cancelled = new Promise<never>((_, reject) => (cancel = reject));
	cancelled.catch(() => {});
	const own: Channel = { sendBytesTo: raw.sendBytesTo, recvBytesFrom: (from, info) => Promise.race([raw.recvBytesFrom(from, info), cancelled]) };
	const channel: Channel = w.key ? new SealedChannel(own, { key: w.key, session: 'test', party }) : own;
	return {
		session: 'test',
		channel,
		participants: async () => [...w.joined].sort((a, b) => a - b),
		traffic: () => ({ bytesSent: w.net.bytesSent.get(party) ?? 0, bytesReceived: 0 }),
		cancel: (reason) => {
			w.joined.delete(party); // as the relay session leaves
			cancel(reason);
		}
	};
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Outcome<T>> =>
	promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error })
	);

/**
 * Runs the parties (and the dealer when `dealer`) over one network. Unless `ownAbortsOnly`,
 * it never hangs on a failure: once anyone has failed, it ends every receive still waiting.
 * A test of how the parties tell each other sets `ownAbortsOnly`, so that nothing but their
 * own notices can end the others' runs (a broken notice then shows as a test timeout).
 */
async function runAll(w: World, settings: PartySettings[], options: { dealer?: boolean; statuses?: PartyStatus[][]; ownAbortsOnly?: boolean } = {}) {
	// Everyone joins first, as they would before the last one arrives at the relay.
	const transports = settings.map((s) => transport(w, s.party));
	const dealerTransport = options.dealer ? transport(w, DEALER_PARTY) : undefined;
	const runs = settings.map((s, i) =>
		settle(
			runPreparedParty(transports[i], prepareParty(s), {
				timeoutMs: 10_000,
				onStatus: (status) => options.statuses?.[i]?.push(status)
			})
		)
	);
	const dealer = dealerTransport ? settle(runDealerOver(dealerTransport, { parties: settings.length, timeoutMs: 10_000 })) : undefined;
	// Once anyone has failed, end every receive still waiting, as a timeout would.
	for (const run of options.ownAbortsOnly ? [] : [...runs, ...(dealer ? [dealer] : [])]) {
		void run.then((outcome) => {
			if (!outcome.ok) setTimeout(() => w.net.close(new Error('test: a participant failed')), 200);
		});
	}
	return { parties: await Promise.all(runs), dealer: await dealer };
}

function value(outcome: Outcome<PartyResult>): string | undefined {
	if (!outcome.ok) throw outcome.error;
	return outcome.value.output?.kind === 'value' ? outcome.value.output.text : undefined;
}

function failure(outcome: Outcome<unknown> | undefined): Error {
	if (!outcome || outcome.ok) throw new Error('expected a failure');
	return outcome.error as Error;
}

const sum = (inputs: string[], extra: Partial<PartySettings> = {}): PartySettings[] =>
	inputs.map((input, party) => ({ party, program: SUM, input, ...extra }));

describe('runPreparedParty and runDealerOver', () => {
	it('computes the three-party sum with the dealer, every party reporting its stages', async () => {
		const statuses: PartyStatus[][] = [[], [], []];
		const inputs = ['2u32', '10u32', '100u32'];
		const { parties, dealer } = await runAll(world({ dealer: true }), sum(inputs), { dealer: true, statuses });
		const program = compile(SUM);
		const expected = program.decodeOutput(evaluateCircuit(program.circuit, inputs.map((input, p) => program.encodeInput(p, input))));
		expect(expected).toEqual({ kind: 'value', text: '112' });
		for (const outcome of parties) expect(value(outcome)).toBe('112');
		expect(dealer).toEqual({ ok: true, value: { used: true } });
		for (const party of statuses) {
			const stages = [...new Set(party.map((s) => s.stage))];
			expect(stages).toEqual(['handshake', 'preprocessing', 'computing', 'done']);
			expect(party.at(-1)).toMatchObject({ stage: 'done', preprocessing: 'dealer' });
			expect(party.at(-1)!.bytesSent).toBeGreaterThan(0);
		}
	});

	it('takes OT when the dealer has not joined, leaving nothing for a dealer that comes later', async () => {
		const receivers = new Set<number>();
		const w = world({ interceptor: (_from, to, bytes) => (receivers.add(to), bytes) });
		const inputs = ['5u32', '6u32', '7u32'];
		const { parties } = await runAll(w, sum(inputs));
		for (const outcome of parties) {
			expect(value(outcome)).toBe('18');
			expect(outcome.ok && outcome.value.preprocessing).toBe('ot');
		}
		expect([...receivers].sort()).toEqual([0, 1, 2]);
	});

	it('releases a dealer that has joined when the parties force OT', async () => {
		const settings = sum(['5u32', '6u32', '7u32'], { preprocessing: 'ot' });
		const { parties, dealer } = await runAll(world({ dealer: true }), settings, { dealer: true });
		expect(parties.map(value)).toEqual(['18', '18', '18']);
		expect(dealer).toEqual({ ok: true, value: { used: false } });
	});

	it('runs sealed end to end, with the evaluator and output parties chosen', async () => {
		const settings = sum(['1u32', '2u32', '3u32'], { evaluator: 2, outputParties: [1], preprocessing: 'dealer' });
		const { parties, dealer } = await runAll(world({ dealer: true, key: KEY }), settings, { dealer: true });
		expect(parties.map((o) => o.ok && o.value.output)).toEqual([undefined, { kind: 'value', text: '6' }, undefined]);
		expect(dealer?.ok).toBe(true);
	});

	it('computes a two-party program with constants supplied by each party', async () => {
		const program = `const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;
pub fn main(a: [u16; ROWS_0], b: [u16; ROWS_1]) -> u16 {
    let mut total = 0u16;
    for x in a { total = total + x; }
    for y in b { total = total * 2u16 + y; }
    total
}`;
		const settings: PartySettings[] = [
			{ party: 0, program, input: '[1u16, 2u16]', consts: { ROWS: 2 } },
			{ party: 1, program, input: '[3u16, 4u16, 5u16]', consts: { ROWS: '3' } }
		];
		const { parties } = await runAll(world({ dealer: true }), settings, { dealer: true });
		// ((3·2 + 3)·2 + 4)·2 + 5 = 49
		expect(parties.map(value)).toEqual(['49', '49']);
	});

	it('aborts every party and the dealer when one runs a different program', async () => {
		const settings = sum(['1u32', '2u32', '3u32']);
		settings[2] = { party: 2, program: 'pub fn main(x: u32, y: u32, z: u32) -> u32 { x + y * z }', input: '3u32' };
		const { parties, dealer } = await runAll(world({ dealer: true }), settings, { dealer: true });
		for (const p of [0, 1]) {
			const error = failure(parties[p]);
			expect(error).toBeInstanceOf(MismatchError);
			expect(error).toMatchObject({ check: 'program', party: 2 });
			expect(error.message).toMatch(/^party 2 runs a different program \(circuit hash [0-9a-f]{8}… vs ours [0-9a-f]{8}…\)$/);
		}
		expect(failure(parties[2]).message).toMatch(/^party [01] runs a different program/);
		const dealerError = failure(dealer);
		expect(dealerError).toBeInstanceOf(PeerAbortError);
		expect(dealerError.message).toMatch(/aborted: party \d runs a different program/);
	});

	it('aborts when the parties force different preprocessing, or disagree on the evaluator', async () => {
		const forced = sum(['1u32', '2u32', '3u32']);
		forced[0].preprocessing = 'dealer';
		forced[2].preprocessing = 'ot';
		const first = await runAll(world({ dealer: true }), forced);
		for (const outcome of first.parties) expect(failure(outcome)).toMatchObject({ check: 'preprocessing' });
		expect(failure(first.parties[1]).message).toBe('party 2 forces OT preprocessing, party 0 forces the trusted dealer');

		const evaluators = sum(['1u32', '2u32', '3u32']);
		evaluators[1].evaluator = 1;
		const second = await runAll(world({ dealer: true }), evaluators);
		expect(failure(second.parties[0]).message).toBe('party 1 takes party 1 as the evaluator, we take party 0');
		expect(failure(second.parties[1]).message).toBe('party 0 takes party 0 as the evaluator, we take party 1');
	});

	it('aborts when a party supplies other constants than the program wants', async () => {
		const ours = 'const R: usize = PARTY_1::ROWS;\npub fn main(a: u8, b: [u8; R]) -> u8 { a + b[0] }';
		const theirs = 'const R: usize = PARTY_1::COLS;\npub fn main(a: u8, b: [u8; R]) -> u8 { a + b[0] }';
		const settings: PartySettings[] = [
			{ party: 0, program: ours, input: '1u8' },
			{ party: 1, program: theirs, input: '[2u8]', consts: { COLS: 1 } }
		];
		const { parties } = await runAll(world({ dealer: true }), settings);
		expect(failure(parties[0])).toMatchObject({ check: 'constants', party: 1 });
		expect(failure(parties[0]).message).toBe('party 1 supplied no PARTY_1::ROWS, which our program needs: does it run the same program?');
		// Party 1's own program compiles with what it got; it hears why party 0 stopped.
		expect(failure(parties[1])).toBeInstanceOf(PeerAbortError);
		expect(failure(parties[1]).message).toBe('party 0 aborted: party 1 supplied no PARTY_1::ROWS, which our program needs: does it run the same program?');
	});

	it('refuses a peer that speaks another protocol version', async () => {
		const w = world();
		w.joined.add(1);
		const fake = w.net.channel(1);
		const hello = { kind: 'hello', version: 99, party: 1, parties: 2, evaluator: 0, outputParties: [0, 1], preprocessing: 'auto', consts: {}, nonce: '00' };
		await fake.sendBytesTo(0, Uint8Array.of(...new TextEncoder().encode(JSON.stringify(hello)), 0));
		const program = 'pub fn main(a: u8, b: u8) -> u8 { a + b }';
		const outcome = await settle(runPreparedParty(transport(w, 0), prepareParty({ party: 0, program, input: '1u8' }), { timeoutMs: 1000 }));
		expect(failure(outcome)).toMatchObject({ check: 'protocol version', party: 1 });
		expect(failure(outcome).message).toBe('party 1 speaks protocol version 99, this party version 1: run the same polytune version everywhere');
		// It told the peer (and the dealer) why it stopped.
		const notice = await fake.recvBytesFrom(0);
		expect(notice.at(-1)).toBe(0);
		const abort = await fake.recvBytesFrom(0);
		expect(abort.at(-1)).toBe(1);
		expect(new TextDecoder().decode(abort.subarray(0, -1))).toContain('speaks protocol version 99');
	});

	it('fails every party when the relay alters a sealed message: the one that finds it, then the others by its abort notice', async () => {
		let flipped = false;
		const interceptor: Interceptor = (from, to, bytes, index) => {
			if (from === 1 && to === 0 && index === 3 && !flipped) {
				flipped = true;
				bytes[bytes.length - 1] ^= 1;
			}
			return bytes;
		};
		const { parties, dealer } = await runAll(world({ dealer: true, key: KEY, interceptor }), sum(['1u32', '2u32', '3u32']), { dealer: true, ownAbortsOnly: true });
		expect(flipped).toBe(true);
		const found = failure(parties[0]);
		expect(found).toBeInstanceOf(SealError);
		expect(found.message).toMatch(/^message from party 1 failed authentication/);
		for (const other of [parties[1], parties[2], dealer]) {
			const error = failure(other);
			expect(error).toBeInstanceOf(MpcAbortError);
			expect(error).toMatchObject({ check: 'peer abort', party: 0 });
			expect(error.message).toBe(`party 0 aborted: ${found.message}`);
		}
	});

	it('leaves quietly when cancelled in the waiting room, and reports who never came', async () => {
		const w = world();
		const controller = new AbortController();
		const program = 'pub fn main(a: u8, b: u8, c: u8) -> u8 { a + b + c }';
		const statuses: PartyStatus[] = [];
		const cancelled = settle(runPreparedParty(transport(w, 1), prepareParty({ party: 1, program, input: '1u8' }), { timeoutMs: 1500, signal: controller.signal }));
		const waiting = settle(runPreparedParty(transport(w, 0), prepareParty({ party: 0, program, input: '1u8' }), { timeoutMs: 1500, onStatus: (s) => statuses.push(s) }));
		setTimeout(() => controller.abort(new Error('closed by the user')), 50);
		expect(failure(await cancelled).message).toBe('closed by the user');
		const error = failure(await waiting);
		expect(error).toBeInstanceOf(JoinTimeoutError);
		expect(error.message).toBe("timed out after 1.5 s: parties 1 and 2 have not joined session 'test'");
		expect(statuses.map((s) => s.missing)).toEqual([[2], [1, 2]]);
		// Nothing was sent: a new party 1 can take the slot.
		expect(w.net.totalBytesSent()).toBe(0);
	});

	it('tells the others when a party is cancelled after the handshake began', async () => {
		const w = world();
		w.joined.add(2); // present, but silent
		const controller = new AbortController();
		const program = 'pub fn main(a: u8, b: u8, c: u8) -> u8 { a + b + c }';
		const [one, zero] = [transport(w, 1), transport(w, 0)];
		const cancelled = settle(runPreparedParty(one, prepareParty({ party: 1, program, input: '1u8' }), { timeoutMs: 5000, signal: controller.signal }));
		const waiting = settle(runPreparedParty(zero, prepareParty({ party: 0, program, input: '1u8' }), { timeoutMs: 5000 }));
		setTimeout(() => controller.abort(new Error('closed by the user')), 100);
		expect(failure(await cancelled).message).toBe('closed by the user');
		const error = failure(await waiting);
		expect(error).toBeInstanceOf(PeerAbortError);
		expect(error.message).toBe('party 1 aborted: party 1 cancelled');
	});
});
