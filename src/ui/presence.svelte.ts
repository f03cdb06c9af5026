// Who is in a session, live: polls the relay's participant lists and notices departures.
import { RelayClient } from '$lib/channel/relay-client';
import { finishedSession } from '$lib/party/attempts';
import { ACTIVE_MS } from '$lib/party/session';

/** How often the page looks at the session's parties. */
const POLL_MS = 1500;
/** Every this many looks, it also asks who finished a run (a change that needs no haste; a browser has few connections per host). */
const FINISHED_EVERY = 10;

export class Presence {
	/** Parties seen recently (by the window the parties' own waiting room uses): their slots are taken. */
	active = $state<number[]>([]);
	/** Parties joined, seen recently or not (only an explicit leave removes one). */
	joined = $state<number[]>([]);
	/** Parties that were present and left, newest last; cleared when one comes back. */
	departed = $state<number[]>([]);
	/** Participants that finished a run of this session (src/lib/party/attempts.ts, finishedSession). */
	finished = $state<number[]>([]);
	/** Whether the last look at the relay failed (the relay may be down). */
	unreachable = $state(false);
	readonly #relay: RelayClient;
	readonly #finishedSession: string;
	#looks = 0;
	readonly #stop = new AbortController();
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		relay: string,
		private session: string
	) {
		this.#relay = new RelayClient({ url: relay, retryWindowMs: 0, signal: this.#stop.signal });
		this.#finishedSession = finishedSession(session);
	}

	start(): void {
		void this.#poll();
	}

	/** Watches another relay session from the next look on: the attempt a run has moved to (src/lib/party/attempts.ts). */
	follow(session: string): void {
		if (session === this.session) return;
		this.session = session;
		// Nobody left: the parties move over one by one.
		this.active = [];
		this.joined = [];
		this.departed = [];
	}

	/** This page's own participant left: it is no longer shown as present (nor as departed). */
	forget(party: number): void {
		this.active = this.active.filter((p) => p !== party);
		this.joined = this.joined.filter((p) => p !== party);
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#stop.abort();
	}

	async #poll(): Promise<void> {
		try {
			const [active, joined, finished] = await Promise.all([
				this.#relay.participants(this.session, ACTIVE_MS),
				this.#relay.participants(this.session),
				this.#looks++ % FINISHED_EVERY === 0 ? this.#relay.participants(this.#finishedSession) : this.finished
			]);
			this.#update(active, joined);
			if (finished.join() !== this.finished.join()) this.finished = finished;
			this.unreachable = false;
		} catch {
			if (this.#stop.signal.aborted) return;
			this.unreachable = true;
		}
		if (!this.#stop.signal.aborted) this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
	}

	#update(active: number[], joined: number[]): void {
		const gone = this.active.filter((p) => !active.includes(p));
		this.departed = [...this.departed.filter((p) => !active.includes(p) && !gone.includes(p)), ...gone];
		this.active = active;
		this.joined = joined;
	}
}

/** Leaves the session at once, freeing the slot held with `slotToken`, in a request that outlives the closing tab. */
export function leaveNow(relay: string, session: string, party: number, slotToken: string | undefined): void {
	const client = new RelayClient({ url: relay, retryWindowMs: 0, fetch: (input, init) => fetch(input, { ...init, keepalive: true }) });
	void client.leave(session, party, slotToken).catch(() => {});
}
