import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../crypto/block';
import { curve25519Kernel, newCurveSecret } from '../crypto/curve25519';
import { partyName, type Channel, type MessageInfo } from './channel';
import { keyContext, SealedChannel, SealedDirection, type SealOptions } from './sealed';

const PAIR_LABEL = 'polytune-web pair keys v1';

/** The participants of a pair disagree on how to key it: a share that is no X25519 public key, or a pair keyed twice. */
export class PairKeyError extends Error {
	override name = 'PairKeyError';
	constructor(
		readonly party: number,
		detail: string
	) {
		super(`cannot key the pair with ${partyName(party)}: ${detail}`);
	}
}

/**
 * Sealing with keys of its own for every pair of participants, so that holding the session
 * key is not enough to read or forge what two other participants send each other.
 *
 * The first message of each direction (a participant's opening: its hello, the call to the
 * dealer, the dealer's hello) is sealed by SealedChannel, under keys every holder of the
 * session key can derive. It carries this participant's `share`, an X25519 public key made
 * fresh for this channel, i.e. for this run. Once both openings of a pair are known, `link`
 * derives the pair's keys with HKDF-SHA256 from ikm = session key ‖ X25519(own secret, peer
 * share), salt = a hash of the pair's openings (the caller's choice: the run's transcript as
 * far as the pair knows it) and info = label ‖ session ‖ from ‖ to, one key per direction.
 * Every later message of the pair is sealed under those keys as SealedDirection says; one
 * that arrives before the pair is linked is refused. A replayed stream of an earlier run
 * does not open: its keys came from shares that no longer exist.
 */
export class PairSealedChannel implements Channel {
	/** This participant's X25519 public key for this run. */
	readonly share: Uint8Array;
	private readonly secret: Uint8Array;
	private readonly opening: SealedChannel;
	private readonly sent = new Map<number, number>();
	private readonly received = new Map<number, number>();
	private readonly pairs = new Map<number, { send: SealedDirection; receive: SealedDirection }>();

	constructor(
		private readonly inner: Channel,
		private readonly options: SealOptions
	) {
		this.opening = new SealedChannel(inner, options);
		this.secret = newCurveSecret();
		this.share = curve25519Kernel().agreementPublicKey(this.secret);
	}

	/** Keys the pair with `peer` from its share and the salt both sides computed; throws PairKeyError. */
	link(peer: number, peerShare: Uint8Array, salt: Uint8Array): void {
		if (this.pairs.has(peer)) throw new PairKeyError(peer, 'it is keyed already');
		let shared: Uint8Array;
		try {
			shared = curve25519Kernel().sharedSecret(this.secret, peerShare);
		} catch {
			throw new PairKeyError(peer, 'its key share is not a usable X25519 public key');
		}
		const ikm = concatBytes(this.options.key, shared);
		const key = (from: number, to: number) => hkdf(sha256, ikm, salt, keyContext(PAIR_LABEL, this.options.session, from, to), 32);
		const me = this.options.party;
		this.pairs.set(peer, { send: new SealedDirection(key(me, peer), peer), receive: new SealedDirection(key(peer, me), peer) });
	}

	/** True once the pair with `peer` is keyed: what arrives from it then is sealed under the pair's own keys. */
	linked(peer: number): boolean {
		return this.pairs.has(peer);
	}

	/** True if a message to `to` can be sealed now: its opening, or anything once the pair is keyed. */
	canSend(to: number): boolean {
		return !this.sent.get(to) || this.pairs.has(to);
	}

	sendBytesTo(to: number, bytes: Uint8Array, info?: MessageInfo): Promise<void> {
		const count = this.sent.get(to) ?? 0;
		if (count === 0) {
			this.sent.set(to, 1);
			return this.opening.sendBytesTo(to, bytes, info);
		}
		const pair = this.pairs.get(to);
		if (!pair) return Promise.reject(new PairKeyError(to, 'nothing but the opening message can be sent before the pair is keyed'));
		this.sent.set(to, count + 1);
		return this.inner.sendBytesTo(to, pair.send.seal(bytes), info);
	}

	recvBytesFrom(from: number, info?: MessageInfo): Promise<Uint8Array> {
		const count = this.received.get(from) ?? 0;
		this.received.set(from, count + 1);
		if (count === 0) return this.opening.recvBytesFrom(from, info);
		const pair = this.pairs.get(from);
		if (!pair) return Promise.reject(new PairKeyError(from, 'nothing but the opening message can be received before the pair is keyed'));
		return this.inner.recvBytesFrom(from, info).then((sealed) => pair.receive.open(sealed));
	}
}
