import type { CreatedSession } from '../workers/api';

// Session links (src/lib/party/link.ts): `/s/{session}#key=…&info=…` for the parties,
// `/s/{session}#key=…&info=…&party=N&pass=…` for one party where the session gives each its own,
// `/s/{session}/dealer#key=…&info=…&dealer=…` for the dealer; `info=` pins the session's info.
// Keys live in the fragment, which browsers never send to the server, so the relay never sees them.

/** The key, and the info's digest where the link pins one. */
function fragment(key: string, info: string | undefined): string {
	return `#key=${key}${info ? `&info=${info}` : ''}`;
}

export function sessionPath(session: string, key: string, info?: string): string {
	return `/s/${encodeURIComponent(session)}${fragment(key, info)}`;
}

/** Party `party`'s personal link. */
export function personalPath(session: string, key: string, info: string | undefined, party: number, pass: string): string {
	return `${sessionPath(session, key, info)}&party=${party}&pass=${pass}`;
}

export function dealerPath(session: string, key: string, info: string | undefined, dealerSecret: string): string {
	return `/s/${encodeURIComponent(session)}/dealer${fragment(key, info)}&dealer=${dealerSecret}`;
}

/** A value of a location's fragment (`#key=…&dealer=…`), or undefined when it has none. */
export function fromHash(hash: string, name: 'key' | 'info' | 'dealer' | 'party' | 'pass'): string | undefined {
	return new URLSearchParams(hash.replace(/^#/, '')).get(name) || undefined;
}

const REMEMBERED = 'polytune-dealer-secret:';
const REMEMBERED_PASSES = 'polytune-passes:';

/**
 * Where a freshly created session opens: its party page. The creator's tab keeps the dealer
 * secret and the parties' passes (for this tab only, and across reloads), so that its party
 * page can show the dealer's and the parties' links: the link it opens carries neither.
 */
export function createdSessionPath(created: CreatedSession): string {
	if (created.dealerSecret) sessionStorage.setItem(REMEMBERED + created.session, created.dealerSecret);
	if (created.passes) sessionStorage.setItem(REMEMBERED_PASSES + created.session, JSON.stringify(created.passes));
	return sessionPath(created.session, created.key, created.info);
}

/** The dealer secret this tab kept for a session it created. */
export function rememberedDealerSecret(session: string): string | undefined {
	return sessionStorage.getItem(REMEMBERED + session) ?? undefined;
}

/** The parties' passes this tab kept for a session it created with personal links, by party. */
export function rememberedPasses(session: string): string[] | undefined {
	const kept = sessionStorage.getItem(REMEMBERED_PASSES + session);
	if (!kept) return undefined;
	const passes = JSON.parse(kept) as unknown;
	return Array.isArray(passes) && passes.every((pass) => typeof pass === 'string') ? passes : undefined;
}
