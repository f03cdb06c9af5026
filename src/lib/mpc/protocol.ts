import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { asWords, BLOCK_WORDS } from '../crypto/block';
import { Prg } from '../crypto/prg';
import type { Bits, Circuit } from '../garble/circuit';
import type { AuthBits } from './auth';
import { BeaverMultiplication } from './beaver';
import { dealerAnnouncement, DealerPreprocessing } from './dealer';
import { MpcAbortError } from './errors';
import { GarbleScratch, gateWords, type GarbleContext } from './garble';
import { processInputs } from './input';
import { OtPreprocessing, type ReadyOts } from './ot-preprocessing';
import { openingId } from './openings';
import { OutputPhase } from './output';
import { CONSTANT_HOLDER, type AndMaterial, type Preprocessing } from './preprocessing';
import { prepareCircuit, type PreparedCircuit } from './prepare';
import type { Schedule } from './schedule';
import { Session, type MpcProgress } from './session';
import { STREAM } from './streams';
import { WireState, type WalkedSegment } from './wires';

const BEAVER = 'Beaver openings of AND gates';

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
	 * What this run follows from, agreed by every party and fresh for this run — the session
	 * handshake's transcript, which holds every party's nonce. It is then the run's identity,
	 * which every commitment is bound to. Without it the parties exchange fresh nonces first.
	 */
	context?: Uint8Array;
	/** OT preprocessing: base OTs with every peer done beforehand (the party handshake carries them). */
	ot?: ReadyOts;
	/**
	 * Settles once the caller's own agreement with the peers is checked (the party handshake's
	 * confirmations, which arrive along with this run's first round). The run receives nothing
	 * before it resolves, and fails with its rejection; until then nothing leaves but the first
	 * round, which depends on fresh randomness alone (OT extension and coin commitments).
	 */
	agreed?: Promise<void>;
	/** Dealer preprocessing: the party handshake carried this party's dealerAnnouncement to the dealer. */
	dealerAnnounced?: boolean;
	/**
	 * Awaited before this party sends anything of the output phase. Until then an aborted run
	 * has revealed nothing and may start again with fresh randomness; from then on it must not
	 * (src/lib/party/attempts.ts), and the hook is where a caller records that durably.
	 */
	beforeOutput?: () => Promise<void>;
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
	const session = new Session({ channel, parties, me: party, notify, onProgress: options.onProgress, signal: options.signal, ...(options.agreed ? { readsAfter: options.agreed } : {}) });
	// A failed agreement stops the run with the caller's own error, not the engine's view of it.
	let disagreement: { reason: unknown } | undefined;
	options.agreed?.catch((reason: unknown) => (disagreement = { reason }));
	try {
		return await run(session, circuit, inputBits, options);
	} catch (error) {
		const failure = disagreement ? disagreement.reason : error;
		await session.abort(failure instanceof Error ? failure.message : String(failure));
		throw failure;
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

/**
 * What this party's run with the trusted dealer first asks of it (dealerAnnouncement), so that
 * the party handshake can carry it in its call to the dealer (MpcOptions.dealerAnnounced).
 */
export async function dealerAnnouncementFor(circuit: Circuit, party: number): Promise<Uint8Array> {
	const { plan, digest } = prepareCircuit(circuit);
	return dealerAnnouncement({ parties: circuit.inputBits.length, inputBits: circuit.inputBits, andGates: plan.andGates, circuitDigest: await digest() }, plan.segmentAnds, party);
}

async function run(session: Session, circuit: Circuit, inputBits: Bits, options: MpcOptions): Promise<Bits | undefined> {
	const { evaluator, outputParties, prepared } = validate(circuit, inputBits, options);
	const parties = session.parties;
	const { plan } = prepared;
	// Without a context, the run's nonces travel with the first preprocessing messages.
	const runAgreed = options.context ? Promise.resolve(session.identify(options.context)) : session.agreeRun(STREAM.run);
	// Awaited below; should preprocessing fail first, its failure is the one to report.
	runAgreed.catch(() => {});
	const pre: Preprocessing =
		options.preprocessing === 'dealer'
			? await DealerPreprocessing.connect(session, { parties, inputBits: circuit.inputBits, andGates: plan.andGates, circuitDigest: await prepared.digest() }, plan.segmentAnds, !!options.dealerAnnounced)
			: await OtPreprocessing.setup(session, plan.inputs, plan.andGates, runAgreed, options.ot);
	await runAgreed;
	const ctx: GarbleContext = { parties, me: session.me, evaluator, delta: pre.delta };
	const online = new Online(session, circuit, plan, pre, ctx, outputParties, options.beforeOutput);
	return Promise.race([online.run(inputBits), pre.failure]);
}

/** Segments whose Beaver openings may be on their way before the oldest one is garbled or evaluated. */
const SEGMENTS_AHEAD = 8;

/** A segment between its mask pass and its garbling or evaluation. */
interface PendingSegment {
	start: number;
	end: number;
	ands: number;
	index: number;
	material: AndMaterial | null;
	beaver: BeaverMultiplication | null;
	walked: WalkedSegment;
	/** Garblers: the fresh 0-labels of the segment's AND gates' outputs. */
	labelGamma: Uint32Array | null;
}

/**
 * The function-dependent and online part of one party's run (WRK17 Fig. 2), pipelined: input
 * processing runs on its own stream beside everything else; segment after segment, the masks of
 * the AND gates' wires are computed and the Beaver openings of ⟨λ_α·λ_β⟩ sent (unless the
 * dealer dealt the products), up to SEGMENTS_AHEAD segments ahead of the one that is garbled
 * (garblers) or evaluated (the evaluator) once its openings are in; garbled tables go to the
 * evaluator on a stream of their own, and the output masks' shares go out once the last
 * segment's masks are known and every party's masked inputs are in. So all of this costs a few
 * flights, whatever the number of segments, while memory stays bounded by the window.
 *
 * Order: WRK17 garbles the whole circuit before input processing. Here garbling does not wait
 * for inputs, and the evaluator evaluates a segment as soon as it has the inputs' labels and the
 * segment's tables, so that nobody stores the whole garbled circuit. The tables depend only on
 * preprocessing randomness, and the rows the evaluator opens are selected by masked values,
 * uniform and independent of the inputs, so the adversary's view and its abort probability do
 * not depend on honest inputs either way.
 */
class Online {
	private readonly wires: WireState;
	/** Garblers: the 0-labels of the input wires, kept apart since their slots are reused later. */
	private readonly inputLabels: Uint32Array | null;
	private readonly isEvaluator: boolean;
	private readonly scratch: GarbleScratch;
	private readonly prg = Prg.random();
	private readonly output: OutputPhase;

	constructor(
		private readonly session: Session,
		private readonly circuit: Circuit,
		private readonly plan: Schedule,
		private readonly pre: Preprocessing,
		private readonly ctx: GarbleContext,
		outputParties: readonly number[],
		private readonly beforeOutput: (() => Promise<void>) | undefined
	) {
		this.isEvaluator = session.me === ctx.evaluator;
		this.scratch = new GarbleScratch(session.parties);
		this.wires = new WireState(session.parties, session.me, plan, this.isEvaluator ? { evaluator: true } : { garbler: { delta: ctx.delta } });
		const { labels } = this.wires;
		// Input wire w lives in slot w (the schedule allocates input slots first).
		if (labels) this.prg.fillBlocks(labels, 0, plan.inputs);
		this.inputLabels = labels ? labels.slice(0, plan.inputs * BLOCK_WORDS) : null;
		this.output = new OutputPhase({
			session,
			evaluator: ctx.evaluator,
			delta: ctx.delta,
			outputParties,
			outputs: circuit.outputs,
			wireSlot: plan.wireSlot,
			confirmed: () => pre.finish()
		});
	}

	async run(myInput: Bits): Promise<Bits | undefined> {
		const { session } = this;
		let fixInputs!: () => void;
		const inputsFixed = new Promise<void>((resolve) => (fixInputs = resolve));
		const inputs = this.inputs(myInput, fixInputs);
		inputs.catch(() => {});
		const { maskShares } = await this.segments(inputs, inputsFixed);
		await inputs;
		await maskShares;
		session.progress('output', 0, 1);
		const result = await this.output.finish(this.wires.lambda, this.wires.labels, this.wires.evaluator);
		session.progress('output', 1, 1);
		return result;
	}

	private async inputs(myInput: Bits, fixed: () => void): Promise<void> {
		const { session, plan, circuit } = this;
		session.progress('input', 0, 1);
		const masks = await this.pre.inputMasks();
		await processInputs(
			{ session, evaluator: this.ctx.evaluator, delta: this.ctx.delta, inputBits: circuit.inputBits, fixed },
			masks,
			myInput,
			this.inputLabels,
			this.wires.evaluator,
			plan.wireSlot
		);
		session.progress('input', 1, 1);
	}

	/**
	 * Every segment, pipelined; resolves with the sending of the output masks' shares
	 * (`revealMasks`, still on its way: it waits for every party's masked inputs).
	 */
	private async segments(inputs: Promise<void>, inputsFixed: Promise<void>): Promise<{ maskShares: Promise<void> }> {
		const { plan, session } = this;
		const phase = this.isEvaluator ? 'evaluation' : 'garbling';
		const masks = (await this.pre.inputMasks()).masks;
		for (let w = 0; w < plan.inputs; w++) this.wires.lambda.copyFrom(w, masks, w);
		const pending: PendingSegment[] = [];
		let start = 0;
		let done = 0;
		let maskShares: Promise<void> = Promise.resolve();
		session.progress(phase, 0, plan.andGates);
		const complete = async () => {
			const segment = pending.shift()!;
			await this.complete(segment, inputs);
			done += segment.ands;
			session.progress(phase, done, plan.andGates);
		};
		for (let s = 0; s < plan.segmentEnds.length; s++) {
			const end = plan.segmentEnds[s];
			pending.push(await this.prepare(s, start, end, plan.segmentAnds[s]));
			start = end;
			if (s === plan.segmentEnds.length - 1) {
				maskShares = this.revealMasks(inputs, inputsFixed);
				maskShares.catch(() => {});
			}
			while (pending.length > SEGMENTS_AHEAD) await complete();
		}
		if (plan.segmentEnds.length === 0) {
			maskShares = this.revealMasks(inputs, inputsFixed);
			maskShares.catch(() => {});
		}
		while (pending.length > 0) await complete();
		return { maskShares };
	}

	/**
	 * This party's shares of the output masks, once `inputsFixed` (unless `inputs` fails first):
	 * every party's masked inputs are in (WRK17 Fig. 2 reveals output masks after input
	 * processing). Sent earlier, they would let a rushing coalition learn an output that is
	 * linear in the inputs, such as an honest input bit, before it sends its own masked inputs,
	 * and choose them after it.
	 */
	private async revealMasks(inputs: Promise<void>, inputsFixed: Promise<void>): Promise<void> {
		await Promise.race([inputsFixed, inputs]);
		await this.beforeOutput?.();
		await this.output.sendMaskShares(this.wires.lambda);
	}

	/**
	 * A segment's first half: the masks (and, for garblers, 0-labels) of every wire in order
	 * positions [start, end) — XOR and NOT are free — and, where the material is triples, the
	 * Beaver openings of its `ands` AND gates, sent at once.
	 */
	private async prepare(index: number, start: number, end: number, ands: number): Promise<PendingSegment> {
		const { session, plan, circuit, ctx, wires } = this;
		const material = ands > 0 ? await this.pre.andGates(ands) : null;
		const labelGamma = wires.labels ? this.prg.blocks(ands) : null;
		const walked = wires.walkSegment(circuit, plan, start, end, material?.gamma ?? null, labelGamma);
		let beaver: BeaverMultiplication | null = null;
		if (material && !('r0' in material)) {
			const multiplication = new BeaverMultiplication(session, ctx.delta, walked.alpha, walked.beta, material, openingId('beaver', index), CONSTANT_HOLDER);
			await session.sendToAll((peer) => multiplication.opening.message(peer), BEAVER, STREAM.beaver);
			beaver = multiplication;
		}
		return { start, end, ands, index, material, beaver, walked, labelGamma };
	}

	/** A segment's second half: ⟨λ_σ⟩ from the Beaver openings (or r0 as dealt), then garbling or evaluation. */
	private async complete(segment: PendingSegment, inputs: Promise<void>): Promise<void> {
		const { session, ctx } = this;
		const { ands, material, beaver, walked, labelGamma } = segment;
		const { alpha, beta, ands: gates } = walked;
		let r0: AuthBits | null = null;
		if (material && 'r0' in material) r0 = material.r0;
		else if (material) {
			// ⟨λ_σ⟩ = ⟨λ_α·λ_β⟩, then r0 = λ_σ ⊕ λ_γ: the masked output of row (0, 0).
			r0 = beaver!.finish(await session.receiveFromAll(() => beaver!.opening.bytes, BEAVER, STREAM.beaver));
			r0.setXorAll(r0, material.gamma);
		}
		if (!this.isEvaluator) {
			if (!r0) return;
			const table = this.wires.garbleAnds(ctx, walked, r0, labelGamma!, this.scratch);
			await session.send(ctx.evaluator, new Uint8Array(table.buffer), 'garbled gates', STREAM.tables);
			return;
		}
		await inputs;
		const bytes = ands * gateWords(session.parties) * 4;
		// Word views of the received tables where they are aligned (sealed messages are), copies otherwise.
		const tables = r0 ? await Promise.all(session.peers.map(async (g) => asWords(await session.recv(g, bytes, 'garbled gates', STREAM.tables)))) : [];
		const opened = r0 ? { ands: gates, tables, r0, alpha, beta } : null;
		this.wires.evaluateSegment(this.plan, segment.start, segment.end, walked.tape!, this.ctx, opened, this.scratch);
	}
}

