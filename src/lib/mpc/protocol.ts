import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { BLOCK_WORDS } from '../crypto/block';
import { Prg } from '../crypto/prg';
import { GATE_AND, GATE_NOT, GATE_XOR, type Bits, type Circuit } from '../garble/circuit';
import { AuthBits } from './auth';
import { beaverMultiply } from './beaver';
import { DealerPreprocessing } from './dealer';
import { MpcAbortError } from './errors';
import { EvaluatorState, evaluateAnds, GarbleScratch, garbleAnds, gateWords, type GarbleContext, type SegmentAnds } from './garble';
import { processInputs } from './input';
import { OtPreprocessing } from './ot-preprocessing';
import { processOutputs } from './output';
import { CONSTANT_HOLDER, type Preprocessing } from './preprocessing';
import { prepareCircuit, type PreparedCircuit } from './prepare';
import type { Schedule } from './schedule';
import { Session, type MpcProgress } from './session';

export interface MpcOptions {
	/** This party's index, 0 … (number of parties − 1). */
	party: number;
	/** The party that evaluates the garbled circuit (default 0). */
	evaluator?: number;
	/** The parties that learn the output (default: all). */
	outputParties?: readonly number[];
	/** Where the correlated randomness comes from: a trusted dealer (party 255) or OT among the parties. */
	preprocessing: 'dealer' | 'ot';
	/**
	 * What this run follows from, e.g. the session handshake's transcript: it enters the run's
	 * identity with every party's fresh nonce, and every commitment is bound to that identity.
	 */
	context?: Uint8Array;
	onProgress?: (progress: MpcProgress) => void;
	signal?: AbortSignal;
}

/**
 * Runs one party of the WRK17 protocol (Wang, Ranellucci, Katz: "Global-Scale Secure
 * Multiparty Computation", CCS 2017) on `circuit` with this party's `inputBits`. Resolves
 * with the output bits for an output party and undefined for the others. Any failed check,
 * here or at a peer, rejects with MpcAbortError after every participant has been told.
 */
export async function mpc(channel: Channel, circuit: Circuit, inputBits: Bits, options: MpcOptions): Promise<Bits | undefined> {
	const parties = circuit.inputBits.length;
	const { party } = options;
	if (!Number.isInteger(party) || party < 0 || party >= parties) {
		throw new Error(`mpc: party must be an integer from 0 to ${parties - 1} (the circuit has ${parties} parties), got ${party}`);
	}
	const notify = Array.from({ length: parties }, (_, p) => p).filter((p) => p !== party);
	if (options.preprocessing === 'dealer') notify.push(DEALER_PARTY);
	const session = new Session({ channel, parties, me: party, notify, onProgress: options.onProgress, signal: options.signal });
	try {
		return await run(session, circuit, inputBits, options);
	} catch (error) {
		await session.abort(error instanceof Error ? error.message : String(error));
		throw error;
	}
}

function validate(circuit: Circuit, inputBits: Bits, options: MpcOptions): { evaluator: number; outputParties: number[]; prepared: PreparedCircuit } {
	const parties = circuit.inputBits.length;
	const prepared = prepareCircuit(circuit);
	if (parties < 2) throw new Error(`mpc: a circuit for ${parties} part${parties === 1 ? 'y' : 'ies'} needs no MPC; at least 2 parties are required`);
	if (parties > DEALER_PARTY) throw new Error(`mpc: at most ${DEALER_PARTY} parties are supported, the circuit has ${parties}`);
	const expected = circuit.inputBits[options.party];
	if (inputBits.length !== expected) throw new Error(`mpc: ${partyName(options.party)} must supply ${expected} input bits, got ${inputBits.length}`);
	const bad = inputBits.findIndex((b) => b > 1);
	if (bad >= 0) throw new Error(`mpc: input bit ${bad} is ${inputBits[bad]}, bits must be 0 or 1`);
	const evaluator = options.evaluator ?? 0;
	if (!Number.isInteger(evaluator) || evaluator < 0 || evaluator >= parties) throw new Error(`mpc: evaluator must be a party from 0 to ${parties - 1}, got ${evaluator}`);
	const outputParties = [...(options.outputParties ?? Array.from({ length: parties }, (_, p) => p))];
	if (outputParties.length === 0) throw new Error('mpc: at least one output party is required');
	for (const p of outputParties) {
		if (!Number.isInteger(p) || p < 0 || p >= parties) throw new Error(`mpc: output party ${p} is not a party (0 to ${parties - 1})`);
	}
	if (new Set(outputParties).size !== outputParties.length) throw new Error(`mpc: output parties ${outputParties.join(', ')} contain duplicates`);
	if (options.preprocessing !== 'dealer' && options.preprocessing !== 'ot') {
		throw new Error(`mpc: preprocessing must be 'dealer' or 'ot', got '${String(options.preprocessing)}'`);
	}
	return { evaluator, outputParties, prepared };
}

