import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
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

interface Direction {
	/** The AEAD key of this direction; for receiving, known once the sender's salt arrived. */
	key?: Uint8Array;
	/** Number of messages sealed or opened so far: the nonce of the next one. */
	counter: number;
	failed?: SealError;
}

/**
 * End-to-end sealing on top of any channel, so that the relay sees only ciphertext.
 *
 * Each direction (from → to) has its own key, HKDF-SHA256 of the session key with the
 * sender's fresh random salt, bound to the session name and both party indices; the salt
 * travels in front of the direction's first message, after a marker byte that tells a
 * sealed stream from a plain one. Every message is sealed with
 * ChaCha20-Poly1305 under the nonce = its number in the direction, so a receiver opens only
 * the very next message of its sender: an altered, forged, replayed, reordered or dropped
 * message fails authentication (a drop is seen at the next message; a dropped last message
 * looks like silence). The per-run salt means that a reused key and session name never
 * reuse a nonce; replaying an entire earlier run of the same session and key is caught by
 * the session handshake, whose transcript binds every party's fresh random value.
 */
export class SealedChannel implements Channel {
	private readonly sending = new Map<number, Direction>();
	private readonly receiving = new Map<number, Direction>();

	constructor(
		private readonly inner: Channel,
		private readonly options: SealOptions
	) {
		if (options.key.length !== SESSION_KEY_BYTES) {
			throw new Error(`a session key has ${SESSION_KEY_BYTES} bytes, this one has ${options.key.length}`);
		}
	}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		let direction = this.sending.get(to);
		let salt: Uint8Array | undefined;
		if (!direction) {
			salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
			direction = { key: this.directionKey(salt, this.options.party, to), counter: 0 };
			this.sending.set(to, direction);
		}
		// Synchronous up to the inner send, so that concurrent sends keep their nonce order.
		const sealed = chacha20poly1305(direction.key!, nonce(direction.counter++)).encrypt(bytes);
		if (!salt) return this.inner.sendBytesTo(to, sealed, info);
		const first = new Uint8Array(1 + SALT_BYTES + sealed.length);
		first[0] = SEALED_MARKER;
		first.set(salt, 1);
		first.set(sealed, 1 + SALT_BYTES);
		return this.inner.sendBytesTo(to, first, info);
	}

	async recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const message = await this.inner.recvBytesFrom(from, info);
		let direction = this.receiving.get(from);
		if (!direction) {
			direction = { counter: 0 };
			this.receiving.set(from, direction);
		}
		if (direction.failed) throw direction.failed;
		let sealed = message;
		if (!direction.key) {
			if (message[0] !== SEALED_MARKER) return this.fail(direction, new SealError(from, 'unsealed'));
			if (message.length < 1 + SALT_BYTES) return this.fail(direction, new SealError(from));
			direction.key = this.directionKey(message.subarray(1, 1 + SALT_BYTES), from, this.options.party);
			sealed = message.subarray(1 + SALT_BYTES);
		}
		try {
			return chacha20poly1305(direction.key, nonce(direction.counter++)).decrypt(sealed);
		} catch {
			return this.fail(direction, new SealError(from));
		}
	}

	/** Once a direction failed, it stays failed: what follows cannot be trusted either. */
	private fail(direction: Direction, error: SealError): never {
		direction.failed = error;
		throw error;
	}

	private directionKey(salt: Uint8Array, from: number, to: number): Uint8Array {
		const label = new TextEncoder().encode(KEY_LABEL);
		const session = new TextEncoder().encode(this.options.session);
		const context = new Uint8Array(label.length + 2 + session.length + 2);
		context.set(label);
		new DataView(context.buffer).setUint16(label.length, session.length);
		context.set(session, label.length + 2);
		context[context.length - 2] = from;
		context[context.length - 1] = to;
		return hkdf(sha256, this.options.key, salt, context, 32);
	}
}

/** The 96-bit nonce of message number `counter`: the counter, little-endian, then zeros. */
function nonce(counter: number): Uint8Array {
	const bytes = new Uint8Array(NONCE_BYTES);
	const view = new DataView(bytes.buffer);
	view.setUint32(0, counter >>> 0, true);
	view.setUint32(4, Math.floor(counter / 2 ** 32), true);
	return bytes;
}
