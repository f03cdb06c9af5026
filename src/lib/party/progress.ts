/**
 * One fraction for a whole run, and the time it still needs at the rate measured so far, from
 * the engine's progress reports. Their phases interleave: AND gates are preprocessed (by OT, or
 * fetched from the dealer) a bounded window ahead of their garbling or evaluation, so neither
 * phase alone says how far the run is, and a bar per phase jumps back and forth between them.
 */
import type { MpcProgress } from '../mpc';
import { stageOf, type PartyStage } from './status';

export interface RunEstimate {
	/** Share of the run's work done, 0 … 1; it never decreases. */
	fraction: number;
	/**
	 * Milliseconds left at the rate of the last RATE_WINDOW_MS; absent until the run has been
	 * measured for MEASURED_MS and has done MEASURED_FRACTION of its work, and while it stalls.
	 */
	remainingMs?: number;
}

/** The rate is what the last 20 s achieved: it follows a change of pace without jumping at every report. */
export const RATE_WINDOW_MS = 20_000;
/** Before 3 s and 2 % of the work, a rate would mostly measure start-up. */
export const MEASURED_MS = 3000;
export const MEASURED_FRACTION = 0.02;

/** The phases that make a run's work, each weighing the same: a party preprocesses and garbles (or evaluates) every AND gate; the dealer deals them. */
const PARTY_WORK = [['preprocessing'], ['garbling', 'evaluation']];
const DEALER_WORK = [['preprocessing']];

/**
 * Follows one participant's run: the stage (which only moves forward: the engine's online
 * phases have begun once one reported) and the estimate.
 */
export class RunProgress {
	private readonly work: readonly (readonly string[])[];
	private readonly done: number[];
	private readonly samples: { at: number; fraction: number }[] = [];
	private fraction = 0;
	private stage: PartyStage = 'preprocessing';
	/** When the first report came. */
	private started: number | undefined;

	constructor(
		role: 'party' | 'dealer',
		private readonly now: () => number = () => Date.now()
	) {
		this.work = role === 'party' ? PARTY_WORK : DEALER_WORK;
		this.done = this.work.map(() => 0);
	}

	update(progress: MpcProgress): { stage: PartyStage; estimate: RunEstimate } {
		if (stageOf(progress) === 'computing') this.stage = 'computing';
		const part = this.work.findIndex((phases) => phases.includes(progress.phase));
		if (part >= 0 && progress.total > 0) this.done[part] = Math.max(this.done[part], Math.min(1, progress.done / progress.total));
		if (progress.phase === 'output') this.done.fill(1);
		this.fraction = Math.max(this.fraction, this.done.reduce((sum, f) => sum + f, 0) / this.done.length);
		return { stage: this.stage, estimate: this.estimate() };
	}

	private estimate(): RunEstimate {
		const at = this.now();
		const samples = this.samples;
		samples.push({ at, fraction: this.fraction });
		// Keep one sample from before the window, so that the rate spans all of it.
		while (samples.length > 2 && samples[1].at <= at - RATE_WINDOW_MS) samples.shift();
		const first = samples[0];
		const measuredMs = at - first.at;
		const progressed = this.fraction - first.fraction;
		this.started ??= at;
		if (at - this.started < MEASURED_MS || this.fraction < MEASURED_FRACTION || progressed <= 0 || this.fraction >= 1) return { fraction: this.fraction };
		return { fraction: this.fraction, remainingMs: ((1 - this.fraction) * measuredMs) / progressed };
	}
}

/** "about 3 min left", "about 40 s left", "a few seconds left". */
export function describeRemaining(ms: number): string {
	const seconds = ms / 1000;
	if (seconds < 10) return 'a few seconds left';
	if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s left`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 90) return `about ${minutes} min left`;
	return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min left`;
}
