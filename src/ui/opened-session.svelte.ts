// What both session pages (party and dealer) do first: start a Worker, read the key from the
// link's fragment, fetch and unseal the session's program, and watch who is there.
import type { Failure, OpenedInfo, ProgramReport, SessionInfo } from '../workers/api';
import { createdSessionPath, dealerPath, fromHash, personalPath, rememberedDealerSecret, rememberedPasses, sessionPath } from './link';
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
	/** The digest of the session info the link pins, when it pins one. */
	pin: string | undefined;
	/** The dealer grant's secret: from the dealer link, or kept by the tab that created the session. */
	dealerSecret = $state<string | undefined>();
	/** With personal links: the party this link is for and whether its pass is that party's (from the Worker's check). */
	personal = $state<OpenedInfo['personal']>();
	/** A personal link's pass (base64url), as the link carries it. */
	ownPass: string | undefined;
	/** Every party's pass, kept by the tab that created a session with personal links. */
	passes: string[] | undefined;
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

	/**
	 * On a change of what follows # in the address: a whole link pasted into the tab's address
	 * bar changes only that, which the page read as it opened, so a key other than the one it
	 * opened with opens the page again (unless `busy`: not in the middle of a run).
	 */
	reopenOnNewKey(busy: boolean): void {
		const key = fromHash(location.hash, 'key');
		if (key !== undefined && key !== this.key && !busy) location.reload();
	}

	async open(hash: string): Promise<void> {
		this.key = fromHash(hash, 'key');
		if (!this.key) {
			this.fail({ kind: 'no-key', message: 'the link has no key (the part after #key= is missing)' });
			return;
		}
		this.pin = fromHash(hash, 'info');
		this.dealerSecret = this.role === 'dealer' ? fromHash(hash, 'dealer') : rememberedDealerSecret(this.session);
		const party = fromHash(hash, 'party');
		this.ownPass = this.role === 'party' ? fromHash(hash, 'pass') : undefined;
		this.passes = this.role === 'party' ? rememberedPasses(this.session) : undefined;
		const personal = party !== undefined || this.ownPass !== undefined ? { party: party ?? '', pass: this.ownPass ?? '' } : undefined;
		this.presence.start();
		const answer = await this.worker.api.openSession(this.relay, this.session, this.key, {
			...(this.pin ? { info: this.pin } : {}),
			...(this.dealerSecret ? { dealerSecret: this.dealerSecret } : {}),
			...(personal ? { personal } : {})
		});
		if (!answer.ok) return this.fail(answer.failure);
		this.info = answer.value.info;
		this.report = answer.value.report;
		this.dealer = answer.value.dealer;
		this.personal = answer.value.personal;
		this.state = 'open';
	}

	/**
	 * The pass party `party` joins with where the session gives every party its own link: this
	 * link's, or one the creator's tab kept; undefined where this page holds none for it.
	 */
	passFor(party: number): string | undefined {
		if (this.personal?.holder && this.personal.party === party) return this.ownPass;
		return this.passes?.[party];
	}

	/** Every party's personal link, where this page created the session with them. */
	get personalLinks(): string[] | undefined {
		return this.passes?.map((pass, party) => `${this.relay}${personalPath(this.session, this.key ?? '', this.pin, party, pass)}`);
	}

	fail(failure: Failure): void {
		this.presence.stop();
		this.failure = failure;
		this.state = 'failed';
	}

	/** The link for the parties, with the key. */
	get partyLink(): string {
		return `${this.relay}${sessionPath(this.session, this.key ?? '', this.pin)}`;
	}

	/** The link for the dealer, only where this page holds the granted dealer's secret. */
	get dealerLink(): string | undefined {
		if (!this.dealer?.holder || !this.dealerSecret) return undefined;
		return `${this.relay}${dealerPath(this.session, this.key ?? '', this.pin, this.dealerSecret)}`;
	}

	/** Opens a fresh session with the same program and settings (after a failure); says why not if it cannot. */
	async startOver(): Promise<Failure | undefined> {
		if (!this.info) return undefined;
		const answer = await this.worker.api.createSession(this.relay, $state.snapshot(this.info), !!this.info.slotKeys);
		if (!answer.ok) return answer.failure;
		location.assign(createdSessionPath(answer.value));
		return undefined;
	}

	close(): void {
		this.presence.stop();
		this.worker.terminate();
	}
}
