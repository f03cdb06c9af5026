import type { MpcProgress } from '../mpc';
import type { Restart } from './attempts';
import type { Preprocessing } from './messages';
import type { RunEstimate } from './progress';

export type { MpcProgress, RunEstimate };

/**
 * Where a run is, for a UI to draw (it only moves forward):
 * - `joining`: contacting the relay;
 * - `waiting`: joined; `missing` lists the participants not there yet;
 * - `handshake`: everyone is there; comparing settings, constants and the program;
 * - `preprocessing`, `computing`: the MPC engine at work, with its `progress`;
 * - `done`: finished (the result is what the run resolves with).
 */
export type PartyStage = 'joining' | 'waiting' | 'handshake' | 'preprocessing' | 'computing' | 'done';

export interface PartyStatus {
	stage: PartyStage;
	/** While waiting: the participants that have not joined (or not yet spoken), ascending; 255 is the dealer. */
	missing?: number[];
	/**
	 * While waiting: the parties that finished a run of this session before (attempts.ts,
	 * finishedSession; the dealer not named): the run now waits for everyone to join again.
	 */
	ranBefore?: number[];
	/**
	 * During the run: the peers (ascending; 255 is the dealer) a receive has waited for these
	 * last seconds (session.ts's SILENCE_MS): offline for a while, or far slower. The run goes
	 * on when they are back.
	 */
	waitingFor?: number[];
	/**
	 * During the run: the relay has answered no request for these last seconds, and why (e.g.
	 * 'connection refused'); requests are retried for up to 2 minutes. Peers are then not named
	 * in `waitingFor`: their silence is the relay's.
	 */
	relayUnreachable?: string;
	/** While preprocessing or computing: the engine's latest report (one phase's fraction) and its traffic. */
	progress?: MpcProgress;
	/** While preprocessing or computing: how far the whole run is, and the time it still needs. */
	estimate?: RunEstimate;
	/** Once the parties agreed on it. */
	preprocessing?: Preprocessing;
	/** The attempt this status is of, once the run has started again (attempts.ts); absent for the first. */
	attempt?: number;
	/** Once the run has started again: the latest restart, which party caused it and why. */
	restarted?: Restart;
	/**
	 * Peers that left mid-run (their page closed or reloaded): the run waits up to
	 * OFFLINE_TOLERANCE_MS (session.ts) for them to rejoin, then fails.
	 */
	left?: number[];
	/** Bytes this participant put on the wire so far (framing and sealing included). */
	bytesSent: number;
	bytesReceived: number;
}

/** The engine's phases of the online protocol; every other phase is preprocessing. */
const ONLINE_PHASES = new Set(['input', 'garbling', 'evaluation', 'output']);

export function stageOf(progress: MpcProgress): PartyStage {
	return ONLINE_PHASES.has(progress.phase) ? 'computing' : 'preprocessing';
}
