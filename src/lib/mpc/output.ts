import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, packBits, unpackBits } from '../crypto/block';
import type { AuthBits } from './auth';
import { checkFailed } from './errors';
import type { EvaluatorState } from './garble';
import type { Session } from './session';

export interface OutputContext {
	readonly session: Session;
	readonly evaluator: number;
	readonly delta: Uint32Array;
	readonly outputParties: readonly number[];
}

/**
 * Output determination (WRK17 Fig. 2, "Output processing", for any set of output parties).
 *
 * 1. The evaluator sends every garbler j the masked values z_w of the output wires with its
 *    labels L^j_w,z; j holds L^j_w,0 and Δ_j, so this authenticates z_w, and j stops here if
 *    it does not match. Every garbler checks, not only output parties: an evaluator whose own
 *    shares were corrupted cannot then pass a wrong z to itself. z alone reveals nothing
 *    (λ_w is still secret).
 * 2. Every party sends each output party its shares of λ_w with the MACs under that party's
 *    key; the output party checks them and computes z_w ⊕ λ_w.
 * 3. Everyone confirms to everyone that its checks passed, and returns only with every
 *    confirmation: a check that fails anywhere makes every party abort (a peer that withholds
 *    its confirmation can still deny the others their output; fairness is out of reach).
 * Returns the output bits for an output party, undefined for the others.
 */
export async function processOutputs(
	ctx: OutputContext,
	outputs: Uint32Array,
	wireSlot: Uint32Array,
	lambda: AuthBits,
	zeroLabels: Uint32Array | null,
	evaluatorState: EvaluatorState | null
): Promise<Uint8Array | undefined> {
	const { session, evaluator, delta, outputParties } = ctx;
	const me = session.me;
	const wires = Uint32Array.from(new Set(outputs)).sort();
	const count = wires.length;
	const packedLength = (count + 7) >> 3;
	const valueBytes = packedLength + count * BLOCK_BYTES;

	// Step 1: masked output values, authenticated by labels.
	const z = new Uint8Array(count);
	if (evaluatorState) {
		wires.forEach((w, i) => (z[i] = evaluatorState.z[wireSlot[w]]));
		const stride = evaluatorState.garblers * BLOCK_WORDS;
		await Promise.all(
			session.peers.map((garbler) => {
				const g = garbler < me ? garbler : garbler - 1;
				const labels = new Uint32Array(count * BLOCK_WORDS);
				wires.forEach((w, i) => labels.set(evaluatorState.labels.subarray(wireSlot[w] * stride + g * BLOCK_WORDS, wireSlot[w] * stride + (g + 1) * BLOCK_WORDS), i * BLOCK_WORDS));
				const message = new Uint8Array(valueBytes);
				message.set(packBits(z));
				message.set(asBytes(labels), packedLength);
				return session.send(garbler, message, 'output values');
			})
		);
	} else if (zeroLabels) {
		const message = await session.recv(evaluator, valueBytes, 'output values');
		unpackBits(message.subarray(0, packedLength), count, z);
		const labels = asWords(message.subarray(packedLength));
		wires.forEach((w, i) => {
			const l = wireSlot[w] * BLOCK_WORDS;
			const mask = -z[i];
			for (let k = 0; k < BLOCK_WORDS; k++) {
				if ((labels[i * BLOCK_WORDS + k] ^ zeroLabels[l + k] ^ (delta[k] & mask)) !== 0) {
					checkFailed('output label check', evaluator, `value of output wire ${w} (its label does not match)`);
				}
			}
		});
	}

	// Step 2: shares of the output masks λ_w with MACs, to every output party.
	const shareBytes = packedLength + count * BLOCK_BYTES;
	await Promise.all(
		outputParties
			.filter((o) => o !== me)
			.map((o) => {
				const bits = new Uint8Array(count);
				const macs = new Uint32Array(count * BLOCK_WORDS);
				wires.forEach((w, i) => {
					const slot = wireSlot[w];
					bits[i] = lambda.bits[slot];
					const m = lambda.macAt(slot, o);
					for (let k = 0; k < BLOCK_WORDS; k++) macs[i * BLOCK_WORDS + k] = lambda.words[m + k];
				});
				const message = new Uint8Array(shareBytes);
				message.set(packBits(bits));
				message.set(asBytes(macs), packedLength);
				return session.send(o, message, 'output shares');
			})
	);
	if (!outputParties.includes(me)) {
		await confirm(session);
		return undefined;
	}

	const received = await Promise.all(session.peers.map((p) => session.recv(p, shareBytes, 'output shares')));
	const theirMacs = received.map((message) => asWords(message.subarray(packedLength)));
	const valueOf = new Map<number, number>();
	wires.forEach((w, i) => {
		let bit = z[i] ^ lambda.bits[wireSlot[w]];
		session.peers.forEach((peer, index) => {
			const message = received[index];
			const share = (message[i >> 3] >> (i & 7)) & 1;
			const macs = theirMacs[index];
			const key = lambda.keyAt(wireSlot[w], peer);
			const mask = -share;
			for (let k = 0; k < BLOCK_WORDS; k++) {
				if ((macs[i * BLOCK_WORDS + k] ^ lambda.words[key + k] ^ (delta[k] & mask)) !== 0) {
					checkFailed('MAC check', peer, `mask share of output wire ${w}`);
				}
			}
			bit ^= share;
		});
		valueOf.set(w, bit);
	});
	await confirm(session);
	return Uint8Array.from(outputs, (w) => valueOf.get(w)!);
}

const CONFIRMED = Uint8Array.of(1);

async function confirm(session: Session): Promise<void> {
	const answers = await session.exchange(() => CONFIRMED, () => 1, 'output confirmation');
	for (const peer of session.peers) {
		if (answers[peer][0] !== 1) checkFailed('output confirmation', peer, 'confirmation (malformed)');
	}
}
