import { asBytes, asWords, BLOCK_BYTES, randomBlocks } from '../crypto/block';
import { BaseOtSender, POINT_BYTES, receiveBaseOts } from './base-ot';
import { OtCheckError } from './errors';
import { Prg } from '../crypto/prg';
import { BASE_OTS, CHECK_RESPONSE_BYTES, extendedRows, KosReceiver, KosSender } from './kos';

/** Messages to and from one peer, each of a length both sides know. */
export interface OtLink {
	readonly peer: number;
	send(bytes: Uint8Array, what: string): Promise<void>;
	recv(length: number, what: string): Promise<Uint8Array>;
}

/** Both directions of OT extension between this party and one peer. */
export interface PairwiseOt {
	/** Extension sender with this party's global key Δ as s: yields keys on the peer's bits. */
	sender: KosSender;
	/** Extension receiver: yields MACs (under the peer's Δ) on this party's bits. */
	receiver: KosReceiver;
}

function bitsOf(block: Uint32Array): Uint8Array {
	return Uint8Array.from({ length: BASE_OTS }, (_, l) => (block[l >>> 5] >>> (l & 31)) & 1);
}

/** The KOS challenge: the sender picks χ's seed after it has the receiver's matrix. */
export async function kosChallenge(link: OtLink, batch: { check(seed: Uint32Array, response: Uint8Array): boolean }, what: string): Promise<void> {
	const seed = randomBlocks(1);
	await link.send(asBytes(seed), `${what} (KOS challenge)`);
	const response = await link.recv(CHECK_RESPONSE_BYTES, `${what} (KOS response)`);
	if (!batch.check(seed, response)) {
		throw new OtCheckError('KOS consistency check', link.peer, `KOS consistency check failed on party ${link.peer}'s OT extension (${what})`);
	}
}

/**
 * Sets up OT extension in both directions with one peer, once per session: 128 base OTs in one
 * direction only (the lower-indexed party sends), then one KOS batch in that direction gives
 * 128 random OTs with the lower party's Δ as choices, which seed the other direction.
 * `delta` is this party's global key: its choice bits as base-OT or bootstrap receiver.
 */
export async function setupPairwiseOt(link: OtLink, me: number, delta: Uint32Array): Promise<PairwiseOt> {
	const peer = link.peer;
	const low = Math.min(me, peer);
	const high = Math.max(me, peer);
	const context = Uint8Array.of(low, high);
	const choices = bitsOf(delta);
	if (me === low) {
		const baseSender = new BaseOtSender(context);
		await link.send(baseSender.message, 'base OT');
		const [seeds0, seeds1] = baseSender.keys(await link.recv(BASE_OTS * POINT_BYTES, 'base OT'), BASE_OTS, peer);
		const receiver = new KosReceiver(seeds0, seeds1);
		// Bootstrap: random OTs chosen by our Δ seed our own extension sender.
		const extended = new Uint8Array(extendedRows(BASE_OTS));
		extended.set(choices);
		Prg.random().fillBits(extended, BASE_OTS, extended.length - BASE_OTS);
		const batch = receiver.extend(extended, BASE_OTS);
		await link.send(batch.u, 'OT bootstrap');
		const challenge = asWords(await link.recv(BLOCK_BYTES, 'OT bootstrap (KOS challenge)'));
		await link.send(batch.respond(challenge), 'OT bootstrap (KOS response)');
		return { sender: new KosSender(delta, batch.randomOts()), receiver };
	}
	const { message, keys } = receiveBaseOts(context, await link.recv(POINT_BYTES, 'base OT'), choices, peer);
	await link.send(message, 'base OT');
	const sender = new KosSender(delta, keys);
	const batch = sender.extend(await link.recv(KosSender.messageBytes(BASE_OTS), 'OT bootstrap'), BASE_OTS);
	await kosChallenge(link, batch, 'OT bootstrap');
	const [seeds0, seeds1] = batch.randomOts();
	return { sender, receiver: new KosReceiver(seeds0, seeds1) };
}
