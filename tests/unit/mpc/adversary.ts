/**
 * The adversary of WRK17's model for tests: a coalition of corrupted participants (up to n − 1
 * parties, possibly with the dealer) that is *rushing* — before it sends a message of a round
 * it may wait until every honest party has sent what it can, and read all of that — and that
 * may change, drop, replay, reorder or inject any of its own messages, adaptively.
 *
 * Corrupted participants run the honest code; what they send, and what their code reads,
 * passes through a strategy that sees everything honest parties have sent to the coalition so
 * far. Honest parties are untouched.
 */
import { DEALER_PARTY, type Channel, type MessageInfo } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import type { Bits, Circuit } from '../../../src/lib/garble/circuit';
import { MpcAbortError, mpc, type MpcOptions } from '../../../src/lib/mpc';
import { untilQuiet } from '../../helpers/quiet';
import { expected, startDealer, type DealerKind } from './helpers';

/** A message as the engine wrote it, without AbortableChannel's one-byte frame (the stream number). */
export interface Message {
	from: number;
	to: number;
	/** The engine's label of the round (`what` of Session.send). */
	phase: string;
	/** The stream it travels on (src/lib/mpc/streams.ts). */
	stream: number;
	payload: Uint8Array;
}

/** What the coalition has seen and can do while it decides. */
export interface Coalition {
	readonly corrupted: ReadonlySet<number>;
	/** Every message honest parties sent to a corrupted participant so far, in order, read or not. */
	readonly received: readonly Message[];
	/** The messages corrupted participants were about to send so far (before the strategy changed them). */
	readonly sent: readonly Message[];
	/** Resolves once no honest party can send anything more without hearing from the coalition. */
	rush(): Promise<void>;
	/** The first honest message in `phase` from `from` to any corrupted participant (to `to` when given). */
	find(phase: string, from: number, to?: number): Message;
	/** Waits for the `nth` (from 0) message in `phase` that corrupted party `from` was about to send to `to`. */
	own(phase: string, from: number, to: number, nth?: number): Promise<Message>;
}

/** What replaces a message: undefined keeps it, an array is delivered instead (empty: dropped; several: injected). */
export type Decision = Promise<Uint8Array[] | undefined> | Uint8Array[] | undefined;

/**
 * The coalition's behaviour. `send` decides what a corrupted participant sends instead of
 * what its honest code produced; `deliver` decides what a corrupted participant's honest code
 * gets to read instead of an honest party's message (the adversary keeps its own parties'
 * code running as it likes, e.g. past checks it defeats). Corrupted participants never send
 * abort notices: a cheater does not warn its victims.
 */
export interface Strategy {
	send?(message: Message, coalition: Coalition): Decision;
	deliver?(message: Message, coalition: Coalition): Decision;
}

/** AbortableChannel's frame tag of an abort notice; every other tag is a stream. */
const ABORT_TAG = 0xff;

/** Honest parties still waited for the coalition when all of its participants had stopped. */
export class CoalitionGoneError extends Error {
	override name = 'CoalitionGoneError';
	constructor() {
		super('the coalition stopped while honest parties still waited for it (its strategy left them hanging)');
	}
}

class CoalitionState implements Coalition {
	readonly received: Message[] = [];
	readonly sent: Message[] = [];
	private honestSends = 0;

	constructor(readonly corrupted: ReadonlySet<number>) {}

	noteHonestSend(message: Message | null): void {
		this.honestSends++;
		if (message) this.received.push(message);
	}

	rush(): Promise<void> {
		// Once a few turns of the event loop pass without a new honest send, all honest parties
		// wait for the coalition.
		return untilQuiet(() => this.honestSends, 3);
	}

	find(phase: string, from: number, to?: number): Message {
		const found = this.received.find((m) => m.phase === phase && m.from === from && (to === undefined || m.to === to));
		if (!found) throw new Error(`the coalition has seen no '${phase}' message from party ${from}`);
		return found;
	}

	async own(phase: string, from: number, to: number, nth = 0): Promise<Message> {
		for (;;) {
			const found = this.sent.filter((m) => m.phase === phase && m.from === from && m.to === to)[nth];
			if (found) return found;
			await new Promise((resolve) => setImmediate(resolve));
		}
	}
}

function framed(payload: Uint8Array, stream: number): Uint8Array {
	const bytes = new Uint8Array(payload.length + 1);
	bytes.set(payload);
	bytes[payload.length] = stream;
	return bytes;
}

function messageOf(from: number, to: number, bytes: Uint8Array, info?: MessageInfo): Message {
	return { from, to, phase: info?.phase ?? '', stream: bytes[bytes.length - 1], payload: bytes.slice(0, -1) };
}

