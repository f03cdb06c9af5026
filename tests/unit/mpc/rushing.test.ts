import { describe, expect, it } from 'vitest';
import { asBytes, asWords } from '../../../src/lib/crypto/block';
import { gfMultiply } from '../../../src/lib/crypto/gf128';
import { Prg } from '../../../src/lib/crypto/prg';
import { CHUNK_BITS, Extension } from '../../../src/lib/ot/softspoken';
import { attack, honestOutcomes, type Coalition, type Message } from './adversary';
import { sumCircuit, toBits } from './helpers';

/**
 * Attacks of a rushing adversary on the jointly tossed coins and the commit-then-open checks
 * (WRK17 §3): the coalition reads the honest commitments and openings of a round before it
 * sends its own. Copying them must never let it fix a coin or pass a check.
 *
 * The rounds of OT preprocessing batch 0 (src/lib/mpc/ot-preprocessing.ts), as they travel:
 * OT extension: the ℓ correction columns ‖ the trees' puncturing ‖ KOS coin commitment ‖
 * leaky-AND coin commitment (32 bytes each);
 * challenge: the KOS coin's opening; KOS check: t̃ ‖ x̃ ‖ commitments; key sums, half AND:
 * ρ·32 bytes of key sums ‖ h0 ‖ h1; check commitments, buckets: the commitment (32 bytes) ‖
 * the bucket openings; check: the check values ‖ their randomness ‖ the echo.
 */
const WIDTH = 8;
/** ρ of a run of one batch. */
const RHO = 40;
const inputsFor = (parties: number) => Array.from({ length: parties }, (_, p) => toBits((37 * (p + 1) + 11) & 0xff, WIDTH));
const round = (step: string) => `preprocessing 0 (${step})`;

/** The index of `message` among those of its phase and direction the coalition has seen. */
function indexOf(message: Message, messages: readonly Message[]): number {
	return messages.filter((m) => m.phase === message.phase && m.from === message.from && m.to === message.to).length - 1;
}

/** The same-numbered message in `message`'s phase that the honest `from` sent to `message`'s sender. */
async function honestCounterpart(message: Message, coalition: Coalition, from: number): Promise<Message> {
	await coalition.rush();
	const nth = indexOf(message, coalition.sent);
	const theirs = coalition.received.filter((m) => m.phase === message.phase && m.from === from && m.to === message.from)[nth];
	if (!theirs) throw new Error(`no '${message.phase}' message ${nth} from party ${from} to party ${message.from}`);
	return theirs;
}

/** `payload` with bytes [start, start + length) taken from `source`. */
function withRange(payload: Uint8Array, source: Uint8Array, start: number, length: number): Uint8Array {
	const out = payload.slice();
	out.set(source.subarray(start, start + length), start);
	return out;
}

/**
 * A key sums and half-AND message with every h0 and h1 bit flipped: the receiver's v, hence its
 * z share, flips in every leaky triple, and so does the e it broadcasts: consistent but wrong
 * triples (z ≠ x·y).
 */
function flipHalfAnd(payload: Uint8Array): Uint8Array {
	const out = payload.slice();
	for (let i = RHO * 32; i < out.length; i++) out[i] ^= 0xff;
	return out;
}

