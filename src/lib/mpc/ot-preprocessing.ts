import { randomBlocks } from '../crypto/block';
import { OtCheckError } from '../ot/errors';
import { BaseOts, setupPairwiseOt, type OtLink, type PairwiseOt } from '../ot/setup';
import { AuthBitRounds } from './abit';
import { AuthBits, copyAuthBits, viewAuthBits } from './auth';
import { Echo } from './echo';
import { MpcAbortError } from './errors';
import type { InputMasks, Preprocessing, TripleMaterial } from './preprocessing';
import { runRound } from './rounds';
import type { Session } from './session';
import { bucketSize, checkRepetitions } from './statistical';
import { batchStream, STREAM } from './streams';
import { TripleRounds } from './triples';

/**
 * Largest batch of AND triples generated at once, times the number of peers: a batch's
 * authenticated bits, OT-extension matrices and leaky-AND state take about 1.4 KB per triple
 * and peer, so this keeps a batch near 64 MiB.
 */
const BATCH_TRIPLES_TIMES_PEERS = 48_000;
/** Batches generated at the same time (each with its OT-extension matrices and leaky triples). */
const BATCHES_AT_ONCE = 2;

/**
 * How the run's AND triples are made: `batches` batches of `size`, buckets of `bucket` leaky
 * triples, and `rho` repetitions of each statistical check (every batch has one Π_aShare check
 * and one Π_LaAND check).
 */
export interface TriplePlan {
	batches: number;
	size: number;
	bucket: number;
	rho: number;
}

/**
 * Equal batches covering `andGates` (the last may have a few triples to spare), and the bucket
 * size that keeps all of them together within the statistical security of statistical.ts: the
 * bucket size follows the circuit, never the size of a segment.
 */
export function triplePlan(andGates: number, parties: number): TriplePlan {
	const largest = Math.max(1, Math.floor(BATCH_TRIPLES_TIMES_PEERS / (parties - 1)));
	const batches = Math.max(1, Math.ceil(andGates / largest));
	const size = andGates === 0 ? 0 : Math.ceil(andGates / batches);
	return { batches, size, bucket: size === 0 ? 0 : bucketSize(size, batches), rho: checkRepetitions(batches) };
}

/** One batch as the online phase sees it: its triples and λ_γ, and, in batch 0, the input masks. */
interface Batch {
	material: TripleMaterial | null;
	inputs: AuthBits;
}

/**
 * Preprocessing without a trusted party (WRK17 §3): pairwise OT extension set up once per
 * run, then batches of authenticated bits (F_aShare) and AND triples (F_aAND) as triplePlan
 * says. Batch 0 also makes the masks of the input wires. Batches run BATCHES_AT_ONCE at a time,
 * each on a stream of its own, in nine rounds (the five of abit.ts, the last carrying the first
 * of triples.ts's): their messages share flights, so a circuit of a few batches costs the same
 * flights as one.
 *
 * The online phase gets no triple before every batch has passed all of its checks, as in WRK17,
 * where preprocessing ends before the online phase begins. A failing check opens values that
 * depend on Δ (a party that broke a leaky triple on purpose reads the high 64 bits of the honest
 * Δ off the leaky-AND check's sums): that must happen before any garbled table built on Δ goes
 * out, or the table would give away the rest of Δ for 2^64 work. So a run holds the combined
 * triples of every batch until the online phase takes them (4 authenticated bits per AND gate);
 * the OT-extension matrices and leaky triples, 12 times that, go with their batch's checks.
 */
export class OtPreprocessing implements Preprocessing {
	private readonly plan: TriplePlan;
	/** The batches running, checked or in use; a batch the online phase has moved past is dropped. */
	private readonly batches: (Promise<Batch> | undefined)[] = [];
	/** Resolves once every batch has passed its checks. */
	private readonly allChecked: Promise<void>;
	private resolveChecked!: () => void;
	private checkedBatches = 0;
	private readonly inputsReady: Promise<InputMasks>;
	private resolveInputs!: (masks: InputMasks) => void;
	private rejectInputs!: (error: unknown) => void;
	/** Rejects with the first batch's failure, so that the run stops at once, not when it gets to that batch. */
	readonly failure: Promise<never>;
	private fail!: (error: unknown) => void;
	/** The batch in use and how much of it is handed out. */
	private current = 0;
	private used = 0;

