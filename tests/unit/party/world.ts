// Parties and a dealer of one session in this process, over a MemoryNetwork standing in for the relay.
import { DEALER_PARTY, type Channel } from '../../../src/lib/channel/channel';
import { MemoryNetwork, type Interceptor } from '../../../src/lib/channel/memory';
import { PeerTimeoutError } from '../../../src/lib/channel/http';
import { prepareParty, runDealerOver, runPreparedParty, type PartyResult, type PartySettings, type PartyStatus, type SessionTransport } from '../../../src/lib/party';
import type { Circuit } from '../../../src/lib/garble';

export const SUM = 'pub fn main(x: u32, y: u32, z: u32) -> u32 { x + y + z }';
/** Two parties whose program takes a constant from each: it compiles once every party's are known (every hello is in). */
export const ROWS = `const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;
pub fn main(a: [u8; ROWS_0], b: [u8; ROWS_1]) -> u8 {
    let mut total = 0u8;
    for x in a { total = total + x; }
    for y in b { total = total + y; }
    total
}`;
export const KEY = new Uint8Array(32).fill(7);
export const SESSION = 'test';
/** Test timeout for whole runs with OT preprocessing (or two runs): seconds alone, more on a loaded machine. */
export const SLOW_RUN_MS = 60_000;

export interface World {
	net: MemoryNetwork;
	joined: Set<number>;
	key?: Uint8Array;
}

/** A session; `dealer`: party 255 counts as joined from the start. */
export function world(options: { interceptor?: Interceptor; key?: Uint8Array; dealer?: boolean } = {}): World {
	const joined = new Set<number>();
	if (options.dealer) joined.add(DEALER_PARTY);
	return { net: new MemoryNetwork(options.interceptor), joined, key: options.key };
}

/** What the relay gives one participant: its channel, the key (if any) and who is there. */
export function transport(w: World, party: number): SessionTransport {
	w.joined.add(party);
	const raw = w.net.channel(party);
	// Cancelling ends this party's receives only, as with the relay.
	let cancel!: (reason: unknown) => void;
	const cancelled = new Promise<never>((_, reject) => (cancel = reject));
	cancelled.catch(() => {});
	const channel: Channel = { sendBytesTo: raw.sendBytesTo, recvBytesFrom: (from, info) => Promise.race([raw.recvBytesFrom(from, info), cancelled]) };
	return {
		session: SESSION,
		channel,
		...(w.key ? { key: w.key } : {}),
		participants: async () => [...w.joined].sort((a, b) => a - b),
		traffic: () => ({ bytesSent: w.net.bytesSent.get(party) ?? 0, bytesReceived: 0 }),
		cancel: (reason) => {
			w.joined.delete(party); // as the relay session leaves
			cancel(reason);
		}
	};
}

/** `t` whose receives give up on a sender silent for `ms`, as the relay's channel does (the in-memory one waits). */
export function timingOut(t: SessionTransport, ms: number): SessionTransport {
	const { recvBytesFrom } = t.channel;
	const giveUp = (from: number, phase: string | undefined) => new Promise<never>((_, reject) => setTimeout(() => reject(new PeerTimeoutError(from, phase, ms)), ms));
	return { ...t, channel: { ...t.channel, recvBytesFrom: (from, info) => Promise.race([recvBytesFrom(from, info), giveUp(from, info?.phase)]) } };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
export const settle = <T>(promise: Promise<T>): Promise<Outcome<T>> =>
	promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error })
	);

export interface RunAllOptions {
	/** Run the dealer too, signing with `secret` when given, and dealing for `circuit` when given. */
	dealer?: boolean | { secret?: Uint8Array; circuit?: Circuit };
	statuses?: PartyStatus[][];
	/** Let nothing but the participants' own notices end the others' runs (see runAll). */
	ownAbortsOnly?: boolean;
}

/**
 * How long the others get to notice a failure themselves (and say which check failed) before
 * their waits are ended: long enough for a busy machine to finish a step such as base OTs.
 */
const CLOSE_AFTER_FAILURE_MS = 3000;

/**
 * Runs the parties (and the dealer when asked) over one network. Unless `ownAbortsOnly`, it
 * never hangs on a failure: once anyone has failed, it ends every receive still waiting. A
 * test of how the parties tell each other sets `ownAbortsOnly`, so that nothing but their
 * own notices can end the others' runs (a broken notice then shows as a test timeout).
 */
export async function runAll(w: World, settings: PartySettings[], options: RunAllOptions = {}) {
	// Everyone joins first, as they would before the last one arrives at the relay.
	const transports = settings.map((s) => transport(w, s.party));
	const dealerTransport = options.dealer ? transport(w, DEALER_PARTY) : undefined;
	const { secret, circuit } = typeof options.dealer === 'object' ? options.dealer : {};
	const runs = settings.map((s, i) =>
		settle(
			runPreparedParty(transports[i], prepareParty(s, { keyed: !!w.key }), {
				timeoutMs: 10_000,
				onStatus: (status) => options.statuses?.[i]?.push(status)
			})
		)
	);
	const dealer = dealerTransport ? settle(runDealerOver(dealerTransport, { parties: settings.length, timeoutMs: 10_000, secret, ...(circuit ? { circuit } : {}) })) : undefined;
	// Once anyone has failed, end every receive still waiting, as a timeout would.
	for (const run of options.ownAbortsOnly ? [] : [...runs, ...(dealer ? [dealer] : [])]) {
		void run.then((outcome) => {
			if (!outcome.ok) setTimeout(() => w.net.close(new Error('test: a participant failed')), CLOSE_AFTER_FAILURE_MS);
		});
	}
	return { parties: await Promise.all(runs), dealer: await dealer };
}

export function value(outcome: Outcome<PartyResult>): string | undefined {
	if (!outcome.ok) throw outcome.error;
	return outcome.value.output?.kind === 'value' ? outcome.value.output.text : undefined;
}

export function failure(outcome: Outcome<unknown> | undefined): Error {
	if (!outcome || outcome.ok) throw new Error(outcome ? 'expected a failure, got a result' : 'expected a failure, got no run');
	return outcome.error as Error;
}

export const sum = (inputs: string[], extra: Partial<PartySettings> = {}): PartySettings[] =>
	inputs.map((input, party) => ({ party, program: SUM, input, ...extra }));