describe('a rushing adversary copies honest commitments', { timeout: 60_000 }, () => {
	it('cannot make the leaky-AND check pass on triples it corrupted (2 parties, OT)', async () => {
		const honest = 0;
		const cheater = 1;
		const circuit = sumCircuit(2, WIDTH);
		const result = await attack(circuit, inputsFor(2), { preprocessing: 'ot' }, [cheater], {
			async send(message, coalition) {
				if (message.to !== honest) return undefined;
				// The honest party's own commitment and opening, so that the check sums cancel.
				if (message.phase === round('check commitments, buckets')) return [withRange(message.payload, (await honestCounterpart(message, coalition, honest)).payload, 0, 32)];
				if (message.phase === round('check')) return [(await honestCounterpart(message, coalition, honest)).payload];
				return undefined;
			},
			async deliver(message, coalition) {
				if (message.phase === round('key sums, half AND')) return [flipHalfAnd(message.payload)];
				// Keep the cheater's own code past its check: it sees its own values as the peer's.
				const own = () => coalition.own(message.phase, cheater, honest, indexOf(message, coalition.received));
				if (message.phase === round('check commitments, buckets')) return [withRange(message.payload, (await own()).payload, 0, 32)];
				if (message.phase === round('check')) return [(await own()).payload];
				return undefined;
			}
		});
		const { aborted } = honestOutcomes(result);
		expect(aborted.map((e) => e.check)).toEqual(['commitment check']);
		expect(aborted[0].party).toBe(cheater);
	});

	for (const parties of [2, 3, 5]) {
		it(`cannot force the coin of the KOS challenge (${parties} parties, coalition of ${parties - 1}, OT)`, async () => {
			const honest = 0;
			const copier = 1;
			const circuit = sumCircuit(parties, WIDTH);
			const corrupted = Array.from({ length: parties - 1 }, (_, i) => i + 1);
			// The KOS coin's commitment sits 64 bytes before the end of the OT-extension message;
			// the copier sends everyone the honest party's commitment and, next round, its opening,
			// so that they cancel. Its own code is shown its own values as the honest party's, so
			// that it computes the forced coin as everyone else does.
			const commitmentAt = (payload: Uint8Array) => payload.length - 64;
			const result = await attack(circuit, inputsFor(parties), { preprocessing: 'ot' }, corrupted, {
				async send(message, coalition) {
					if (message.from !== copier) return undefined;
					if (message.phase === round('OT extension')) {
						return [withRange(message.payload, (await honestCounterpart(message, coalition, honest)).payload, commitmentAt(message.payload), 32)];
					}
					if (message.phase === round('challenge')) return [(await honestCounterpart(message, coalition, honest)).payload];
					return undefined;
				},
				async deliver(message, coalition) {
					if (message.to !== copier) return undefined;
					const own = () => coalition.own(message.phase, copier, honest, indexOf(message, coalition.received));
					if (message.phase === round('OT extension')) return [withRange(message.payload, (await own()).payload, commitmentAt(message.payload), 32)];
					if (message.phase === round('challenge')) return [(await own()).payload];
					return undefined;
				}
			});
			const { aborted } = honestOutcomes(result);
			expect(aborted.map((e) => e.check)).toEqual(['commitment check']);
			expect(aborted[0].party).toBe(copier);
		});
	}
});

/** χ^power in GF(2^128), χ the KOS challenge drawn from `coin` (ot/kos.ts CheckHash). */
function challengePower(coin: Uint32Array, power: number): Uint32Array {
	const chi = new Prg(coin).blocks(1);
	const result = Uint32Array.of(1, 0, 0, 0);
	for (let i = 0; i < power; i++) gfMultiply(result, 0, chi, 0, result, 0);
	return result;
}

describe('a party that uses different bits with different peers', { timeout: 60_000 }, () => {
	it('is caught by the x̃ consistency check before any half-AND message is sent (3 parties, OT)', async () => {
		const cheater = 1;
		const victim = 2;
		const circuit = sumCircuit(3, WIDTH);
		// The cheater flips row 0 of every correction column it sends the victim (its choice bit 0
		// differs between its peers) and answers the victim's KOS check with the x̃ that matches:
		// every pairwise check passes; only the comparison of x̃ across parties can tell.
		let rows = 0;
		const { chunks, puncturingBytes } = new Extension(CHUNK_BITS);
		const result = await attack(circuit, inputsFor(3), { preprocessing: 'ot' }, [cheater], {
			async send(message, coalition) {
				if (message.to !== victim) return undefined;
				if (message.phase === round('OT extension')) {
					rows = ((message.payload.length - 64 - puncturingBytes) * 8) / chunks.length;
					const out = message.payload.slice();
					for (let column = 0; column < chunks.length; column++) out[(column * rows) / 8] ^= 1;
					return [out];
				}
				if (message.phase === round('KOS check')) {
					await coalition.rush();
					const openings = [...coalition.received, ...coalition.sent].filter((m) => m.phase === round('challenge') && (m.to === victim || m.from !== cheater));
					const coin = new Uint8Array(16);
					for (const party of [0, cheater, victim]) {
						const opening = openings.find((m) => m.from === party)!;
						for (let i = 0; i < 16; i++) coin[i] ^= opening.payload[i];
					}
					const shift = asBytes(challengePower(asWords(coin), rows));
					const out = message.payload.slice();
					for (let i = 0; i < 16; i++) out[16 + i] ^= shift[i];
					return [out];
				}
				return undefined;
			}
		});
		const { aborted } = honestOutcomes(result);
		expect(aborted.map((e) => e.check)).toEqual(['broadcast consistency', 'broadcast consistency']);
		expect(result.received.filter((m) => m.phase.includes('half AND') || m.phase.includes('leaky AND'))).toEqual([]);
	});
});