async function run(session: Session, circuit: Circuit, inputBits: Bits, options: MpcOptions): Promise<Bits | undefined> {
	const { evaluator, outputParties, prepared } = validate(circuit, inputBits, options);
	await session.agreeRun(options.context ?? new Uint8Array(0));
	const parties = session.parties;
	const { plan } = prepared;
	const pre: Preprocessing =
		options.preprocessing === 'dealer'
			? await DealerPreprocessing.connect(session, { parties, inputs: plan.inputs, andGates: plan.andGates, circuitDigest: await prepared.digest() })
			: await OtPreprocessing.setup(session, plan.andGates);
	const ctx: GarbleContext = { parties, me: session.me, evaluator, delta: pre.delta };
	const online = new Online(session, circuit, plan, pre, ctx);
	await online.inputs(inputBits);
	await online.segments();
	session.progress('output', 0, 1);
	const result = await processOutputs(
		{ session, evaluator, delta: pre.delta, outputParties },
		circuit.outputs,
		plan.wireSlot,
		online.lambda,
		online.labels,
		online.evaluatorState
	);
	session.progress('output', 1, 1);
	return result;
}

/**
 * The function-dependent and online part of one party's run, streamed segment by segment:
 * input processing first, then for each segment the masks of the AND gates' wires,
 * ⟨λ_α·λ_β⟩ by Beaver multiplication, garbling (garblers) and evaluation (evaluator).
 *
 * Order: WRK17 garbles the whole circuit before input processing. We process inputs first so
 * that garbled tables can be consumed as they arrive and the evaluator never stores the whole
 * garbled circuit. The tables depend only on preprocessing randomness, and the rows the
 * evaluator opens are selected by masked values, uniform and independent of the inputs, so
 * the adversary's view and its abort probability do not depend on honest inputs either way.
 */
class Online {
	readonly lambda: AuthBits;
	/** Garblers: the 0-label of every wire slot (Δ-offset labels: L_1 = L_0 ⊕ Δ). */
	readonly labels: Uint32Array | null;
	readonly evaluatorState: EvaluatorState | null;
	private readonly isEvaluator: boolean;
	private readonly scratch: GarbleScratch;
	private readonly prg = Prg.random();

	constructor(
		private readonly session: Session,
		private readonly circuit: Circuit,
		private readonly plan: Schedule,
		private readonly pre: Preprocessing,
		private readonly ctx: GarbleContext
	) {
		this.isEvaluator = session.me === ctx.evaluator;
		this.scratch = new GarbleScratch(session.parties);
		this.lambda = new AuthBits(session.parties, session.me, plan.slots);
		this.labels = this.isEvaluator ? null : new Uint32Array(plan.slots * BLOCK_WORDS);
		this.evaluatorState = this.isEvaluator ? new EvaluatorState(session.parties, plan.slots) : null;
	}

	async inputs(myInput: Bits): Promise<void> {
		const { session, plan, circuit } = this;
		session.progress('input', 0, 1);
		const masks = await this.pre.inputMasks(plan.inputs);
		// Input wire w lives in slot w (the schedule allocates input slots first).
		for (let w = 0; w < plan.inputs; w++) this.lambda.copyFrom(w, masks, w);
		if (this.labels) this.prg.fillBlocks(this.labels, 0, plan.inputs);
		await processInputs(
			{ session, evaluator: this.ctx.evaluator, delta: this.ctx.delta, inputBits: circuit.inputBits },
			masks,
			myInput,
			this.labels,
			this.evaluatorState,
			plan.wireSlot
		);
		session.progress('input', 1, 1);
	}

	async segments(): Promise<void> {
		const { plan, session } = this;
		const phase = this.isEvaluator ? 'evaluation' : 'garbling';
		let start = 0;
		let done = 0;
		session.progress(phase, 0, plan.andGates);
		for (let s = 0; s < plan.segmentEnds.length; s++) {
			const end = plan.segmentEnds[s];
			await this.segment(start, end, plan.segmentAnds[s]);
			done += plan.segmentAnds[s];
			session.progress(phase, done, plan.andGates);
			start = end;
		}
	}

