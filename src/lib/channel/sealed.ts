import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { aeadKernel } from '../crypto/aead';
import { partyName, type Channel, type MessageInfo } from './channel';

/** Bytes of a session key, as carried in `--key` or the link's `#key=` fragment. */
export const SESSION_KEY_BYTES = 32;
const SALT_BYTES = 16;
/** First byte of a direction's first message: tells a sealed stream from a plain one. */
const SEALED_MARKER = 0xa5;
const NONCE_BYTES = 12;
const KEY_LABEL = 'polytune-web sealed channel v1';

/**
 * A sealed message did not open: it was altered, replayed, reordered, dropped or sealed with
 * another key (`reason` 'authentication'), or the sender does not seal at all ('unsealed').
 */
export class SealError extends Error {
	override name = 'SealError';
	constructor(
		readonly party: number,
		readonly reason: 'authentication' | 'unsealed' = 'authentication'
	) {
		super(
			reason === 'unsealed'
				? `the first message from ${partyName(party)} is not sealed: it has no session key (give every party the same key or link), or the relay dropped or altered that message`
				: `message from ${partyName(party)} failed authentication — the relay or the network altered it, or the parties use different keys`
		);
	}
}

export interface SealOptions {
	/** The 32-byte session key every party of the session holds. */
	key: Uint8Array;
	/** The session name: keys of one session never open messages of another. */
	session: string;
	/** This party's index. */
	party: number;
}

/**
 * One direction's ChaCha20-Poly1305 stream: every message is sealed under nonce = its number
 * in the direction, so the receiver opens only the very next message of its sender: an
 * altered, forged, replayed, reordered or dropped message fails authentication (a drop is
 * seen at the next message). Once opening failed, the direction stays failed: what follows
 * cannot be trusted either.
 */
export class SealedDirection {
	private counter = 0;
	private failed?: SealError;

	constructor(
		private readonly key: Uint8Array,
		/** The other end, named in errors. */
		private readonly peer: number
	) {}

	/** Synchronous, so that concurrent sends keep their nonce order. */
	seal(bytes: Uint8Array): Uint8Array {
		return aeadKernel().seal(this.key, nonce(this.counter++), bytes);
	}

	open(sealed: Uint8Array): Uint8Array {
		if (this.failed) throw this.failed;
		try {
			return aeadKernel().open(this.key, nonce(this.counter++), sealed);
		} catch {
			throw (this.failed = new SealError(this.peer));
		}
	}
}

/**
 * End-to-end sealing on top of any channel, so that the relay sees only ciphertext.
 *
 * Each direction (from → to) has its own key, HKDF-SHA256 of the session key with the
 * sender's fresh random salt, bound to the session name and both party indices; the salt
 * travels in front of the direction's first message, after a marker byte that tells a
 * sealed stream from a plain one. Messages are sealed as SealedDirection says. The per-run
 * salt means that a reused key and session name never reuse a nonce. Every holder of the
 * session key can derive these keys: a run seals only its opening messages this way and the
 * rest per pair (PairSealedChannel).
 */
export class SealedChannel implements Channel {
	private readonly sending = new Map<number, SealedDirection>();
	/** A receiving direction once its first message arrived, or why that message was refused. */
	private readonly receiving = new Map<number, SealedDirection | SealError>();

	constructor(
		private readonly inner: Channel,
		private readonly options: SealOptions
	) {
		if (options.key.length !== SESSION_KEY_BYTES) {
			throw new Error(`a session key has ${SESSION_KEY_BYTES} bytes, this one has ${options.key.length}`);
		}
	}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		const direction = this.sending.get(to);
		if (direction) return this.inner.sendBytesTo(to, direction.seal(bytes), info);
		const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
		const first = new SealedDirection(this.directionKey(salt, this.options.party, to), to);
		this.sending.set(to, first);
		const sealed = first.seal(bytes);
		const message = new Uint8Array(1 + SALT_BYTES + sealed.length);
		message[0] = SEALED_MARKER;
		message.set(salt, 1);
		message.set(sealed, 1 + SALT_BYTES);
		return this.inner.sendBytesTo(to, message, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const message = await this.inner.recvBytesFrom(from, info);
		const direction = this.receiving.get(from);
		if (direction instanceof SealError) throw direction;
		if (direction) return direction.open(message);
		if (message[0] !== SEALED_MARKER || message.length < 1 + SALT_BYTES) {
			const error = new SealError(from, message[0] === SEALED_MARKER ? 'authentication' : 'unsealed');
			this.receiving.set(from, error);
			throw error;
		}
		const first = new SealedDirection(this.directionKey(message.subarray(1, 1 + SALT_BYTES), from, this.options.party), from);
		this.receiving.set(from, first);
		return first.open(message.subarray(1 + SALT_BYTES));
	}

	private directionKey(salt: Uint8Array, from: number, to: number): Uint8Array {
		return hkdf(sha256, this.options.key, salt, keyContext(KEY_LABEL, this.options.session, from, to), 32);
	}
}

/** HKDF's info for one direction's key: label ‖ length ‖ session name ‖ from ‖ to. */
export function keyContext(label: string, session: string, from: number, to: number): Uint8Array {
	const labelBytes = new TextEncoder().encode(label);
	const sessionBytes = new TextEncoder().encode(session);
	const context = new Uint8Array(labelBytes.length + 2 + sessionBytes.length + 2);
	context.set(labelBytes);
	new DataView(context.buffer).setUint16(labelBytes.length, sessionBytes.length);
	context.set(sessionBytes, labelBytes.length + 2);
	context[context.length - 2] = from;
	context[context.length - 1] = to;
	return context;
}

/** The 96-bit nonce of message number `counter`: the counter, little-endian, then zeros. */
function nonce(counter: number): Uint8Array {
	const bytes = new Uint8Array(NONCE_BYTES);
	const view = new DataView(bytes.buffer);
	view.setUint32(0, counter >>> 0, true);
	view.setUint32(4, Math.floor(counter / 2 ** 32), true);
	return bytes;
}
