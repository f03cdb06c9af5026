import * as Comlink from 'comlink';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../lib/version';
import type {
	BenchFigures,
	BenchRequest,
	ConstInputs,
	CreatedSession,
	DealerRequest,
	Failure,
	InputReport,
	JoinRequest,
	LinkSecrets,
	OpenedInfo,
	ProgramReport,
	Result,
	RunOutput,
	RunStatus,
	SessionInfo
} from './api';
import { runBenchmark } from './bench';
import { attempt } from './failure';
import { kernelsReady } from './kernels';
import { checkInput, reportProgram } from './program';
import { cancelRun, runDealerInWorker, runPartyInWorker } from './run';
import { createSession, openSession } from './session';

/** What the page can ask of the Worker. Crypto and compilation never run on the page's thread. */
const api = {
	/** Versions, and the crypto kernels the runs use (wasm-simd, or t-table without WebAssembly SIMD). */
	async version(): Promise<{ engine: string; protocol: number; kernels: string }> {
		return { engine: ENGINE_VERSION, protocol: PROTOCOL_VERSION, kernels: await kernelsReady() };
	},

	/** Errors, parties and size of a program; cheap enough to call as the user types. */
	checkProgram(source: string, consts: ConstInputs = {}): ProgramReport {
		return reportProgram(source, consts);
	},

	/** Whether `literal` is a valid input for `party`, with the expected type when it is not. */
	checkInput(source: string, consts: ConstInputs, party: number, literal: string): InputReport {
		return checkInput(source, consts, party, literal);
	},

	/**
	 * Publishes the sealed program and settings (and a fresh dealer grant, with a dealer) under a
	 * fresh session name and key; with `personal`, fresh identities for every party's own link.
	 */
	createSession(relay: string, info: SessionInfo, personal: boolean): Promise<Result<CreatedSession>> {
		return attempt(() => createSession(relay, info, personal));
	},

	/**
	 * Fetches and unseals a session's program and settings with the key from the link; checks a
	 * dealer link's secret against the grant, and a personal link's pass against its party's identity.
	 */
	openSession(relay: string, session: string, key: string, secrets: LinkSecrets): Promise<Result<OpenedInfo>> {
		return attempt(() => openSession(relay, session, key, secrets));
	},

	/**
	 * Joins the session as one party and runs the whole computation; `onStatus` hears every step,
	 * `onRevealing` (awaited) that the output phase begins, `onIdentities` every party's identity.
	 */
	runParty(
		request: JoinRequest,
		onStatus: (status: RunStatus) => void,
		onRevealing: () => Promise<void>,
		onIdentities: (identities: string[]) => void
	): Promise<Result<RunOutput>> {
		return runPartyInWorker(request, onStatus, onRevealing, onIdentities);
	},

	/** Runs the trusted dealer of the session. */
	runDealer(request: DealerRequest, onStatus: (status: RunStatus) => void): Promise<Result<{ used: boolean; forCircuit: boolean }>> {
		return runDealerInWorker(request, onStatus);
	},

	/** One run of the /bench page: all parties of a circuit in this Worker's thread, on the kernels asked for. */
	benchmark(request: BenchRequest): Promise<Result<BenchFigures>> {
		return attempt(() => runBenchmark(request));
	},

	/** Stops the current run (e.g. a party left); the run then fails with `failure`. */
	cancel(failure: Failure): void {
		cancelRun(failure);
	}
};

export type PartyWorkerApi = typeof api;

Comlink.expose(api);
