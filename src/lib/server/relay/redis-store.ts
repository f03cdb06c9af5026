import { Redis } from 'ioredis';
import { joinedPayload, type MailAnswer, type MailFrame } from '../../channel/mailbox-wire';
import { relayFull, RelayError, sessionFull, SLOT_REFUSALS, slotRefused, storeUnavailable, tooManySessions, type SlotRefusal } from './errors';
import * as scripts from './redis-scripts';
import { newEpoch, type Exchange, type InfoWrite, type QueueRef, type RelayStore, type StoreLimits, type StoreStats, type Watch } from './store';
import { WakeRegistry } from './wake';

/** Redis keeps a session's keys this much longer than the relay does, as a backstop only. */
const KEY_TTL_GRACE_MS = 60_000;
/** How long a request waits for a (re)connection before it is answered 503. */
const CONNECT_WAIT_MS = 1000;
const SWEEP_BATCH = 500;

type Arg = string | number | Uint8Array;
type Script = (...args: Arg[]) => Promise<unknown>;
const SCRIPT_NAMES = ['JOIN', 'LEAVE', 'PARTICIPANTS', 'PUSH', 'TAKE', 'PUT_BACK', 'PUT_INFO', 'GET_INFO', 'EXCHANGE', 'SWEEP'] as const;
type ScriptName = (typeof SCRIPT_NAMES)[number];

export interface RedisStoreOptions {
	/** Prefix of every key and channel, so that several relays (or tests) can share one Redis. */
	prefix?: string;
	/** Where connection trouble is reported; default: console.error. */
	log?: (line: string) => void;
}

/**
 * Sessions in Redis, shared by every relay instance that uses the same Redis and prefix.
 * Each operation is one Lua script (atomic, so caps and byte counters are exact across
 * instances). Long polls wait on a per-process wake-up registry fed by one pub/sub
 * subscriber connection; no connection is held while waiting. Commands go over one
 * pipelined connection and are never queued or retried while Redis is away: they fail at
 * once with 503, so a pop is never done twice.
 */
export class RedisStore implements RelayStore {
	readonly kind = 'redis';
	private readonly commands: Redis;
	private readonly subscriber: Redis;
	private readonly wakeups = new WakeRegistry();
	private readonly prefix: string;
	private readonly channel: string;
	private readonly log: (line: string) => void;
	private readonly where: string;
	/** Why Redis is away, while it is; null while connected (or still connecting at start). */
	private outage: string | null = null;
	private everConnected = false;
	private connecting: Promise<void> | null = null;
	private closing = false;

