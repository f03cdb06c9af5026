/**
 * Secure multi-party computation of Boolean circuits with the WRK17 authenticated-garbling
 * protocol, for any number of parties, maliciously secure as long as one party is honest.
 *
 * - `mpc(channel, circuit, inputBits, { party, evaluator?, outputParties?, preprocessing })`
 *   runs one party; preprocessing comes from a trusted dealer (`runDealer`, party 255) or
 *   from oblivious transfer among the parties.
 * - Failed checks reject with `MpcAbortError` (naming the check and the party) on every
 *   honest party, never with a wrong output.
 */
export { dealerAnnouncementFor, mpc, type MpcOptions } from './protocol';
export type { ReadyOts } from './ot-preprocessing';
export { circuitDigest } from './prepare';
export { runDealer, type DealerOptions } from './dealer';
export { MpcAbortError } from './errors';
export type { MpcProgress } from './session';
