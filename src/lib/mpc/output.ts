import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, blockEqualsOffset, packBits, unpackBits } from '../crypto/block';
import type { AuthBits } from './auth';
import { checkFailed, labelCheckFailed } from './errors';
import type { EvaluatorState } from './garble';
import type { Session } from './session';
import { STREAM } from './streams';

export interface OutputContext {
	readonly session: Session;
	readonly evaluator: number;
	readonly delta: Uint32Array;
	readonly outputParties: readonly number[];
	/** The circuit's output wires, in order (a wire may repeat). */
	readonly outputs: Uint32Array;
	/** State slot of every wire. */
	readonly wireSlot: Uint32Array;
	/** Called once this party's checks have passed, right after it sent its confirmation. */
	readonly confirmed: () => Promise<void>;
}

const CONFIRMED = Uint8Array.of(1);

/**
 * Output determination (WRK17 Fig. 2, "Output processing", for any set of output parties), on
 * its own stream, in three steps that start as soon as each can:
 *
 * 1. `sendMaskShares`, once the masks of the output wires are known (before evaluation ends):
 *    every party sends each output party its shares of λ_w with the MACs under that party's
 *    key; the output party checks them.
 * 2. `finish`: the evaluator sends every garbler j the masked values z_w of the output wires
 *    with its labels L^j_w,z; j holds L^j_w,0 and Δ_j, so this authenticates z_w, and j stops
 *    if it does not match. Every garbler checks, not only output parties: an evaluator whose own
 *    shares were corrupted cannot then pass a wrong z to itself. z alone reveals nothing.
 * 3. Every party tells everyone once its own checks passed (the evaluator with its values, a
 *    garbler after the label check), and returns only with every confirmation: a check that
 *    fails anywhere makes every party abort (a peer that withholds its confirmation can still
 *    deny the others their output; fairness is out of reach).
 * An output party's result is z_w ⊕ λ_w; the others get undefined.
 */
export class OutputPhase {
	private readonly wires: Uint32Array;
	private readonly packedLength: number;
	private readonly shareBytes: number;

	constructor(private readonly ctx: OutputContext) {
		this.wires = Uint32Array.from(new Set(ctx.outputs)).sort();
		this.packedLength = (this.wires.length + 7) >> 3;
		this.shareBytes = this.packedLength + this.wires.length * BLOCK_BYTES;
	}

	/** Step 1: this party's shares of the output masks, with MACs, to every other output party. */
	async sendMaskShares(lambda: AuthBits): Promise<void> {
		const { session, outputParties, wireSlot } = this.ctx;
		const count = this.wires.length;
		await Promise.all(
			outputParties
				.filter((o) => o !== session.me)
				.map((o) => {
					const bits = new Uint8Array(count);
					const macs = new Uint32Array(count * BLOCK_WORDS);
					this.wires.forEach((w, i) => {
						const slot = wireSlot[w];
						bits[i] = lambda.bits[slot];
						const m = lambda.macAt(slot, o);
						for (let k = 0; k < BLOCK_WORDS; k++) macs[i * BLOCK_WORDS + k] = lambda.words[m + k];
					});
					const message = new Uint8Array(this.shareBytes);
					message.set(packBits(bits));
					message.set(asBytes(macs), this.packedLength);
					return session.send(o, message, 'output shares', STREAM.outputs);
				})
		);
	}

