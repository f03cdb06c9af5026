// Sorts errors thrown in the Worker into the kinds the page explains to people.
import { PeerAbortError } from '../lib/channel/abortable';
import { PeerTimeoutError, StreamError } from '../lib/channel/http';
import { RelayRefusedError, RelayUnreachableError, SlotTakenError } from '../lib/channel/relay-client';
import { SealError } from '../lib/channel/sealed';
import { GarbleCompileError, GarbleLiteralError } from '../lib/garble';
import { MpcAbortError } from '../lib/mpc';
import { OtCheckError } from '../lib/ot/errors';
import { ConstantsError, HandshakeError, JoinTimeoutError, LinkError, MismatchError, PartySetupError } from '../lib/party';
import type { Failure, FailureKind, Result } from './api';
import { SessionInfoError } from './session-info';
import { SessionMissingError } from './session';

function kindOf(error: unknown): FailureKind {
	if (error instanceof RelayUnreachableError) return 'relay-unreachable';
	if (error instanceof RelayRefusedError) return 'relay-refused';
	if (error instanceof SlotTakenError) return 'slot-taken';
	if (error instanceof SessionMissingError) return 'session-missing';
	if (error instanceof LinkError) return 'wrong-key';
	if (error instanceof SessionInfoError) return error.reason === 'wrong-key' ? 'wrong-key' : 'malformed-info';
	if (error instanceof PeerTimeoutError || error instanceof JoinTimeoutError) return 'timeout';
	if (error instanceof MismatchError || error instanceof HandshakeError || error instanceof ConstantsError) return 'mismatch';
	if (error instanceof GarbleLiteralError) return 'bad-input';
	if (error instanceof GarbleCompileError || error instanceof PartySetupError) return 'bad-program';
	if (error instanceof PeerAbortError) return 'peer-aborted';
	if (error instanceof MpcAbortError) return error.check === 'peer abort' ? 'peer-aborted' : error.check === 'cancelled' ? 'cancelled' : 'protocol';
	if (error instanceof SealError || error instanceof StreamError || error instanceof OtCheckError) return 'protocol';
	if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
	return 'internal';
}

export function failureOf(error: unknown): Failure {
	return { kind: kindOf(error), message: error instanceof Error ? error.message : String(error) };
}

/** Runs `work`, turning a thrown error into a Failure (Comlink would lose its class). */
export async function attempt<T>(work: () => Promise<T>): Promise<Result<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, failure: failureOf(error) };
	}
}
