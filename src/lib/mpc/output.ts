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
 * For each output wire every party sends each output party its share of λ_w with the MAC
 * under that party's key; the evaluator also sends z_w with the label L^o_w,z_w, which
 * authenticates z_w to output party o (it holds L^o_w,0 and Δ_o). Returns the output bits
 * for an output party, undefined for the others.
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
	const shareBytes = packedLength + count * BLOCK_BYTES;
	const valueBytes = (from: number) => (from === evaluator ? shareBytes : 0);

	const sends = outputParties
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
			const message = new Uint8Array(shareBytes + valueBytes(me));
			message.set(packBits(bits));
			message.set(asBytes(macs), packedLength);
			if (evaluatorState) {
				const z = new Uint8Array(count);
				const labels = new Uint32Array(count * BLOCK_WORDS);
				const stride = evaluatorState.garblers * BLOCK_WORDS;
				const g = o < me ? o : o - 1;
				wires.forEach((w, i) => {
					const slot = wireSlot[w];
					z[i] = evaluatorState.z[slot];
					labels.set(evaluatorState.labels.subarray(slot * stride + g * BLOCK_WORDS, slot * stride + (g + 1) * BLOCK_WORDS), i * BLOCK_WORDS);
				});
				message.set(packBits(z), shareBytes);
				message.set(asBytes(labels), shareBytes + packedLength);
			}
			return session.send(o, message, 'output shares');
		});
	await Promise.all(sends);
	if (!outputParties.includes(me)) return undefined;

	const received = await Promise.all(session.peers.map((p) => session.recv(p, shareBytes + valueBytes(p), 'output shares')));
	const lambdaOf = new Uint8Array(count);
	const z = new Uint8Array(count);
	wires.forEach((w, i) => {
		lambdaOf[i] = lambda.bits[wireSlot[w]];
		if (evaluatorState) z[i] = evaluatorState.z[wireSlot[w]];
	});
	session.peers.forEach((peer, index) => {
		const message = received[index];
		const bits = unpackBits(message.subarray(0, packedLength), count);
		const macs = asWords(message.subarray(packedLength, shareBytes));
		wires.forEach((w, i) => {
			const key = lambda.keyAt(wireSlot[w], peer);
			const mask = -bits[i];
			for (let k = 0; k < BLOCK_WORDS; k++) {
				if ((macs[i * BLOCK_WORDS + k] ^ lambda.words[key + k] ^ (delta[k] & mask)) !== 0) {
					checkFailed('MAC check', peer, `mask share of output wire ${w}`);
				}
			}
			lambdaOf[i] ^= bits[i];
		});
		if (peer === evaluator && zeroLabels) {
			unpackBits(message.subarray(shareBytes, shareBytes + packedLength), count, z);
			const labels = asWords(message.subarray(shareBytes + packedLength));
			wires.forEach((w, i) => {
				const l = wireSlot[w] * BLOCK_WORDS;
				const mask = -z[i];
				for (let k = 0; k < BLOCK_WORDS; k++) {
					if ((labels[i * BLOCK_WORDS + k] ^ zeroLabels[l + k] ^ (delta[k] & mask)) !== 0) {
						checkFailed('output label check', peer, `value of output wire ${w} (its label does not match)`);
					}
				}
			});
		}
	});
	const valueOf = new Map<number, number>();
	wires.forEach((w, i) => valueOf.set(w, z[i] ^ lambdaOf[i]));
	return Uint8Array.from(outputs, (w) => valueOf.get(w)!);
}
