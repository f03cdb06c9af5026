import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, packBits, unpackBits } from '../crypto/block';
import type { AuthBits } from './auth';
import { checkFailed } from './errors';
import type { EvaluatorState } from './garble';
import type { Session } from './session';

export interface InputContext {
	readonly session: Session;
	readonly evaluator: number;
	readonly delta: Uint32Array;
	/** Input bits of each party. */
	readonly inputBits: readonly number[];
}

/**
 * Input processing (WRK17 Fig. 2, "Input processing"). For each input wire w of party p, every
 * other party sends p its share of λ_w with the MAC under Δ_p; p checks the MACs, learns λ_w
 * and broadcasts y_w = x_w ⊕ λ_w; after the broadcast check, each garbler sends the evaluator
 * its label L_w,y_w. `masks` holds the shares of λ_w indexed by input wire; `zeroLabels` the
 * garbler's 0-labels of the input wires (null for the evaluator). Returns y for every input wire.
 */
export async function processInputs(
	ctx: InputContext,
	masks: AuthBits,
	myInput: Uint8Array,
	zeroLabels: Uint32Array | null,
	evaluatorState: EvaluatorState | null,
	wireSlot: Uint32Array
): Promise<Uint8Array> {
	const { session, delta, inputBits } = ctx;
	const me = session.me;
	const offsets = inputBits.map((_, p) => inputBits.slice(0, p).reduce((a, b) => a + b, 0));
	const total = inputBits.reduce((a, b) => a + b, 0);
	const sharesBytes = (count: number) => ((count + 7) >> 3) + count * BLOCK_BYTES;

	// Shares of the owner's λ_w with MACs under the owner's key.
	const received = await session.exchange(
		(owner) => {
			const count = inputBits[owner];
			const bits = packBits(masks.bits, offsets[owner], count);
			const macs = new Uint32Array(count * BLOCK_WORDS);
			for (let i = 0; i < count; i++) macs.set(masks.words.subarray(masks.macAt(offsets[owner] + i, owner), masks.macAt(offsets[owner] + i, owner) + BLOCK_WORDS), i * BLOCK_WORDS);
			const message = new Uint8Array(sharesBytes(count));
			message.set(bits);
			message.set(asBytes(macs), bits.length);
			return message;
		},
		() => sharesBytes(inputBits[me]),
		'input mask shares'
	);
	const count = inputBits[me];
	const lambda = masks.bits.slice(offsets[me], offsets[me] + count);
	for (const peer of session.peers) {
		const message = received[peer];
		const packedLength = (count + 7) >> 3;
		const bits = unpackBits(message.subarray(0, packedLength), count);
		const macs = asWords(message.subarray(packedLength));
		for (let i = 0; i < count; i++) {
			const key = masks.keyAt(offsets[me] + i, peer);
			const mask = -bits[i];
			for (let w = 0; w < BLOCK_WORDS; w++) {
				if ((macs[i * BLOCK_WORDS + w] ^ masks.words[key + w] ^ (delta[w] & mask)) !== 0) {
					checkFailed('MAC check', peer, `mask share of input wire ${offsets[me] + i}`);
				}
			}
			lambda[i] ^= bits[i];
		}
	}

	// Broadcast the masked inputs y = x ⊕ λ, then check everyone saw the same.
	const masked = new Uint8Array(count);
	for (let i = 0; i < count; i++) masked[i] = myInput[i] ^ lambda[i];
	const broadcasts = await session.broadcast(packBits(masked), (p) => (inputBits[p] + 7) >> 3, 'masked inputs');
	await session.checkBroadcasts('masked inputs');
	const y = new Uint8Array(total);
	inputBits.forEach((bits, p) => unpackBits(broadcasts[p], bits, y, offsets[p]));

	// Labels of the masked inputs, from every garbler to the evaluator.
	if (zeroLabels) {
		const labels = new Uint32Array(total * BLOCK_WORDS);
		for (let w = 0; w < total; w++) {
			const mask = -y[w];
			for (let i = 0; i < BLOCK_WORDS; i++) labels[w * BLOCK_WORDS + i] = zeroLabels[w * BLOCK_WORDS + i] ^ (delta[i] & mask);
		}
		await session.send(ctx.evaluator, asBytes(labels), 'input labels');
	} else if (evaluatorState) {
		const garblers = session.peers;
		const all = await Promise.all(garblers.map(async (g) => asWords(await session.recv(g, total * BLOCK_BYTES, 'input labels'))));
		const stride = evaluatorState.garblers * BLOCK_WORDS;
		const state = evaluatorState.labels;
		for (let w = 0; w < total; w++) {
			const slot = wireSlot[w];
			evaluatorState.z[slot] = y[w];
			all.forEach((labels, g) => {
				for (let i = 0; i < BLOCK_WORDS; i++) state[slot * stride + g * BLOCK_WORDS + i] = labels[w * BLOCK_WORDS + i];
			});
		}
	}
	return y;
}
