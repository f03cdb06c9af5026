// User Timing marks a party sets (DevTools' performance panel shows them; bench:relay reads
// them to split a run into its start-up, its set-up with the others and the MPC protocol).

/** Set once the party's program is compiled and its run prepared. */
export const CIRCUIT_READY_MARK = 'polytune: circuit ready';

/**
 * Set once the party has run its handshake with its peers (hellos in, its confirm out): what
 * follows, meeting the dealer (which deals) or OT's first round, the in-process engine does too.
 */
export const SET_UP_MARK = 'polytune: set up';