/** Channels of one MemoryNetwork, the corrupted ones driven by `strategy`. */
function adversarialChannels(network: MemoryNetwork, coalition: CoalitionState, strategy: Strategy): (party: number) => Channel {
	return (party) => {
		const inner = network.channel(party);
		// Messages of one stream and direction stay in order even while the strategy holds one of
		// them; other streams go on (the receiver sorts messages by stream, so a cheater may too).
		const tails = new Map<string, Promise<void>>();
		const inOrder = (to: number, stream: number, send: () => Promise<void>): Promise<void> => {
			const key = `${to}:${stream}`;
			const sent = (tails.get(key) ?? Promise.resolve()).then(send);
			tails.set(key, sent.catch(() => {}));
			return sent;
		};
		if (!coalition.corrupted.has(party)) {
			return {
				recvBytesFrom: (from, info) => inner.recvBytesFrom(from, info),
				sendBytesTo: (to, bytes, info) => {
					if (!coalition.corrupted.has(to) || bytes[bytes.length - 1] === ABORT_TAG) {
						coalition.noteHonestSend(null);
						return inner.sendBytesTo(to, bytes, info);
					}
					const message = messageOf(party, to, bytes, info);
					coalition.noteHonestSend(message);
					// In flight: the honest sender goes on while the strategy decides what arrives.
					void inOrder(to, message.stream, async () => {
						const replaced = strategy.deliver ? await strategy.deliver(message, coalition) : undefined;
						for (const payload of replaced ?? [message.payload]) await inner.sendBytesTo(to, framed(payload, message.stream), info);
					});
					return Promise.resolve();
				}
			};
		}
		return {
			recvBytesFrom: (from, info) => inner.recvBytesFrom(from, info),
			sendBytesTo: (to: number, bytes: Uint8Array, info?: MessageInfo) => {
				if (bytes[bytes.length - 1] === ABORT_TAG) return Promise.resolve();
				const message = messageOf(party, to, bytes, info);
				coalition.sent.push(message);
				return inOrder(to, message.stream, async () => {
					const replaced = strategy.send ? await strategy.send(message, coalition) : undefined;
					for (const payload of replaced ?? [message.payload]) await inner.sendBytesTo(to, framed(payload, message.stream), info);
				});
			}
		};
	};
}

export interface AttackResult {
	/** Output (or undefined) and error (or undefined) of every computing party, by index. */
	outputs: (Bits | undefined)[];
	errors: unknown[];
	/** The plaintext result the honest output parties must get if they output anything. */
	want: Bits;
	corrupted: ReadonlySet<number>;
	/** Every message honest parties sent to the coalition. */
	received: readonly Message[];
	/** The dealer's error in dealer mode (undefined when it finished or is not there). */
	dealerError?: unknown;
}

/**
 * Runs every party (and the dealer in dealer mode) with `corrupted` driven by `strategy`.
 * The network closes once every honest party has finished, so that a corrupted party that
 * waits for messages nobody will send does not hang the test.
 */
export async function attack(
	circuit: Circuit,
	inputs: Bits[],
	options: Omit<MpcOptions, 'party'> & { dealer?: DealerKind },
	corrupted: readonly number[],
	strategy: Strategy
): Promise<AttackResult> {
	const network = new MemoryNetwork();
	const coalition = new CoalitionState(new Set(corrupted));
	const channel = adversarialChannels(network, coalition, strategy);
	const { dealer: kind, ...mpcOptions } = options;
	const runs = inputs.map((bits, party) => mpc(channel(party), circuit, bits, { ...mpcOptions, party }));
	const dealer = options.preprocessing === 'dealer' ? startDealer(channel(DEALER_PARTY), circuit, kind) : Promise.resolve();
	const honest = runs.filter((_, p) => !coalition.corrupted.has(p));
	const honestDealer = coalition.corrupted.has(DEALER_PARTY) ? [] : [dealer];
	const coalitionRuns = [...runs.filter((_, p) => coalition.corrupted.has(p)), ...(coalition.corrupted.has(DEALER_PARTY) ? [dealer] : [])];
	// Should the coalition's own runs stop while honest parties wait for them, end the waits.
	void Promise.allSettled(coalitionRuns)
		.then(() => coalition.rush())
		.then(() => network.close(new CoalitionGoneError()));
	await Promise.allSettled([...honest, ...honestDealer]);
	network.close(new Error('the test is over: every honest participant has finished'));
	const settled = await Promise.allSettled(runs);
	const [dealerSettled] = await Promise.allSettled([dealer]);
	return {
		dealerError: dealerSettled.status === 'rejected' ? dealerSettled.reason : undefined,
		outputs: settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined)),
		errors: settled.map((s) => (s.status === 'rejected' ? s.reason : undefined)),
		want: expected(circuit, inputs),
		corrupted: coalition.corrupted,
		received: coalition.received
	};
}

/**
 * The invariant every honest party keeps: it outputs the right value or aborts, never a
 * wrong value. Returns the honest parties' errors.
 */
export function honestOutcomes(result: AttackResult): { aborted: MpcAbortError[]; finished: number[] } {
	const aborted: MpcAbortError[] = [];
	const finished: number[] = [];
	result.outputs.forEach((output, party) => {
		if (result.corrupted.has(party)) return;
		const error = result.errors[party];
		if (error === undefined) {
			if (output !== undefined && !sameBits(output, result.want)) {
				throw new Error(`honest party ${party} output a wrong value: ${Array.from(output).join('')} instead of ${Array.from(result.want).join('')}`);
			}
			finished.push(party);
			return;
		}
		if (!(error instanceof MpcAbortError)) throw error;
		aborted.push(error);
	});
	return { aborted, finished };
}

function sameBits(a: Bits, b: Bits): boolean {
	return a.length === b.length && a.every((bit, i) => bit === b[i]);
}
