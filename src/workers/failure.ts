// Sorts errors thrown in the Worker into the kinds the page explains to people.
import { GarbleCompileError, GarbleLiteralError } from '../lib/garble';
import { RelayError, RelayUnreachableError } from '../ui/relay';
import type { Failure, Result } from './api';
import { SessionInfoError } from './session-info';
import { SessionMissingError } from './session';

export function failureOf(error: unknown): Failure {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof RelayUnreachableError) return { kind: 'relay-unreachable', message };
	if (error instanceof RelayError) return { kind: 'relay-refused', message };
	if (error instanceof SessionMissingError) return { kind: 'session-missing', message };
	if (error instanceof SessionInfoError) return { kind: error.reason === 'wrong-key' ? 'wrong-key' : 'malformed-info', message };
	if (error instanceof GarbleCompileError) return { kind: 'bad-program', message };
	if (error instanceof GarbleLiteralError) return { kind: 'bad-input', message };
	if (error instanceof Error && error.name === 'AbortError') return { kind: 'cancelled', message };
	return { kind: 'internal', message };
}

/** Runs `work`, turning a thrown error into a Failure (Comlink would lose its class). */
export async function attempt<T>(work: () => Promise<T>): Promise<Result<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, failure: failureOf(error) };
	}
}
