/**
 * One party's or the trusted dealer's run through the relay: the API the CLI and the
 * browser's Worker share.
 *
 * ```ts
 * const { output } = await runParty({ url, session, party: 0, program, input: '123u32', key, onStatus });
 * if (output?.kind === 'value') console.log(`The result is ${output.text}`);
 * await runDealerSession({ url, session, parties: 3, key, dealerSecret });
 * const { url, session, key } = parseSessionLink('http://host:8000/s/abc#key=…');
 * ```
 */
export { runParty, runDealerSession, sessionNameProblem, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, OFFLINE_TOLERANCE_MS, SILENCE_MS, type PartyOptions, type DealerSessionOptions, type SessionOptions } from './session';
export { attemptSession, MAX_RESTARTS, RestartLimitError, RestartRefusedError, type Restart } from './attempts';
export { runPreparedParty, runDealerOver, type PartyResult, type SessionTransport, type RunOptions, type PartyRunOptions, type DealerRunOptions } from './run';
export { checkDealerProgram, ConstantsError, prepareParty, type DealerProgram, type PartySettings, type PreparedParty } from './prepare';
export type { PartyStage, PartyStatus, MpcProgress, RunEstimate } from './status';
export { describeRemaining } from './progress';
export type { Preprocessing, PreprocessingChoice } from './messages';
export { HandshakeError, JoinTimeoutError, MismatchError, PartySetupError, UntrustedDealerError } from './errors';
export {
	dealerLink,
	formatSessionKey,
	isSessionLink,
	LinkError,
	newSessionKey,
	parseDealerSecret,
	parseInfoDigest,
	parseSessionKey,
	parseSessionLink,
	personalLink,
	personalPass,
	sessionLink,
	type PersonalPass,
	type SessionLink
} from './link';
export { dealerFingerprint, dealerPublicKey, newDealerGrant, type DealerGrant } from './dealer-grant';
export { newIdentitySecret, newSlotIdentities } from './identity';
export {
	newSessionName,
	openSessionInfo,
	publishSessionInfo,
	readSessionInfo,
	sealSessionInfo,
	sessionInfoDigest,
	SessionInfoError,
	type SessionInfo
} from './session-info';
export { DEALER_TRUST, NO_THIRD_PARTY, UNAUTHENTICATED_DEALER } from './trust';
