// What both session pages (party and dealer) do first: start a Worker, read the key from the
// link's fragment, fetch and unseal the session's program, and watch who is there.
import type { Failure, OpenedInfo, ProgramReport, SessionInfo } from '../workers/api';
import { createdSessionPath, dealerPath, fromHash, rememberedDealerSecret, sessionPath } from './link';
import { Presence } from './presence.svelte';
import { startPartyWorker, type PartyWorker } from './worker';

export class OpenedSession {
	state = $state<'opening' | 'open' | 'failed'>('opening');
	info = $state<SessionInfo | undefined>();
	report = $state<ProgramReport | undefined>();
	/** The dealer the session grants, and whether this page holds its secret. */
	dealer = $state<OpenedInfo['dealer']>();
	failure = $state<Failure | undefined>();
	key = $state<string | undefined>();
	/** The dealer grant's secret: from the dealer link, or kept by the tab that created the session. */
	dealerSecret = $state<string | undefined>();
	readonly worker: PartyWorker;
	readonly presence: Presence;
	readonly relay: string;

	constructor(
		readonly session: string,
		/** A party page never reads a dealer secret from its link: only the dealer page does. */
		readonly role: 'party' | 'dealer'
	) {
		this.relay = location.origin;
		this.worker = startPartyWorker();
		this.presence = new Presence(this.relay, session);
	}

	async open(hash: string): Promise<void> {
		this.key = fromHash(hash, 'key');
		if (!this.key) {
			this.fail({ kind: 'wrong-key', message: 'the link has no key (the part after #key= is missing)' });
			return;
		}
		this.dealerSecret = this.role === 'dealer' ? fromHash(hash, 'dealer') : rememberedDealerSecret(this.session);
		this.presence.start();
		const answer = await this.worker.api.openSession(this.relay, this.session, this.key, this.dealerSecret);
		if (!answer.ok) return this.fail(answer.failure);
		this.info = answer.value.info;
		this.report = answer.value.report;
		this.dealer = answer.value.dealer;
		this.state = 'open';
	}

	fail(failure: Failure): void {
		this.presence.stop();
		this.failure = failure;
		this.state = 'failed';
	}

	/** The link for the parties, with the key. */
	get partyLink(): string {
		return `${this.relay}${sessionPath(this.session, this.key ?? '')}`;
	}

	/** The link for the dealer, only where this page holds the granted dealer's secret. */
	get dealerLink(): string | undefined {
		if (!this.dealer?.holder || !this.dealerSecret) return undefined;
		return `${this.relay}${dealerPath(this.session, this.key ?? '', this.dealerSecret)}`;
	}

	/** Opens a fresh session with the same program and settings (after a failure); says why not if it cannot. */
	async startOver(): Promise<Failure | undefined> {
		if (!this.info) return undefined;
		const answer = await this.worker.api.createSession(this.relay, $state.snapshot(this.info));
		if (!answer.ok) return answer.failure;
		location.assign(createdSessionPath(answer.value));
		return undefined;
	}

	close(): void {
		this.presence.stop();
		this.worker.terminate();
	}
}