	/** One segment: order positions [start, end) with `ands` AND gates. */
	private async segment(start: number, end: number, ands: number): Promise<void> {
		const { session, plan, circuit, ctx, lambda, labels } = this;
		const { parties, me } = session;
		const { gateKinds, gateIn0, gateIn1 } = circuit;
		const slot = plan.wireSlot;
		const inputs = plan.inputs;
		const delta = ctx.delta;
		const material = ands > 0 ? await this.pre.andGates(ands) : null;
		const alpha = new AuthBits(parties, me, ands);
		const beta = new AuthBits(parties, me, ands);
		const segmentAnds: SegmentAnds = { gateIds: new Uint32Array(ands), inA: new Uint32Array(ands), inB: new Uint32Array(ands), out: new Uint32Array(ands) };
		const gateIds = segmentAnds.gateIds;
		const labelAlpha = labels ? new Uint32Array(ands * BLOCK_WORDS) : null;
		const labelBeta = labels ? new Uint32Array(ands * BLOCK_WORDS) : null;
		const labelGamma = labels ? this.prg.blocks(ands) : null;

		// Masks (and, for garblers, 0-labels) of every wire: XOR and NOT are free.
		for (let t = start, q = 0; t < end; t++) {
			const g = plan.order[t];
			const a = slot[gateIn0[g]];
			const out = slot[inputs + g];
			const kind = gateKinds[g];
			if (kind === GATE_XOR) {
				const b = slot[gateIn1[g]];
				lambda.setXor(out, lambda, a, lambda, b);
				if (labels) for (let w = 0; w < 4; w++) labels[4 * out + w] = labels[4 * a + w] ^ labels[4 * b + w];
			} else if (kind === GATE_NOT) {
				// λ stays; the 0-label becomes the old 1-label, and the evaluator flips z.
				if (out !== a) lambda.copyFrom(out, lambda, a);
				if (labels) for (let w = 0; w < 4; w++) labels[4 * out + w] = labels[4 * a + w] ^ delta[w];
			} else {
				const b = slot[gateIn1[g]];
				alpha.copyFrom(q, lambda, a);
				beta.copyFrom(q, lambda, b);
				gateIds[q] = g;
				segmentAnds.inA[q] = a;
				segmentAnds.inB[q] = b;
				segmentAnds.out[q] = out;
				if (labels && labelAlpha && labelBeta && labelGamma) {
					for (let w = 0; w < 4; w++) {
						labelAlpha[4 * q + w] = labels[4 * a + w];
						labelBeta[4 * q + w] = labels[4 * b + w];
						labels[4 * out + w] = labelGamma[4 * q + w];
					}
				}
				lambda.copyFrom(out, material!.gamma, q);
				q++;
			}
		}
		if (!material) {
			if (this.evaluatorState) this.evaluate(start, end, segmentAnds, [], null, alpha, beta);
			return;
		}

		// ⟨λ_σ⟩ = ⟨λ_α·λ_β⟩, then r0 = λ_σ ⊕ λ_γ: the masked output of row (0, 0).
		const r0 = await beaverMultiply(session, delta, alpha, beta, material, CONSTANT_HOLDER);
		for (let q = 0; q < ands; q++) r0.xorFrom(q, material.gamma, q);

		if (labelAlpha && labelBeta && labelGamma) {
			const table = garbleAnds(ctx, ands, gateIds, r0, alpha, beta, labelAlpha, labelBeta, labelGamma, this.scratch);
			await session.send(ctx.evaluator, new Uint8Array(table.buffer), 'garbled gates');
		} else {
			const bytes = ands * gateWords(parties) * 4;
			const tables = await Promise.all(session.peers.map(async (g) => new Uint32Array((await session.recv(g, bytes, 'garbled gates')).slice().buffer)));
			this.evaluate(start, end, segmentAnds, tables, r0, alpha, beta);
		}
	}

	/** The evaluator's pass over a segment: XOR/NOT locally, AND gates in batches of equal depth. */
	private evaluate(start: number, end: number, ands: SegmentAnds, tables: Uint32Array[], r0: AuthBits | null, alpha: AuthBits, beta: AuthBits): void {
		const state = this.evaluatorState!;
		const { plan, circuit, ctx } = this;
		const { gateKinds, gateIn0, gateIn1 } = circuit;
		const slot = plan.wireSlot;
		const inputs = plan.inputs;
		const stride = state.garblers * BLOCK_WORDS;
		const z = state.z;
		const labels = state.labels;
		let q = 0;
		let t = start;
		while (t < end) {
			const g = plan.order[t];
			const kind = gateKinds[g];
			if (kind === GATE_AND) {
				let last = t + 1;
				while (last < end && gateKinds[plan.order[last]] === GATE_AND && !plan.startsBatch[last]) last++;
				const count = last - t;
				evaluateAnds(ctx, ands, q, count, state, tables, r0!, alpha, beta, this.scratch);
				q += count;
				t = last;
				continue;
			}
			const a = slot[gateIn0[g]];
			const out = slot[inputs + g];
			if (kind === GATE_XOR) {
				const b = slot[gateIn1[g]];
				z[out] = z[a] ^ z[b];
				for (let w = 0; w < stride; w++) labels[out * stride + w] = labels[a * stride + w] ^ labels[b * stride + w];
			} else {
				z[out] = z[a] ^ 1;
				if (out !== a) labels.copyWithin(out * stride, a * stride, a * stride + stride);
			}
			t++;
		}
	}
}
