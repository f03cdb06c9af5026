// Sorts errors thrown in the Worker into the kinds the page explains to people.
import { PeerAbortError } from '../lib/channel/abortable';
import { PeerGoneError, PeerTimeoutError, StreamError } from '../lib/channel/http';
import { MailboxWireError } from '../lib/channel/mailbox-wire';
import { PairKeyError } from '../lib/channel/pair-sealed';
import { RelayRefusedError, RelaySessionLostError, RelayUnreachableError, SlotTakenError } from '../lib/channel/relay-client';
import { SealError } from '../lib/channel/sealed';
import { GarbleCompileError, GarbleLiteralError } from '../lib/garble';
import { CircuitTooLargeError } from '../lib/garble/circuit/builder';
import { TooLargeError } from '../lib/garble/layout';
import { MpcAbortError } from '../lib/mpc';
import { OtCheckError } from '../lib/ot/errors';
import {
	ConstantsError,
	HandshakeError,
	JoinTimeoutError,
	LinkError,
	MismatchError,
	PartySetupError,
	RestartLimitError,
	RestartRefusedError,
	SessionInfoError,
	UntrustedDealerError
} from '../lib/party';
import type { Failure, FailureKind, Result } from './api';
import { SessionMissingError } from './session';

interface KindRule {
	type: abstract new (...args: never[]) => Error;
	kind: (error: Error) => FailureKind;
}

/** An error class and its kind, or how to tell the kind from an instance. */
function rule<E extends Error>(type: abstract new (...args: never[]) => E, kind: FailureKind | ((error: E) => FailureKind)): KindRule {
	return { type, kind: typeof kind === 'string' ? () => kind : (error) => kind(error as E) };
}

/**
 * Every error class of src/lib and src/workers that can reach the page, with its kind; the
 * first rule an error is an instance of decides, so a subclass comes before its base class.
 * tests/unit/web/failure.test.ts finds every exported error class and fails for one that
 * has no rule here.
 */
const RULES: readonly KindRule[] = [
	rule(RelayUnreachableError, 'relay-unreachable'),
	rule(SlotTakenError, 'slot-taken'),
	// A request for a slot that another participant holds: it claimed the slot first (or after this one was away longer than the lease).
	rule(RelayRefusedError, (error) => (error.reason === 'token-wrong' ? 'slot-taken' : 'relay-refused')),
	// The relay restarted without a shared store: what it held is gone, but it works again.
	rule(RelaySessionLostError, 'relay-refused'),
	rule(SessionMissingError, 'session-missing'),
	rule(LinkError, 'wrong-key'),
	rule(SessionInfoError, (error) => (error.reason === 'wrong-key' ? 'wrong-key' : error.reason === 'changed' ? 'info-changed' : 'malformed-info')),
	rule(PeerTimeoutError, 'timeout'),
	rule(JoinTimeoutError, 'timeout'),
	rule(PeerGoneError, 'peer-left'),
	rule(RestartRefusedError, 'restart-refused'),
	rule(RestartLimitError, 'restart-refused'),
	rule(MismatchError, 'mismatch'),
	rule(HandshakeError, 'mismatch'),
	rule(UntrustedDealerError, 'untrusted-dealer'),
	// Before GarbleCompileError, its base class: the parties compiled with different constants.
	rule(ConstantsError, 'mismatch'),
	rule(GarbleLiteralError, 'bad-input'),
	rule(GarbleCompileError, 'bad-program'),
	// compile() turns both into a GarbleCompileError; listed in case one escapes another way.
	rule(CircuitTooLargeError, 'bad-program'),
	rule(TooLargeError, 'bad-program'),
	rule(PartySetupError, 'bad-program'),
	rule(PeerAbortError, 'peer-aborted'),
	rule(MpcAbortError, (error) => (error.check === 'peer abort' ? 'peer-aborted' : error.check === 'cancelled' ? 'cancelled' : 'protocol')),
	rule(SealError, 'protocol'),
	rule(PairKeyError, 'protocol'),
	rule(StreamError, 'protocol'),
	rule(MailboxWireError, 'protocol'),
	rule(OtCheckError, 'protocol')
];

function kindOf(error: unknown): FailureKind {
	if (!(error instanceof Error)) return 'internal';
	const found = RULES.find((r) => error instanceof r.type);
	if (found) return found.kind(error);
	// fetch and AbortSignal reject with a DOMException named AbortError when a run is cancelled.
	return error.name === 'AbortError' ? 'cancelled' : 'internal';
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
