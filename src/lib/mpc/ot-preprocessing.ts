import { randomBlocks } from '../crypto/block';
import { OtCheckError } from '../ot/errors';
import { setupPairwiseOt, type OtLink, type PairwiseOt } from '../ot/setup';
import { AuthBitGenerator } from './abit';
import { AuthBits, viewAuthBits } from './auth';
import { bucketSize, checkRepetitions } from './statistical';
import { MpcAbortError } from './errors';
import type { AndMaterial, Preprocessing } from './preprocessing';
import type { Session } from './session';
import { makeTriples } from './triples';

/**
 * Largest batch of AND triples generated at once, times the number of peers: a batch's
 * authenticated bits, OT-extension matrices and leaky-AND state take about 1.4 KB per triple
 * and peer, so this keeps a batch near 64 MiB.
 */
const BATCH_TRIPLES_TIMES_PEERS = 48_000;

/**
 * How the run's AND triples are made: `batches` batches of `size`, buckets of `bucket` leaky
 * triples, and `rho` repetitions of each statistical check (every batch and the input masks
 * have one Π_aShare check, every batch one Π_LaAND check).
 */
export interface TriplePlan {
	batches: number;
	size: number;
	bucket: number;
	rho: number;
}

/**
 * Equal batches covering `andGates` (the last may have a few triples to spare), and the bucket
 * size that keeps all of them together within the statistical security of buckets.ts: the
 * bucket size follows the circuit, never the size of a segment.
 */
export function triplePlan(andGates: number, parties: number): TriplePlan {
	const largest = Math.max(1, Math.floor(BATCH_TRIPLES_TIMES_PEERS / (parties - 1)));
	const batches = Math.max(1, Math.ceil(andGates / largest));
	const size = Math.ceil(andGates / batches);
	return { batches, size, bucket: bucketSize(size, batches), rho: checkRepetitions(batches + 1) };
}

/**
 * Preprocessing without a trusted party (WRK17 §3): pairwise OT extension set up once per
 * session, then authenticated bits (F_aShare) on request and AND triples (F_aAND) in the
 * batches of triplePlan, handed out segment by segment.
 */
export class OtPreprocessing implements Preprocessing {
	private readonly bits: AuthBitGenerator;
	private readonly plan: TriplePlan;
	private leakyTriples = 0;
	private andsDone = 0;
	/** The current batch and how much of it is handed out. */
	private batch: AndMaterial | null = null;
	private used = 0;

	private constructor(
		private readonly session: Session,
		readonly delta: Uint32Array,
		pairs: PairwiseOt[],
		private readonly totalAnds: number
	) {
		this.plan = triplePlan(totalAnds, session.parties);
		this.bits = new AuthBitGenerator(session, delta, pairs, this.plan.rho);
	}

	/** Base OTs and OT-extension setup with every peer, in parallel. */
	static async setup(session: Session, totalAnds: number): Promise<OtPreprocessing> {
		const delta = randomBlocks(1);
		const pairs: PairwiseOt[] = [];
		let done = 0;
		session.progress('base OT', 0, session.peers.length);
		try {
			await Promise.all(
				session.peers.map(async (peer) => {
					const link: OtLink = {
						peer,
						send: (bytes, what) => session.send(peer, bytes, what),
						recv: (length, what) => session.recv(peer, length, what)
					};
					pairs[peer] = await setupPairwiseOt(link, session.me, delta);
					session.progress('base OT', ++done, session.peers.length);
				})
			);
		} catch (error) {
			if (error instanceof OtCheckError) throw new MpcAbortError(error.check, error.party, error.message);
			throw error;
		}
		return new OtPreprocessing(session, delta, pairs, totalAnds);
	}

	async inputMasks(count: number): Promise<AuthBits> {
		const masks = await this.bits.generate(count);
		await this.session.checkBroadcasts('preprocessing');
		return masks;
	}

	/** The next `count` triples: views of the current batch, or a copy where they span two. */
	async andGates(count: number): Promise<AndMaterial> {
		let material: AndMaterial;
		if (this.batch && this.used + count <= this.plan.size) {
			material = sliceMaterial(this.batch, this.used, count);
			this.used += count;
		} else {
			const { parties, me } = this.session;
			material = { gamma: new AuthBits(parties, me, count), a: new AuthBits(parties, me, count), b: new AuthBits(parties, me, count), c: new AuthBits(parties, me, count) };
			let filled = 0;
			while (filled < count) {
				if (!this.batch || this.used === this.plan.size) await this.nextBatch();
				const take = Math.min(count - filled, this.plan.size - this.used);
				copyMaterial(material, filled, this.batch!, this.used, take);
				this.used += take;
				filled += take;
			}
		}
		this.andsDone += count;
		this.session.progress('preprocessing', this.andsDone, this.totalAnds);
		return material;
	}

	private async nextBatch(): Promise<void> {
		const { size, bucket } = this.plan;
		const leaky = size * bucket;
		// One batch of authenticated bits: λ_γ, then x, y and r of every leaky triple.
		const all = await this.bits.generate(size + 3 * leaky);
		const gamma = viewAuthBits(all, 0, size);
		const x = viewAuthBits(all, size, leaky);
		const y = viewAuthBits(all, size + leaky, leaky);
		const r = viewAuthBits(all, size + 2 * leaky, leaky);
		const triple = await makeTriples(this.session, this.delta, x, y, r, size, this.leakyTriples, this.plan.rho);
		this.leakyTriples += leaky;
		await this.session.checkBroadcasts('preprocessing');
		this.batch = { gamma, ...triple };
		this.used = 0;
	}
}

const MATERIAL_SETS = ['gamma', 'a', 'b', 'c'] as const;

function sliceMaterial(batch: AndMaterial, start: number, count: number): AndMaterial {
	const [gamma, a, b, c] = MATERIAL_SETS.map((set) => viewAuthBits(batch[set], start, count));
	return { gamma, a, b, c };
}

function copyMaterial(to: AndMaterial, at: number, from: AndMaterial, start: number, count: number): void {
	for (const set of MATERIAL_SETS) {
		const source = from[set];
		const target = to[set];
		target.bits.set(source.bits.subarray(start, start + count), at);
		target.words.set(source.words.subarray(start * source.stride, (start + count) * source.stride), at * target.stride);
	}
}
