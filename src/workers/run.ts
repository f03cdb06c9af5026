// A party's or the dealer's run in the Worker, through src/lib/party (the same code as the CLI).
import { parseDealerSecret, parseSessionKey, runDealerSession, runParty, type PartyStatus } from '../lib/party';
import type { DealerRequest, Failure, JoinRequest, Result, RunOutput, RunStatus } from './api';
import { attempt } from './failure';
import { compiled } from './program';
import { kernelsReady } from './kernels';

/**
 * Browsers open at most six connections to one host, shared by all tabs of a profile, and a
 * waiting long poll holds one: with several parties in tabs of one browser, long waits
 * would starve the sends they are waiting for. Short waits keep the connections turning.
 */
const POLL_WAIT_MS = 1000;

/** The run in progress (one per Worker) and why the page stopped it, if it did. */
let current: { controller: AbortController; stoppedBecause?: Failure } | undefined;

function statusOf(status: PartyStatus): RunStatus {
	const { stage, missing, waitingFor, relayUnreachable, attempt, restarted, left, progress, estimate, bytesSent, bytesReceived } = status;
	return {
		stage,
		...(missing ? { missing: [...missing] } : {}),
		...(waitingFor ? { waitingFor: [...waitingFor] } : {}),
		...(relayUnreachable ? { relayUnreachable } : {}),
		...(attempt ? { attempt } : {}),
		...(restarted ? { restarted: { ...restarted, parties: [...restarted.parties] } } : {}),
		...(left ? { left: [...left] } : {}),
		...(progress ? { progress: { phase: progress.phase, done: progress.done, total: progress.total } } : {}),
		...(estimate ? { estimate: { ...estimate } } : {}),
		bytesSent,
		bytesReceived
	};
}

async function exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<Result<T>> {
	if (current) return { ok: false, failure: { kind: 'internal', message: 'this tab is already running a party' } };
	const run: { controller: AbortController; stoppedBecause?: Failure } = { controller: new AbortController() };
	current = run;
	try {
		await kernelsReady();
		const result = await attempt(() => work(run.controller.signal));
		return !result.ok && run.stoppedBecause ? { ok: false, failure: run.stoppedBecause } : result;
	} finally {
		current = undefined;
	}
}

/**
 * Runs a party of the page. `onRevealing` is awaited before the party sends anything of the
 * output phase: the page records it in the tab's sessionStorage, so that a reload after that
 * point refuses to rejoin. `onIdentities` hears every party's identity in the run, which the
 * page keeps there too, so that a reload can rejoin as itself and check the others.
 */
export function runPartyInWorker(
	request: JoinRequest,
	onStatus: (status: RunStatus) => void,
	onRevealing: () => Promise<void>,
	onIdentities: (identities: string[]) => void
): Promise<Result<RunOutput>> {
	return exclusive(async (signal): Promise<RunOutput> => {
		const { output } = await runParty({
			url: request.relay,
			session: request.session,
			slotToken: request.slotToken,
			key: parseSessionKey(request.key),
			party: request.party,
			parties: request.parties,
			program: request.program,
			input: request.input,
			consts: request.consts,
			sharedConsts: request.sharedConsts,
			preprocessing: request.preprocessing,
			...(request.dealer ? { dealer: request.dealer } : {}),
			compiler: compiled,
			...(request.attempt ? { attempt: request.attempt } : {}),
			identity: request.identity,
			...(request.slotKeys ? { slotKeys: request.slotKeys } : {}),
			onIdentities: (identities) => onIdentities([...identities]),
			beforeOutput: onRevealing,
			onStatus: (status) => onStatus(statusOf(status)),
			pollWaitMs: POLL_WAIT_MS,
			signal
		});
		if (!output) return { kind: 'none' };
		return output.kind === 'value' ? { kind: 'value', text: output.text } : { kind: 'panic', message: output.message };
	});
}

export function runDealerInWorker(request: DealerRequest, onStatus: (status: RunStatus) => void): Promise<Result<{ used: boolean; forCircuit: boolean }>> {
	return exclusive((signal) =>
		runDealerSession({
			url: request.relay,
			session: request.session,
			slotToken: request.slotToken,
			key: parseSessionKey(request.key),
			dealerSecret: parseDealerSecret(request.dealerSecret),
			parties: request.parties,
			...(request.slotKeys ? { slotKeys: request.slotKeys } : {}),
			...(request.program !== undefined ? { program: { source: request.program, sharedConsts: request.sharedConsts ?? {}, compiler: compiled } } : {}),
			onStatus: (status) => onStatus(statusOf(status)),
			pollWaitMs: POLL_WAIT_MS,
			signal
		})
	);
}

/** Stops the run in progress; it then fails with `failure` (the other parties are told). */
export function cancelRun(failure: Failure): void {
	if (!current || current.controller.signal.aborted) return;
	current.stoppedBecause = failure;
	current.controller.abort(new Error(failure.message));
}