	private constructor(
		private readonly session: Session,
		readonly delta: Uint32Array,
		private readonly pairs: PairwiseOt[],
		private readonly inputs: number,
		private readonly totalAnds: number
	) {
		this.plan = triplePlan(totalAnds, session.parties);
		this.inputsReady = new Promise((resolve, reject) => {
			this.resolveInputs = resolve;
			this.rejectInputs = reject;
		});
		this.inputsReady.catch(() => {});
		this.failure = new Promise<never>((_, reject) => (this.fail = reject));
		this.failure.catch(() => {});
		this.allChecked = new Promise((resolve) => (this.resolveChecked = resolve));
		for (let b = 0; b < Math.min(BATCHES_AT_ONCE, this.plan.batches); b++) this.start(b);
	}

	/**
	 * Base OTs with every peer in parallel (unless `ready` brings them: the party handshake can
	 * carry them), then the first batches start once the run has its identity (`runAgreed`).
	 */
	static async setup(session: Session, inputs: number, totalAnds: number, runAgreed: Promise<void>, ready?: ReadyOts): Promise<OtPreprocessing> {
		const { delta, pairs } = ready ?? (await baseOts(session));
		await runAgreed;
		return new OtPreprocessing(session, delta, [...pairs], inputs, totalAnds);
	}

	inputMasks(): Promise<InputMasks> {
		return this.inputsReady;
	}

	async finish(): Promise<void> {}

	/**
	 * The next `count` triples: views of the current batch, or a copy where they span two; none
	 * before every batch has passed its checks.
	 */
	async andGates(count: number): Promise<TripleMaterial> {
		const { size } = this.plan;
		await Promise.race([this.allChecked, this.failure]);
		let material: TripleMaterial;
		if (this.used + count <= size) {
			material = sliceMaterial((await this.batch()).material!, this.used, count);
			this.used += count;
		} else {
			const { parties, me } = this.session;
			material = { gamma: new AuthBits(parties, me, count), a: new AuthBits(parties, me, count), b: new AuthBits(parties, me, count), c: new AuthBits(parties, me, count) };
			let filled = 0;
			while (filled < count) {
				if (this.used === size) this.next();
				const take = Math.min(count - filled, size - this.used);
				copyMaterial(material, filled, (await this.batch()).material!, this.used, take);
				this.used += take;
				filled += take;
			}
		}
		if (this.used === size) this.next();
		return material;
	}

	/** The batch in use. */
	private batch(): Promise<Batch> {
		return this.batches[this.current]!;
	}

	/** Moves to the next batch; the one used up is dropped, so that its triples go once used. */
	private next(): void {
		this.batches[this.current] = undefined;
		this.current++;
		this.used = 0;
	}

	/** Runs `batch`; once it has passed its checks, the batch BATCHES_AT_ONCE further on starts. */
	private start(batch: number): void {
		const running = this.runBatch(batch);
		running.then(
			() => {
				const { batches, size } = this.plan;
				this.checkedBatches++;
				this.session.progress('preprocessing', Math.min(this.totalAnds, this.checkedBatches * size), this.totalAnds);
				if (this.checkedBatches === batches) this.resolveChecked();
				if (batch + BATCHES_AT_ONCE < batches) this.start(batch + BATCHES_AT_ONCE);
			},
			(error: unknown) => {
				this.rejectInputs(error);
				this.fail(error);
			}
		);
		this.batches[batch] = running;
	}

