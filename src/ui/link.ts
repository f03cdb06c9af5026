import type { CreatedSession } from '../workers/api';

// Session links: `/s/{session}#key=…` for the parties, `/s/{session}/dealer#key=…&dealer=…`
// for the dealer. Keys live in the fragment, which browsers never send to the server, so the
// relay never sees them.

export function sessionPath(session: string, key: string): string {
	return `/s/${encodeURIComponent(session)}#key=${key}`;
}

export function dealerPath(session: string, key: string, dealerSecret: string): string {
	return `/s/${encodeURIComponent(session)}/dealer#key=${key}&dealer=${dealerSecret}`;
}

/** A value of a location's fragment (`#key=…&dealer=…`), or undefined when it has none. */
export function fromHash(hash: string, name: 'key' | 'dealer'): string | undefined {
	return new URLSearchParams(hash.replace(/^#/, '')).get(name) || undefined;
}

const REMEMBERED = 'polytune-dealer-secret:';

/**
 * Where a freshly created session opens: its party page. The creator's tab keeps the dealer
 * secret (for this tab only, and across reloads), so that its party page can show the dealer
 * link: the party link itself never carries it.
 */
export function createdSessionPath(created: CreatedSession): string {
	if (created.dealerSecret) sessionStorage.setItem(REMEMBERED + created.session, created.dealerSecret);
	return sessionPath(created.session, created.key);
}

/** The dealer secret this tab kept for a session it created. */
export function rememberedDealerSecret(session: string): string | undefined {
	return sessionStorage.getItem(REMEMBERED + session) ?? undefined;
}
