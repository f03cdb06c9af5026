// The call to the dealer: along with the hello where the program needs no one's constants, so
// that the dealer answers with the confirms; its dealer hello names the transcript of the hellos
// whose hashes the calls carry, which every party checks against the hellos it has.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import type { Interceptor } from '../../../src/lib/channel/memory';
import { MpcAbortError } from '../../../src/lib/mpc';
import { dealerPublicKey, HandshakeError, MismatchError, newDealerGrant, UntrustedDealerError } from '../../../src/lib/party';
import { failure, KEY, ROWS, runAll, sum, value, world } from './world';

const CHEATER = 2;

/** The JSON of a handshake message as the channel carries it (its stream tag last), a field changed. */
function withField(bytes: Uint8Array, field: string, change: (value: string) => string): Uint8Array {
	const message = JSON.parse(new TextDecoder().decode(bytes.subarray(0, -1))) as Record<string, string>;
	return Uint8Array.of(...new TextEncoder().encode(JSON.stringify({ ...message, [field]: change(message[field]) })), bytes[bytes.length - 1]);
}

const flipFirst = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);

/** The run's transcript from the hellos' hashes, as handshake.ts computes it: SHA-256 over each hash behind its length. */
function transcriptOfHashes(hashes: readonly string[]): string {
	const hash = sha256.create();
	for (const h of hashes) hash.update(Uint8Array.of(0, 0, 0, 32)).update(hexToBytes(h));
	return bytesToHex(hash.digest());
}

/** The handshake messages as the parties sent them, in order: who, to whom, which kind. */
function handshakeLog(): { interceptor: Interceptor; sent: { from: number; to: number; kind: string }[] } {
	const sent: { from: number; to: number; kind: string }[] = [];
	const interceptor: Interceptor = (from, to, bytes) => {
		const text = new TextDecoder().decode(bytes.subarray(0, -1));
		if (text.startsWith('{"kind":')) sent.push({ from, to, kind: (JSON.parse(text) as { kind: string }).kind });
		return bytes;
	};
	return { interceptor, sent };
}

/** Where in `sent` party `from` first sent a message of `kind`. */
const firstOf = (sent: ReturnType<typeof handshakeLog>['sent'], from: number, kind: string) => sent.findIndex((m) => m.from === from && m.kind === kind);

