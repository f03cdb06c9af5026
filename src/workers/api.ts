// What the page and the party Worker exchange: plain data only (it crosses postMessage).
import type { ConstInputs, GarbleError } from '../lib/garble';
import type { SessionInfo } from '../lib/party/session-info';

export type { ConstInputs, GarbleError, SessionInfo };

/** One party of a program: a parameter of `main` (or one element of its single array parameter). */
export interface PartyParam {
	name: string;
	type: string;
}

/** A party constant (`PARTY_i::NAME`) that party `party` supplies before the program compiles. */
export interface PartyConst {
	party: number;
	name: string;
	type: string;
}

/** What the editor shows while the user types: errors at their place, the parties, the size. */
export interface ProgramReport {
	errors: GarbleError[];
	/** One entry per party; sizes resolved once the program compiled. */
	parties: PartyParam[];
	returnType?: string;
	partyConsts: PartyConst[];
	/** The program's size once it compiled (it needs no party constants, or they were given). */
	circuit?: { andGates: number; xorGates: number; inputBits: number[]; outputBits: number };
}

/** The answer to "is this literal a valid input for party i?". */
export type InputReport = { ok: true; bits: number } | { ok: false; message: string; expectedType: string };

/** Why something failed, sorted so that the page can say what to do about it (src/ui/explain.ts). */
export const FAILURE_KINDS = [
	'relay-unreachable',
	'relay-refused',
	'slot-taken',
	'session-missing',
	'no-key',
	'wrong-key',
	'malformed-info',
	'info-changed',
	'bad-program',
	'bad-input',
	'timeout',
	'mismatch',
	'untrusted-dealer',
	'peer-aborted',
	'peer-left',
	'restart-refused',
	'protocol',
	'cancelled',
	'internal'
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
	kind: FailureKind;
	/** The error's own words (names the party, phase or check where it knows them). */
	message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** Where a party's run is, as the page shows it. */
export type Stage = 'joining' | 'waiting' | 'handshake' | 'preprocessing' | 'computing' | 'done';

export interface RunStatus {
	stage: Stage;
	/** While waiting: the parties (255 = dealer) that have not joined yet. */
	missing?: number[];
	/** During the run: the peers it has waited for these last seconds (offline for a while, or far slower). */
	waitingFor?: number[];
	/** During the run: the relay has answered nothing for a few seconds, and why; requests are retried. */
	relayUnreachable?: string;
	/** The attempt this status is of, once the run has started again (src/lib/party/attempts.ts). */
	attempt?: number;
	/** Once the run has started again: the latest restart, the parties whose return caused it, and why. */
	restarted?: { attempt: number; parties: number[]; reason: string };
	/** Peers that left mid-run: the run waits a while for them to rejoin. */
	left?: number[];
	/** The engine's current phase and how far it is. */
	progress?: { phase: string; done: number; total: number };
	/** How far the whole run is (0 … 1), and the milliseconds it still needs once measured. */
	estimate?: { fraction: number; remainingMs?: number };
	bytesSent: number;
	bytesReceived: number;
}

/** What a party learns at the end. */
export type RunOutput = { kind: 'value'; text: string } | { kind: 'panic'; message: string } | { kind: 'none' };

/** A session as the link opens it. */
export interface OpenedInfo {
	info: SessionInfo;
	/** What the program looks like; absent when the session carries none (`polytune pre` created it). */
	report?: ProgramReport;
	/** The dealer the session grants: its key's fingerprint, and whether the dealer secret given is its. */
	dealer?: { fingerprint: string; holder: boolean };
	/** A personal link's party, and whether its pass is that party's identity in the session info. */
	personal?: { party: number; holder: boolean };
}

/** The secrets a link (or the tab that created the session) may hold, base64url as in links. */
export interface LinkSecrets {
	/** The digest of the session info the link pins (`info=`). */
	info?: string;
	dealerSecret?: string;
	/** A personal link's `party=` and `pass=`. */
	personal?: { party: string; pass: string };
}

/** What `createSession` gives back: the session's link parts, the dealer's secret when it grants one, and every party's pass with personal links. */
export interface CreatedSession {
	session: string;
	key: string;
	/** The digest of the session info that its links pin (base64url). */
	info: string;
	dealerSecret?: string;
	/** With personal links: each party's pass (base64url), by party. */
	passes?: string[];
}

export interface JoinRequest {
	relay: string;
	session: string;
	/** The secret that holds the slot on the relay; the page keeps it to free the slot when the tab closes. */
	slotToken: string;
	/** The session key from the link (base64url). */
	key: string;
	program: string;
	preprocessing: 'ot' | 'dealer';
	/** The granted dealer's public key (hex), from the session info. */
	dealer?: string;
	parties: number;
	party: number;
	input: string;
	/** Constants every party compiles with (from the session info, e.g. `PARTIES::TOTAL`). */
	sharedConsts: ConstInputs;
	/** This party's own constants `PARTY_{party}::NAME`, by NAME, as Garble literals. */
	consts: Record<string, string>;
	/** The attempt to join: after the tab was reloaded mid-run, the one after the attempt it had started. */
	attempt?: number;
	/** The party's identity in the run, as the page keeps it (PartyOptions.identity); with personal links, from the party's pass. */
	identity: { secret: string; known?: string[] };
	/** With personal links: every party's identity, from the session info (PartyOptions.slotKeys). */
	slotKeys?: string[];
}

export interface DealerRequest {
	relay: string;
	session: string;
	/** As in JoinRequest. */
	slotToken: string;
	key: string;
	/** The dealer grant's secret from the dealer link (base64url). */
	dealerSecret: string;
	parties: number;
	/** With personal links: every party's identity, from the session info (DealerSessionOptions.slotKeys). */
	slotKeys?: string[];
	/** The session's program and constants, from its info (DealerSessionOptions.program). */
	program?: string;
	sharedConsts?: ConstInputs;
}

/** One case of the /bench page: all parties in the Worker's thread, OT preprocessing. */
export interface BenchRequest {
	circuit: 'aes-128' | 'chain';
	parties: number;
	/** The WebAssembly SIMD kernels, or the JavaScript fallback. */
	kernels: 'wasm-simd' | 't-table';
}

/** What one benchmark run measured. */
export interface BenchFigures extends Omit<BenchRequest, 'kernels'> {
	/** The kernels that ran: t-table where WebAssembly SIMD was asked for but is missing. */
	kernels: string;
	ms: number;
	andGates: number;
	/** Every message of every party, in bytes. */
	bytesSent: number;
}
