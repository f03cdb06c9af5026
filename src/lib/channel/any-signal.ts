/**
 * A signal that aborts (with the same reason) once any of `signals` does, and `release`, which
 * detaches it from them all; call it when the operation the signal guards is over. Absent
 * signals are skipped; a single one is returned as it is.
 * AbortSignal.any would do, but Node 20 keeps a WeakRef on a long-lived signal (the relay's
 * closing, a client's cancellation) for every signal ever combined with it: the relay's soak
 * counted one per long poll, ≈ 60 per session, its heap growing without end.
 */
export function anySignal(first: AbortSignal, ...rest: (AbortSignal | undefined)[]): { signal: AbortSignal; release(): void };
export function anySignal(...signals: (AbortSignal | undefined)[]): { signal: AbortSignal | undefined; release(): void };
export function anySignal(...given: (AbortSignal | undefined)[]): { signal: AbortSignal | undefined; release(): void } {
	const signals = given.filter((signal) => signal !== undefined);
	if (signals.length <= 1) return { signal: signals[0], release: () => {} };
	const any = new AbortController();
	const release = () => {
		for (const signal of signals) signal.removeEventListener('abort', abort);
	};
	const abort = (event: Event) => {
		release();
		any.abort((event.target as AbortSignal).reason);
	};
	const aborted = signals.find((signal) => signal.aborted);
	if (aborted) any.abort(aborted.reason);
	else for (const signal of signals) signal.addEventListener('abort', abort, { once: true });
	return { signal: any.signal, release };
}