describe('the call to the dealer', () => {
	it('goes with the hello where the program needs no constants, and the run computes the right sum', async () => {
		const { interceptor, sent } = handshakeLog();
		const { parties, dealer } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer' }), { dealer: true });
		for (const outcome of parties) expect(value(outcome)).toBe('6');
		expect(dealer?.ok).toBe(true);
		for (const party of [0, 1, 2]) {
			expect(firstOf(sent, party, 'dealer'), `party ${party} called the dealer`).toBeGreaterThan(firstOf(sent, party, 'hello'));
			expect(firstOf(sent, party, 'dealer'), `party ${party} called the dealer before its confirms`).toBeLessThan(firstOf(sent, party, 'confirm'));
		}
	});

	it('naming another hello than the party sent its peers: the honest parties stop at the dealer’s hello, seeing whose', async () => {
		const interceptor: Interceptor = (from, to, bytes, index) => (from === CHEATER && to === DEALER_PARTY && index === 0 ? withField(bytes, 'hello', flipFirst) : bytes);
		const { parties } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer' }), { dealer: true });
		for (const party of [0, 1]) {
			const error = failure(parties[party]);
			expect(error).toBeInstanceOf(MismatchError);
			// A lie in a call and a replaying relay look the same to a party: it names nobody, and says whose hello differs.
			expect(error).toMatchObject({ check: 'handshake', party: -1 });
			expect(error.message).toMatch(
				new RegExp(`^the dealer answered another run \\(transcript [0-9a-f]{8}… vs ours [0-9a-f]{8}…\\): it was told of other hellos from party ${CHEATER} than we have: a party told the dealer of another hello than it sent its peers`)
			);
		}
	});

	it('with a grant, a dealer hello that names other hellos is first checked for the dealer’s signature', async () => {
		// The relay (or a key holder with its help) forges the dealer's hello: another hash for party 2's hello, the transcript to match, no signature.
		const { secret } = newDealerGrant();
		const forge = (bytes: Uint8Array): Uint8Array => {
			const message = JSON.parse(new TextDecoder().decode(bytes.subarray(0, -1))) as { hellos: string[]; transcript: string; signature?: string };
			expect(transcriptOfHashes(message.hellos), 'the forger computes transcripts as the parties do').toBe(message.transcript);
			const hellos = message.hellos.map((h, p) => (p === 2 ? flipFirst(h) : h));
			const { signature: _, ...unsigned } = { ...message, hellos, transcript: transcriptOfHashes(hellos) };
			return Uint8Array.of(...new TextEncoder().encode(JSON.stringify(unsigned)), bytes[bytes.length - 1]);
		};
		const interceptor: Interceptor = (from, _to, bytes, index) => (from === DEALER_PARTY && index === 0 ? forge(bytes) : bytes);
		const { parties } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer', dealer: dealerPublicKey(secret) }), { dealer: { secret } });
		for (const party of [0, 1, 2]) {
			const error = failure(parties[party]);
			expect(error).toBeInstanceOf(UntrustedDealerError);
			expect(error).toMatchObject({ reason: 'unsigned' });
		}
	});

	it('a dealer hello whose hellos do not hash to its transcript is refused', async () => {
		const interceptor: Interceptor = (from, to, bytes, index) =>
			from === DEALER_PARTY && index === 0 ? withField(bytes, 'transcript', flipFirst) : bytes;
		const { parties } = await runAll(world({ interceptor }), sum(['1u32', '2u32', '3u32'], { preprocessing: 'dealer' }), { dealer: true });
		for (const party of [0, 1, 2]) {
			const error = failure(parties[party]);
			expect(error).toBeInstanceOf(HandshakeError);
			expect(error).toMatchObject({ party: DEALER_PARTY });
			expect(error.message).toMatch(/its hello names a transcript that is not the hash of the hellos it names$/);
		}
	});

	it('with a session key, a party that stops after its call tells the dealer why', async () => {
		// Party 2 runs with another evaluator: every party finds that in the hellos, after its call to the dealer left with its hello.
		const { secret } = newDealerGrant();
		const settings = sum(['1u32', '2u32', '3u32'], { dealer: dealerPublicKey(secret) }).map((s) => (s.party === 2 ? { ...s, evaluator: 1 } : s));
		const { parties, dealer } = await runAll(world({ key: KEY }), settings, { dealer: { secret }, ownAbortsOnly: true });
		for (const outcome of parties) expect(failure(outcome)).toBeInstanceOf(MismatchError);
		const error = failure(dealer);
		expect(error).toBeInstanceOf(MpcAbortError);
		expect(error).toMatchObject({ check: 'peer abort' });
		expect(error.message).toMatch(/^party [012] aborted: .*evaluator/);
	});

	it('goes with the confirm where the program needs the parties’ constants, naming the transcript as well', async () => {
		const settings = [
			{ party: 0, program: ROWS, input: '[1u8, 2u8]', consts: { ROWS: 2 }, preprocessing: 'dealer' as const },
			{ party: 1, program: ROWS, input: '[3u8]', consts: { ROWS: 1 }, preprocessing: 'dealer' as const }
		];
		const { interceptor: logging, sent } = handshakeLog();
		const { parties } = await runAll(world({ interceptor: logging }), settings, { dealer: true });
		for (const outcome of parties) expect(value(outcome)).toBe('6');
		for (const party of [0, 1]) expect(firstOf(sent, party, 'dealer'), `party ${party} called the dealer after its confirm`).toBeGreaterThan(firstOf(sent, party, 'confirm'));

		// Party 1's call names another transcript, or another hello, than the others': the dealer
		// stops, naming nobody (it cannot tell who lies; an honest party's call differs when another lies about its hello).
		for (const field of ['transcript', 'hello']) {
			const interceptor: Interceptor = (from, to, bytes, index) => (from === 1 && to === DEALER_PARTY && index === 0 ? withField(bytes, field, flipFirst) : bytes);
			const { dealer } = await runAll(world({ interceptor }), settings, { dealer: true });
			const error = failure(dealer);
			expect(error, field).toBeInstanceOf(MismatchError);
			expect(error, field).toMatchObject({ check: 'handshake', party: -1 });
			expect(error.message, field).toBe(
				'the parties told the dealer of different hellos: the transcripts their calls name are not that of the hellos the calls name (a party told the dealer of another hello than it sent its peers)'
			);
		}
	});
});
