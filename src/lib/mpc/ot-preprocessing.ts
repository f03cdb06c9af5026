import { randomBlocks } from '../crypto/block';
import { OtCheckError } from '../ot/errors';
import { setupPairwiseOt, type OtLink, type PairwiseOt } from '../ot/setup';
import { AuthBitGenerator } from './abit';
import { viewAuthBits, type AuthBits } from './auth';
import { MpcAbortError } from './errors';
import type { AndMaterial, Preprocessing } from './preprocessing';
import type { Session } from './session';
import { bucketSize, makeTriples } from './triples';

/**
 * Preprocessing without a trusted party (WRK17 §3): pairwise OT extension set up once per
 * session, then per request authenticated bits (F_aShare) and AND triples (F_aAND) for that
 * many AND gates. Each request is one batch; the bucket size follows its size.
 */
export class OtPreprocessing implements Preprocessing {
	private readonly bits: AuthBitGenerator;
	private leakyTriples = 0;
	private andsDone = 0;

	private constructor(
		private readonly session: Session,
		readonly delta: Uint32Array,
		pairs: PairwiseOt[],
		private readonly totalAnds: number
	) {
		this.bits = new AuthBitGenerator(session, delta, pairs);
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

	async andGates(count: number): Promise<AndMaterial> {
		const bucket = bucketSize(count);
		const leaky = count * bucket;
		// One batch of authenticated bits: λ_γ, then x, y and r of every leaky triple.
		const all = await this.bits.generate(count + 3 * leaky);
		const gamma = viewAuthBits(all, 0, count);
		const x = viewAuthBits(all, count, leaky);
		const y = viewAuthBits(all, count + leaky, leaky);
		const r = viewAuthBits(all, count + 2 * leaky, leaky);
		const triple = await makeTriples(this.session, this.delta, x, y, r, count, this.leakyTriples);
		this.leakyTriples += leaky;
		await this.session.checkBroadcasts('preprocessing');
		this.andsDone += count;
		this.session.progress('preprocessing', this.andsDone, this.totalAnds);
		return { gamma, ...triple };
	}
}