	constructor(
		url: string,
		private readonly limits: StoreLimits,
		options: RedisStoreOptions = {}
	) {
		this.prefix = options.prefix ?? 'polytune:relay:';
		this.channel = `${this.prefix}wake`;
		this.log = options.log ?? ((line) => console.error(line));
		this.where = redactedUrl(url);
		const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);
		this.commands = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy });
		this.subscriber = new Redis(url, { autoResubscribe: false, maxRetriesPerRequest: null, retryStrategy });
		for (const name of SCRIPT_NAMES) this.commands.defineCommand(name, { numberOfKeys: 0, lua: scripts[name] });
		this.commands.on('ready', () => this.connected());
		this.commands.on('error', (error: NodeJS.ErrnoException) => this.disconnected(error.code ?? error.message));
		this.commands.on('close', () => this.disconnected('connection closed'));
		this.subscriber.on('error', () => {}); // reported through the command connection
		this.subscriber.on('message', (_channel: string, queue: string) => this.wakeups.wake(queue));
		// On each (re)connection: subscribe, then let every waiter look again, since pushes
		// before the subscription was live went unannounced.
		this.subscriber.on('ready', () => void this.subscribe().then(() => this.wakeups.wakeAll()));
	}

	async join(session: string, party: number, token: string | null, now: number): Promise<void> {
		const { maxSessions, slotLeaseMs } = this.limits;
		this.refusal(session, await this.run('JOIN', now, session, party, maxSessions, token ?? '', slotLeaseMs), party);
	}

	async leave(session: string, party: number, token: string | null, now: number): Promise<void> {
		this.refusal(session, await this.run('LEAVE', now, session, party, token ?? ''), party);
	}

	async participants(session: string, now: number, activeWithinMs?: number, claimedOnly = false): Promise<number[]> {
		const flat = (await this.run('PARTICIPANTS', now, session, claimedOnly ? '1' : '')) as string[];
		const since = activeWithinMs === undefined ? -Infinity : now - activeWithinMs;
		const parties: number[] = [];
		for (let i = 0; i < flat.length; i += 2) if (Number(flat[i + 1]) >= since) parties.push(Number(flat[i]));
		return parties.sort((a, b) => a - b);
	}

	async push(queue: QueueRef, message: Uint8Array, token: string | null, now: number): Promise<void> {
		const { maxSessionBytes, maxTotalBytes, maxSessions } = this.limits;
		const outcome = await this.run('PUSH', now, queue.session, queue.from, queue.to, message, maxSessionBytes, maxTotalBytes, maxSessions, token ?? '');
		this.refusal(queue.session, outcome, queue.from);
	}

	async take(queue: QueueRef, token: string | null, now: number): Promise<Uint8Array | null> {
		const reply = (await this.run('TAKEBuffer', now, queue.session, queue.from, queue.to, token ?? '')) as Buffer | [Buffer, Buffer] | null;
		if (Array.isArray(reply)) throw slotRefused(String(reply[1]) as SlotRefusal, queue.session, queue.to, this.limits.slotLeaseMs);
		return reply;
	}

	async putBack(queue: QueueRef, message: Uint8Array, now: number): Promise<void> {
		await this.run('PUT_BACK', now, queue.session, queue.from, queue.to, message);
	}

	async putInfo(session: string, info: Uint8Array, now: number): Promise<InfoWrite> {
		const { maxSessionBytes, maxTotalBytes, maxSessions } = this.limits;
		const outcome = String(await this.run('PUT_INFO', now, session, info, maxSessionBytes, maxTotalBytes, maxSessions));
		this.refusal(session, outcome);
		return outcome as InfoWrite;
	}

	async getInfo(session: string, now: number): Promise<Uint8Array | null> {
		return this.runBytes('GET_INFO', now, session);
	}

	async exchange({ session, party, frames, acks, maxAnswerBytes, senders }: Exchange, token: string | null, now: number): Promise<MailAnswer> {
		const { maxSessionBytes, maxTotalBytes, maxSessions } = this.limits;
		const wanted = senders ? `,${senders.join(',')},` : '';
		const args: (string | number | Uint8Array)[] = [party, token ?? '', maxSessionBytes, maxTotalBytes, maxSessions, maxAnswerBytes, newEpoch(), wanted, acks.size];
		for (const [from, seq] of acks) args.push(from, seq);
		// Redis takes each payload as one argument.
		for (const frame of frames) args.push(frame.peer, frame.seq, joinedPayload(frame));
		const reply = (await this.run('EXCHANGEBuffer', now, session, ...args)) as Buffer[];
		if (String(reply[0]) === 'refused') {
			this.refusal(session, String(reply[1]), party);
			throw new RelayError('unavailable', `unexpected refusal from Redis: ${String(reply[1])}`);
		}
		const answer: MailFrame[] = [];
		for (let i = 3; i < reply.length; i += 3) answer.push({ peer: Number(String(reply[i])), seq: Number(String(reply[i + 1])), payload: reply[i + 2] });
		return { epoch: String(reply[1]), more: String(reply[2]) === '1', frames: answer };
	}

	async stats(now: number): Promise<StoreStats> {
		await this.connection();
		const [sessions, bytes] = await Promise.all([
			this.guard(this.commands.zcount(`${this.prefix}sessions`, now - this.limits.sessionTtlMs, '+inf')),
			this.guard(this.commands.get(`${this.prefix}total`))
		]);
		return { sessions, bytes: Number(bytes ?? 0) };
	}

	async sweep(now: number): Promise<number> {
		let swept = 0;
		for (;;) {
			const batch = Number(await this.run('SWEEP', now, '', SWEEP_BATCH));
			swept += batch;
			if (batch < SWEEP_BATCH) return swept;
		}
	}

	watch(key: string): Watch {
		return this.wakeups.watch(key);
	}

	async close(): Promise<void> {
		this.closing = true;
		this.wakeups.wakeAll();
		this.commands.disconnect();
		this.subscriber.disconnect();
	}

	/** Runs one script with the arguments every script starts with; text replies come decoded. */
	private async run(name: ScriptName | `${ScriptName}Buffer`, now: number, session: string, ...args: Arg[]): Promise<unknown> {
		await this.connection();
		const script = (this.commands as unknown as Record<string, Script>)[name];
		const { sessionTtlMs } = this.limits;
		// ioredis sends only Buffers as bytes (a plain Uint8Array would be turned into text).
		const wire = args.map((arg) => (arg instanceof Uint8Array ? Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength) : arg));
		return this.guard(script.call(this.commands, this.prefix, now, sessionTtlMs, sessionTtlMs + KEY_TTL_GRACE_MS, session, ...wire));
	}

	/** Runs a script whose reply is a message or info blob (or nil), kept as bytes. */
	private async runBytes(name: ScriptName, now: number, session: string, ...args: Arg[]): Promise<Uint8Array | null> {
		return (await this.run(`${name}Buffer`, now, session, ...args)) as Buffer | null;
	}

	/** Refuses with 503 at once during a known outage; otherwise waits briefly for the connection. */
	private async connection(): Promise<void> {
		if (this.isReady()) return;
		if (this.closing) throw storeUnavailable('the relay is shutting down');
		if (this.outage === null) await (this.connecting ??= this.readyOrTimeout());
		if (!this.isReady()) throw storeUnavailable(`cannot reach Redis at ${this.where}${this.outage ? ` (${this.outage})` : ''}`);
	}

	/** One wait for the connection shared by every request that arrives meanwhile. */
	private readyOrTimeout(): Promise<void> {
		return new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.commands.off('ready', done);
				this.connecting = null;
				resolve();
			};
			const timer = setTimeout(done, CONNECT_WAIT_MS);
			this.commands.once('ready', done);
		});
	}

	private isReady(): boolean {
		return this.commands.status === 'ready';
	}

	private async guard<T>(reply: Promise<T>): Promise<T> {
		try {
			return await reply;
		} catch (error) {
			throw storeUnavailable(`Redis at ${this.where} failed: ${(error as Error).message}`);
		}
	}

	/** Turns a script's refusal into the same RelayError the memory store throws; `party` is the slot the request acts for. */
	private refusal(session: string, outcome: unknown, party?: number): void {
		if (outcome === 'session-full') throw sessionFull(session, this.limits.maxSessionBytes);
		if (outcome === 'relay-full') throw relayFull(this.limits.maxTotalBytes);
		if (outcome === 'too-many-sessions') throw tooManySessions(this.limits.maxSessions);
		if (party !== undefined && (SLOT_REFUSALS as readonly unknown[]).includes(outcome)) throw slotRefused(outcome as SlotRefusal, session, party, this.limits.slotLeaseMs);
		if (typeof outcome === 'string' && !['ok', 'stored', 'unchanged', 'conflict'].includes(outcome)) {
			throw new RelayError('unavailable', `unexpected answer from Redis: ${outcome}`);
		}
	}

	private async subscribe(): Promise<void> {
		try {
			await this.subscriber.subscribe(this.channel);
		} catch {
			// The connection dropped again; the next 'ready' subscribes anew.
		}
	}

	private connected(): void {
		if (this.outage !== null) this.log(`polytune relay: connected to Redis at ${this.where} again`);
		this.outage = null;
		this.everConnected = true;
	}

	private disconnected(reason: string): void {
		if (this.closing || this.outage !== null) return;
		this.outage = reason;
		this.log(
			this.everConnected
				? `polytune relay: lost the connection to Redis at ${this.where} (${reason}); answering 503 until it is back`
				: `polytune relay: cannot reach Redis at ${this.where} (${reason}); answering 503 until it is reachable`
		);
	}
}

/** The URL without its password, for logs and error texts. */
function redactedUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'the configured URL';
	}
}
