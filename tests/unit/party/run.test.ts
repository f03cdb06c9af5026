import { describe, expect, it } from 'vitest';
import { PeerAbortError } from '../../../src/lib/channel/abortable';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import type { Interceptor } from '../../../src/lib/channel/memory';
import { PeerTimeoutError } from '../../../src/lib/channel/http';
import { SealError } from '../../../src/lib/channel/sealed';
import { compile, evaluateCircuit } from '../../../src/lib/garble';
import { MpcAbortError } from '../../../src/lib/mpc';
import { dealerPublicKey, JoinTimeoutError, MismatchError, newDealerGrant, prepareParty, runDealerOver, runPreparedParty, type PartySettings, type PartyStatus } from '../../../src/lib/party';
import { PROTOCOL_VERSION } from '../../../src/lib/version';
import { failure, KEY, runAll, settle, SLOW_RUN_MS, SUM, sum, timingOut, transport, value, world } from './world';

/** A dealer grant as the session's creator makes it: the parties get the public key, the dealer the secret. */
function grant() {
	const { secret } = newDealerGrant();
	return { secret, dealer: dealerPublicKey(secret) };
}

describe('runPreparedParty and runDealerOver', () => {
	it('computes the three-party sum sealed with the dealer the session grants, every party reporting its stages', async () => {
		const statuses: PartyStatus[][] = [[], [], []];
		const inputs = ['2u32', '10u32', '100u32'];
		const { secret, dealer: granted } = grant();
		const { parties, dealer } = await runAll(world({ key: KEY }), sum(inputs, { dealer: granted }), { dealer: { secret }, statuses });
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

	it('takes OT when the session grants no dealer, leaving nothing for a dealer that comes later', { timeout: SLOW_RUN_MS }, async () => {
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

	it('releases the granted dealer when the parties force OT', { timeout: SLOW_RUN_MS }, async () => {
		const { secret, dealer: granted } = grant();
		const settings = sum(['5u32', '6u32', '7u32'], { preprocessing: 'ot', dealer: granted });
		const { parties, dealer } = await runAll(world({ key: KEY }), settings, { dealer: { secret } });
		expect(parties.map(value)).toEqual(['18', '18', '18']);
		expect(dealer).toEqual({ ok: true, value: { used: false } });
	});

	it('runs in plaintext with a dealer every party chose, with the evaluator and output parties chosen', async () => {
		const settings = sum(['1u32', '2u32', '3u32'], { evaluator: 2, outputParties: [1], preprocessing: 'dealer' });
		const { parties, dealer } = await runAll(world(), settings, { dealer: true });
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
		const { secret, dealer: granted } = grant();
		const { parties } = await runAll(world({ key: KEY }), settings.map((s) => ({ ...s, dealer: granted })), { dealer: { secret } });
		// ((3·2 + 3)·2 + 4)·2 + 5 = 49
		expect(parties.map(value)).toEqual(['49', '49']);
	});

	it('aborts every party and the granted dealer when one runs a different program', async () => {
		const { secret, dealer: granted } = grant();
		const settings = sum(['1u32', '2u32', '3u32'], { dealer: granted });
		settings[2] = { party: 2, program: 'pub fn main(x: u32, y: u32, z: u32) -> u32 { x + y * z }', input: '3u32', dealer: granted };
		const { parties, dealer } = await runAll(world({ key: KEY }), settings, { dealer: { secret } });
		for (const p of [0, 1]) {
			const error = failure(parties[p]);
			expect(error).toBeInstanceOf(MismatchError);
			expect(error).toMatchObject({ check: 'program', party: 2 });
			expect(error.message).toMatch(/^party 2 runs a different program \(circuit hash [0-9a-f]{8}… vs ours [0-9a-f]{8}…\)$/);
		}
		expect(failure(parties[2]).message).toMatch(/^party [01] runs a different program/);
		// The calls reach the dealer with the confirms: it sees that they differ before any abort notice.
		const dealerError = failure(dealer);
		expect(dealerError).toBeInstanceOf(MismatchError);
		expect(dealerError).toMatchObject({ check: 'handshake', party: -1 });
		expect(dealerError.message).toMatch(/^the parties told the dealer of different programs \(party \d and party \d differ\)/);
	});

	it('aborts when the parties force different preprocessing, or disagree on the evaluator', { timeout: SLOW_RUN_MS }, async () => {
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

	it('tells the others that an input is of the wrong type, never the input itself', async () => {
		// With party constants the input is encoded only after the handshake, when the others are there to be told.
		const program = 'const R: usize = PARTY_0::ROWS;\npub fn main(a: [u8; R], b: u8) -> u8 { a[0] + b }';
		const secret = '"17", "42"';
		const settings: PartySettings[] = [
			{ party: 0, program, input: `[${secret}]`, consts: { ROWS: 2 } },
			{ party: 1, program, input: '1u8' }
		];
		const { parties } = await runAll(world(), settings);
		expect(failure(parties[0]).message).toContain('Values are written without quotes: [17, 42]');
		expect(failure(parties[1])).toMatchObject({ check: 'peer abort', party: 0, message: 'party 0 aborted: its input is not a valid [u8; 2]' });
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
		expect(failure(outcome).message).toBe(`party 1 speaks protocol version 99, this party version ${PROTOCOL_VERSION}: run the same polytune version everywhere`);
		// It told the peer (and the dealer) why it stopped.
		const notice = await fake.recvBytesFrom(0);
		expect(notice.at(-1)).toBe(0);
		const abort = await fake.recvBytesFrom(0);
		expect(abort.at(-1)).toBe(255);
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
		const { secret, dealer: granted } = grant();
		const { parties, dealer } = await runAll(world({ key: KEY, interceptor }), sum(['1u32', '2u32', '3u32'], { dealer: granted }), {
			dealer: { secret },
			ownAbortsOnly: true
		});
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
		expect(error.message).toBe("timed out after 1.5 s: party 2 has not joined session 'test'; party 1 joined and left");
		expect(statuses.map((s) => s.missing)).toEqual([[2], [1, 2]]);
		// Nothing was sent: a new party 1 can take the slot.
		expect(w.net.totalBytesSent()).toBe(0);
	});

	it('says that a party that joined but never spoke waits for someone else: a program for more parties', async () => {
		const w = world();
		const three = 'pub fn main(a: u8, b: u8, c: u8) -> u8 { a + b + c }';
		const two = 'pub fn main(a: u8, b: u8) -> u8 { a + b }';
		const waiting = settle(runPreparedParty(transport(w, 0), prepareParty({ party: 0, program: three, input: '1u8' }), { timeoutMs: 2500 }));
		const speaking = settle(runPreparedParty(timingOut(transport(w, 1), 1200), prepareParty({ party: 1, program: two, input: '1u8' }), { timeoutMs: 1200 }));
		const silent = failure(await speaking);
		expect(silent).toBeInstanceOf(PeerTimeoutError);
		expect(silent.message).toBe(
			'timed out waiting for party 0 (handshake: hello): nothing arrived for 1.2 s: it joined, but waits for someone this party does not: do all parties run the same program (for as many parties) with the same preprocessing?'
		);
		expect(failure(await waiting).message).toBe("timed out after 2.5 s: party 2 has not joined session 'test'");
	});

	it('a dealer that saw no party at all says that parties taking OT do not wait for it; one that saw a party does not', async () => {
		const error = failure(await settle(runDealerOver(timingOut(transport(world(), DEALER_PARTY), 800), { parties: 2, timeoutMs: 800 })));
		expect(error).toBeInstanceOf(JoinTimeoutError);
		expect(error.message).toBe(
			"timed out after 800 ms: parties 0 and 1 have not joined session 'test' (if they ran already: parties that chose OT preprocessing do not wait for a dealer; start it before them)"
		);
		const w = world();
		w.joined.add(0); // present, but it never calls
		const sawOne = failure(await settle(runDealerOver(timingOut(transport(w, DEALER_PARTY), 800), { parties: 2, timeoutMs: 800 })));
		expect(sawOne.message).toBe("timed out after 800 ms: party 1 has not joined session 'test'");
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
		expect(error.message).toBe('party 1 cancelled');
	});
});
