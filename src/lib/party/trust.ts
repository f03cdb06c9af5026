/**
 * What a session trusts, in the one sentence the web pages and the CLI both say where a
 * person chooses (dealer or not, key or not), so that both say the same. No imports: the
 * pages load it on their own thread.
 */

/** With a dealer: the one thing a party gives up. */
export const DEALER_TRUST = 'This session trusts a dealer: it could learn your input if it colludes with another party.';
/** With OT preprocessing. */
export const NO_THIRD_PARTY = 'No third party is trusted: the parties prepare the computation among themselves.';
/** A dealer without a session key. */
export const UNAUTHENTICATED_DEALER = 'Without a session key the dealer is not authenticated: whoever joins as party 255 deals, and the relay reads what it deals.';
