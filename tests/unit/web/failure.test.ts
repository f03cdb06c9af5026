/**
 * Every error a run can end with reaches the page as a kind that the page explains, with what
 * to do about it. The error classes are found, not listed: a new exported error class without
 * a rule in src/workers/failure.ts fails here.
 */
import { describe, expect, it } from 'vitest';
import { PeerGoneError } from '../../../src/lib/channel/http';
import { GarbleCompileError } from '../../../src/lib/garble';
import { MpcAbortError } from '../../../src/lib/mpc';
import { ConstantsError } from '../../../src/lib/party';
import { explain } from '../../../src/ui/explain';
import { FAILURE_KINDS, type FailureKind } from '../../../src/workers/api';
import { failureOf } from '../../../src/workers/failure';
import { SessionInfoError } from '../../../src/lib/party/session-info';

// Every module whose errors can reach the Worker's answer: src/lib (except the relay server's
// own code, which never runs in a Worker) and src/workers (except the Worker's entry, which
// needs a Worker scope to load and exports nothing).
const modules: Record<string, object> = import.meta.glob(
	['../../../src/lib/**/*.ts', '!../../../src/lib/server/**', '../../../src/workers/*.ts', '!../../../src/workers/party.worker.ts'],
	{ eager: true }
);

type ErrorClass = abstract new (...args: never[]) => Error;
const isErrorClass = (value: unknown): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error;

/** Each exported Error subclass once (an index's re-export is the same class). */
const classes = [
	...new Set(
		Object.values(modules)
			.flatMap((exports) => Object.values(exports))
			.filter(isErrorClass)
	)
].map((type) => ({ type, name: type.name }));

/** An instance without running the constructor (each class wants other arguments): enough for `instanceof`. */
const instanceOf = (type: ErrorClass): Error => Object.create(type.prototype) as Error;

describe('failure kinds', () => {
	it('finds the error classes of the engine, the channels, the party runs, the compiler and the Worker', () => {
		const names = classes.map((c) => c.name);
		for (const name of ['PeerGoneError', 'PeerTimeoutError', 'MpcAbortError', 'OtCheckError', 'SealError', 'GarbleCompileError', 'JoinTimeoutError', 'SessionMissingError', 'SessionInfoError']) {
			expect(names).toContain(name);
		}
	});

	it.each(classes)('sorts $name into a kind that the page explains', ({ type }) => {
		const failure = failureOf(instanceOf(type));
		expect(failure.kind).not.toBe('internal');
		const explanation = explain(failure, 'join');
		expect(explanation.title.length).toBeGreaterThan(0);
		expect(explanation.advice.length).toBeGreaterThan(0);
	});

	it('says that a party left, not that something went wrong, when a peer vanishes mid-run', () => {
		const failure = failureOf(new PeerGoneError(2, 'garbling'));
		expect(failure).toEqual({ kind: 'peer-left', message: 'party 2 left the session while this party waited for it (garbling): it stopped, or lost its connection' });
		expect(explain(failure, 'join').title).toBe('A party left during the computation');
	});

	it('tells a peer abort, a cancellation and a failed check apart', () => {
		expect(failureOf(new MpcAbortError('peer abort', 1, 'party 1 aborted: MAC check failed')).kind).toBe('peer-aborted');
		expect(failureOf(new MpcAbortError('cancelled', 0, 'party 0 cancelled the run')).kind).toBe('cancelled');
		expect(failureOf(new MpcAbortError('MAC check', 2, "MAC check failed on party 2's input masks")).kind).toBe('protocol');
	});

	it('sorts a subclass by its own rule: constants the parties disagree on are a mismatch, not a bad program', () => {
		expect(failureOf(instanceOf(ConstantsError)).kind).toBe('mismatch');
		expect(ConstantsError.prototype).toBeInstanceOf(GarbleCompileError);
	});

	it('tells a wrong key from session info of another version', () => {
		expect(failureOf(new SessionInfoError('wrong-key', 'the key does not open it')).kind).toBe('wrong-key');
		expect(failureOf(new SessionInfoError('malformed', 'unknown format')).kind).toBe('malformed-info');
	});

	it('counts an aborted fetch as cancelled, and anything else as internal with its message', () => {
		expect(failureOf(new DOMException('The operation was aborted.', 'AbortError')).kind).toBe('cancelled');
		expect(failureOf(new Error('unexpected'))).toEqual({ kind: 'internal', message: 'unexpected' });
		expect(failureOf('a string')).toEqual({ kind: 'internal', message: 'a string' });
	});

	it('has a title of its own and advice for every kind', () => {
		const titles = new Set<string>();
		for (const kind of FAILURE_KINDS) {
			const explanation = explain({ kind: kind as FailureKind, message: 'm' }, 'join');
			expect(explanation.advice.length, kind).toBeGreaterThan(0);
			titles.add(explanation.title);
		}
		expect(titles.size).toBe(FAILURE_KINDS.length);
	});
});