	private async runBatch(batch: number): Promise<Batch> {
		const { session, delta, pairs, plan } = this;
		const { size, bucket, rho } = plan;
		const stream = batchStream(batch);
		const echo = new Echo(session);
		const inputs = batch === 0 ? this.inputs : 0;
		const leaky = size * bucket;
		// λ_γ, then x, y and r of every leaky triple (and first, in batch 0, the input masks).
		const bits = new AuthBitRounds({ session, delta, pairs, rho, batch, echo }, inputs + size + 3 * leaky);
		const all = bits.bits;
		const view = (start: number, count: number) => viewAuthBits(all, inputs + start, count);
		const triples =
			size > 0 ? new TripleRounds({ session, delta, rho, batch, firstIndex: batch * leaky, echo }, view(size, leaky), view(size + leaky, leaky), view(size + 2 * leaky, leaky), size) : null;
		const what = (step: string) => `preprocessing ${batch} (${step})`;
		await runRound(session, triples ? [bits.a(), triples.coinCommitment()] : [bits.a()], what('OT extension'), stream);
		await runRound(session, [bits.b()], what('challenge'), stream);
		await runRound(session, [bits.c()], what('KOS check'), stream);
		await runRound(session, [bits.d()], what('key consistency'), stream);
		// The key sums finish the global key check; Π_HaAND's message rides along (the bits
		// passed every check but that one, which only concerns other parties' keys).
		await runRound(session, triples ? [bits.e(), triples.halfAnd()] : [bits.e()], what(triples ? 'key sums, half AND' : 'key sums'), stream);
		// A copy: the run keeps the input masks to its end, and a view would keep the whole batch.
		const inputMasks = copyAuthBits(all, 0, inputs);
		if (batch === 0) this.resolveInputs({ masks: inputMasks });
		if (!triples) return { material: null, inputs: inputMasks };
		await runRound(session, [triples.leakyAnd()], what('leaky AND'), stream);
		await runRound(session, [triples.openCoin()], what('coin'), stream);
		await runRound(session, [triples.commitAndBucket()], what('check commitments, buckets'), stream);
		await runRound(session, [triples.check()], what('check'), stream);
		// λ_γ copied too: the segments of the online phase keep their material until they are
		// garbled, and a view would keep this batch's leaky triples (12× the size) with it.
		return { material: { gamma: copyAuthBits(all, inputs, size), ...triples.triples! }, inputs: inputMasks };
	}
}

/** This party's global key Δ and OT extension in both directions with every peer (indexed by party). */
export interface ReadyOts {
	delta: Uint32Array;
	pairs: readonly PairwiseOt[];
}

/**
 * Base OTs with every peer in parallel, on their own stream: resolves once every peer's offer
 * (the first flight) is answered; each extension sender follows with its peer's answer, which
 * arrives along with the peer's first batch (so OT extension starts in the second flight).
 */
async function baseOts(session: Session): Promise<ReadyOts> {
	const base = new BaseOts(session.me, randomBlocks(1));
	const pairs: PairwiseOt[] = [];
	let done = 0;
	session.progress('base OT', 0, session.peers.length);
	try {
		await Promise.all(
			session.peers.map(async (peer) => {
				const link: OtLink = {
					peer,
					send: (bytes, what) => session.send(peer, bytes, what, STREAM.baseOt),
					recv: (length, what) => session.recv(peer, length, what, STREAM.baseOt)
				};
				const ot = await setupPairwiseOt(link, base);
				const sender = ot.sender.catch((error: unknown) => Promise.reject(abortOf(error)));
				// Round A awaits it; should the run stop before, its failure is no unhandled rejection.
				sender.catch(() => {});
				pairs[peer] = { receiver: ot.receiver, sender };
				session.progress('base OT', ++done, session.peers.length);
			})
		);
	} catch (error) {
		throw abortOf(error);
	}
	return { delta: base.delta, pairs };
}

/** A failed base-OT check as the run's abort. */
function abortOf(error: unknown): unknown {
	return error instanceof OtCheckError ? new MpcAbortError(error.check, error.party, error.message) : error;
}

const MATERIAL_SETS = ['gamma', 'a', 'b', 'c'] as const;

function sliceMaterial(batch: TripleMaterial, start: number, count: number): TripleMaterial {
	const [gamma, a, b, c] = MATERIAL_SETS.map((set) => viewAuthBits(batch[set], start, count));
	return { gamma, a, b, c };
}

function copyMaterial(to: TripleMaterial, at: number, from: TripleMaterial, start: number, count: number): void {
	for (const set of MATERIAL_SETS) {
		const source = from[set];
		const target = to[set];
		target.bits.set(source.bits.subarray(start, start + count), at);
		target.words.set(source.words.subarray(start * source.stride, (start + count) * source.stride), at * target.stride);
	}
}
