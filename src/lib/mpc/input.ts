import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, blockEqualsOffset, packBits, unpackBits } from '../crypto/block';
import type { AuthBits } from './auth';
import { Echo } from './echo';
import { checkFailed } from './errors';
import type { EvaluatorState } from './garble';
import type { InputMasks } from './preprocessing';
import type { Session } from './session';
import { STREAM } from './streams';

export interface InputContext {
	readonly session: Session;
	readonly evaluator: number;
	readonly delta: Uint32Array;
	/** Input bits of each party. */
	readonly inputBits: readonly number[];
	/** Called once every party's masked inputs are in: from then on no party can change its input. */
	readonly fixed?: () => void;
}

/**
 * Input processing (WRK17 Fig. 2, "Input processing"), on its own stream. For each input wire
 * w of party p, every other party sends p its share of λ_w with the MAC under Δ_p; p checks
 * the MACs and learns λ_w (or the trusted dealer told p its λ_w: `masks.own`). p broadcasts
 * y_w = x_w ⊕ λ_w; then every party sends its echo of the broadcasts and each garbler sends the
 * evaluator its label L_w,y_w of every input wire at the same time. The evaluator compares the
 * echoes before it takes the labels, so an owner that sent different y to different parties
 * is caught before any label is used. `zeroLabels` are the garbler's 0-labels of the input
 * wires (null for the evaluator). Returns y for every input wire.
 */
export async function processInputs(
	ctx: InputContext,
	masks: InputMasks,
	myInput: Uint8Array,
	zeroLabels: Uint32Array | null,
	evaluatorState: EvaluatorState | null,
	wireSlot: Uint32Array
): Promise<Uint8Array> {
	const { session, delta, inputBits } = ctx;
	const me = session.me;
	const offsets = inputBits.map((_, p) => inputBits.slice(0, p).reduce((a, b) => a + b, 0));
	const total = inputBits.reduce((a, b) => a + b, 0);
	const count = inputBits[me];
	const lambda = masks.own ?? (await ownMasks(ctx, masks.masks, offsets));

	const masked = new Uint8Array(count);
	for (let i = 0; i < count; i++) masked[i] = myInput[i] ^ lambda[i];
	const echo = new Echo(session);
	const broadcasts = await session.broadcast(packBits(masked), (p) => (inputBits[p] + 7) >> 3, 'masked inputs', STREAM.inputs, echo);
	const y = new Uint8Array(total);
	inputBits.forEach((bits, p) => unpackBits(broadcasts[p], bits, y, offsets[p]));
	ctx.fixed?.();

	const mine = echo.take();
	const labelsOut = zeroLabels ? labelsOf(zeroLabels, y, delta) : null;
	await Promise.all([
		mine.length > 0 ? session.sendToAll(() => mine, 'masked inputs (broadcast check)', STREAM.inputs) : Promise.resolve(),
		labelsOut ? session.send(ctx.evaluator, labelsOut, 'input labels', STREAM.inputs) : Promise.resolve()
	]);
	if (mine.length > 0) echo.verify(mine, await session.receiveFromAll(() => mine.length, 'masked inputs (broadcast check)', STREAM.inputs), 'masked inputs');
	if (evaluatorState) {
		const garblers = session.peers;
		const all = await Promise.all(garblers.map(async (g) => asWords(await session.recv(g, total * BLOCK_BYTES, 'input labels', STREAM.inputs))));
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

/** λ_w of this party's input wires, from every peer's share and MAC (checked against our keys). */
async function ownMasks(ctx: InputContext, masks: AuthBits, offsets: number[]): Promise<Uint8Array> {
	const { session, delta, inputBits } = ctx;
	const me = session.me;
	const sharesBytes = (count: number) => ((count + 7) >> 3) + count * BLOCK_BYTES;
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
		'input mask shares',
		STREAM.inputs
	);
	const count = inputBits[me];
	const lambda = masks.bits.slice(offsets[me], offsets[me] + count);
	for (const peer of session.peers) {
		const message = received[peer];
		const packedLength = (count + 7) >> 3;
		const bits = unpackBits(message.subarray(0, packedLength), count);
		const macs = asWords(message.subarray(packedLength));
		for (let i = 0; i < count; i++) {
			if (!blockEqualsOffset(macs, i * BLOCK_WORDS, masks.words, masks.keyAt(offsets[me] + i, peer), delta, bits[i])) {
				checkFailed('MAC check', peer, `mask share of input wire ${offsets[me] + i}`);
			}
			lambda[i] ^= bits[i];
		}
	}
	return lambda;
}

/** The garbler's label L_w,y_w = L_w,0 ⊕ y_w·Δ of every input wire. */
function labelsOf(zeroLabels: Uint32Array, y: Uint8Array, delta: Uint32Array): Uint8Array {
	const labels = new Uint32Array(y.length * BLOCK_WORDS);
	for (let w = 0; w < y.length; w++) {
		const mask = -y[w];
		for (let i = 0; i < BLOCK_WORDS; i++) labels[w * BLOCK_WORDS + i] = zeroLabels[w * BLOCK_WORDS + i] ^ (delta[i] & mask);
	}
	return asBytes(labels);
}
