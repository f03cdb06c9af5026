/**
 * A signal that aborts when `a` or `b` does, and `release`, which detaches it from both.
 * AbortSignal.any would do, but Node 20 keeps a WeakRef on the long-lived signal (the relay's
 * closing) for every signal ever combined with it: the soak measured one per long poll,
 * ≈ 60 per session, the relay's heap growing without end.
 */
export function eitherSignal(a: AbortSignal, b: AbortSignal): { stop: AbortSignal; release(): void } {
	const either = new AbortController();
	const abort = () => {
		release();
		either.abort();
	};
	const release = () => {
		a.removeEventListener('abort', abort);
		b.removeEventListener('abort', abort);
	};
	if (a.aborted || b.aborted) either.abort();
	else {
		a.addEventListener('abort', abort, { once: true });
		b.addEventListener('abort', abort, { once: true });
	}
	return { stop: either.signal, release };
}