	/** Steps 2 and 3, once evaluation is over (the evaluator's state) or the tables are sent (a garbler's 0-labels). */
	async finish(lambda: AuthBits, zeroLabels: Uint32Array | null, evaluatorState: EvaluatorState | null): Promise<Uint8Array | undefined> {
		const { session, evaluator, delta, outputParties, wireSlot, outputs } = this.ctx;
		const me = session.me;
		const wires = this.wires;
		const count = wires.length;
		const valueBytes = this.packedLength + count * BLOCK_BYTES;
		const isOutputParty = outputParties.includes(me);
		const shares = isOutputParty ? this.receiveShares(lambda) : null;
		// Awaited below; a failed check must not go unhandled meanwhile.
		shares?.catch(() => {});

		const z = new Uint8Array(count);
		if (evaluatorState) {
			wires.forEach((w, i) => (z[i] = evaluatorState.z[wireSlot[w]]));
			const stride = evaluatorState.garblers * BLOCK_WORDS;
			// The evaluator's checks end with the mask shares: then it confirms along with its values.
			const checkedShares = await shares;
			await Promise.all(
				session.peers.map(async (garbler) => {
					const g = garbler < me ? garbler : garbler - 1;
					const labels = new Uint32Array(count * BLOCK_WORDS);
					wires.forEach((w, i) => labels.set(evaluatorState.labels.subarray(wireSlot[w] * stride + g * BLOCK_WORDS, wireSlot[w] * stride + (g + 1) * BLOCK_WORDS), i * BLOCK_WORDS));
					const message = new Uint8Array(valueBytes);
					message.set(packBits(z));
					message.set(asBytes(labels), this.packedLength);
					await session.send(garbler, message, 'output values', STREAM.outputs);
					await session.send(garbler, CONFIRMED, 'output confirmation', STREAM.outputs);
				})
			);
			await this.ctx.confirmed();
			await this.awaitConfirmations();
			return checkedShares ? outputBits(outputs, wires, z, checkedShares) : undefined;
		}
		const message = await session.recv(evaluator, valueBytes, 'output values', STREAM.outputs);
		unpackBits(message.subarray(0, this.packedLength), count, z);
		const labels = asWords(message.subarray(this.packedLength));
		wires.forEach((w, i) => {
			if (!blockEqualsOffset(labels, i * BLOCK_WORDS, zeroLabels!, wireSlot[w] * BLOCK_WORDS, delta, z[i])) {
				labelCheckFailed('output label check', evaluator, session.parties, `value of output wire ${w} (its label does not match)`);
			}
		});
		const checkedShares = await shares;
		await session.sendToAll(() => CONFIRMED, 'output confirmation', STREAM.outputs);
		await this.ctx.confirmed();
		await this.awaitConfirmations();
		return checkedShares ? outputBits(outputs, wires, z, checkedShares) : undefined;
	}

	/** Every peer's shares of the output masks, checked against our keys: λ_w ⊕ (our share) per wire. */
	private async receiveShares(lambda: AuthBits): Promise<Uint8Array> {
		const { session, delta, wireSlot } = this.ctx;
		const wires = this.wires;
		const received = await session.receiveFromAll(() => this.shareBytes, 'output shares', STREAM.outputs);
		// Once per peer: a misaligned message's MACs are copied into words of their own.
		const macsOf = new Map(session.peers.map((peer) => [peer, asWords(received[peer].subarray(this.packedLength))]));
		const masks = new Uint8Array(wires.length);
		wires.forEach((w, i) => {
			let bit = lambda.bits[wireSlot[w]];
			for (const peer of session.peers) {
				const share = (received[peer][i >> 3] >> (i & 7)) & 1;
				if (!blockEqualsOffset(macsOf.get(peer)!, i * BLOCK_WORDS, lambda.words, lambda.keyAt(wireSlot[w], peer), delta, share)) {
					checkFailed('MAC check', peer, `mask share of output wire ${w}`);
				}
				bit ^= share;
			}
			masks[i] = bit;
		});
		return masks;
	}

	private async awaitConfirmations(): Promise<void> {
		const { session } = this.ctx;
		const answers = await session.receiveFromAll(() => 1, 'output confirmation', STREAM.outputs);
		for (const peer of session.peers) {
			if (answers[peer][0] !== 1) checkFailed('output confirmation', peer, 'confirmation (malformed)');
		}
	}
}

/** The output bits, wire by wire in the circuit's order: z_w ⊕ λ_w. */
function outputBits(outputs: Uint32Array, wires: Uint32Array, z: Uint8Array, masks: Uint8Array): Uint8Array {
	const valueOf = new Map<number, number>();
	wires.forEach((w, i) => valueOf.set(w, z[i] ^ masks[i]));
	return Uint8Array.from(outputs, (w) => valueOf.get(w)!);
}
