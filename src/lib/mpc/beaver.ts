import { BLOCK_WORDS, packBits, unpackBits } from '../crypto/block';
import { bytesEqual, Digest } from '../crypto/hash';
import { AuthBits } from './auth';
import { checkFailed } from './errors';
import type { Session } from './session';

const DIGEST_BYTES = 32;

/**
 * Opens `values` (authenticated bits) to every party. Each party sends its shares to all and,
 * per peer, one SHA-256 digest of the MACs on them; each receiver recomputes the digest from
 * its keys (M = K ⊕ x·Δ). Returns the opened bits. Used by Beaver multiplication and by the
 * bucket combination of leaky AND triples.
 */
export async function openBits(session: Session, delta: Uint32Array, values: readonly AuthBits[], what: string): Promise<Uint8Array[]> {
	const count = values[0].count;
	const packed = values.map((v) => packBits(v.bits));
	const bitBytes = packed.reduce((sum, p) => sum + p.length, 0);
	const received = await session.exchange(
		(peer) => {
			const message = new Uint8Array(bitBytes + DIGEST_BYTES);
			let offset = 0;
			for (const p of packed) {
				message.set(p, offset);
				offset += p.length;
			}
			message.set(macDigest(values, peer, null, delta), bitBytes);
			return message;
		},
		() => bitBytes + DIGEST_BYTES,
		what
	);
	const opened = values.map((v) => v.bits.slice());
	for (const peer of session.peers) {
		const message = received[peer];
		let offset = 0;
		const theirs = values.map((_, i) => {
			const bits = unpackBits(message.subarray(offset, offset + packed[i].length), count);
			offset += packed[i].length;
			return bits;
		});
		if (!bytesEqual(macDigest(values, peer, theirs, delta), message.subarray(bitBytes))) {
			checkFailed('MAC check', peer, `opened shares (${what})`);
		}
		theirs.forEach((bits, i) => {
			for (let k = 0; k < count; k++) opened[i][k] ^= bits[k];
		});
	}
	return opened;
}

/**
 * Digest of the MACs that authenticate shares to `peer`: with `theirBits` null, of this
 * party's MACs M_peer[x]; otherwise of K[x^peer] ⊕ x^peer·Δ, what the peer's MACs must be.
 */
function macDigest(values: readonly AuthBits[], peer: number, theirBits: Uint8Array[] | null, delta: Uint32Array): Uint8Array {
	const count = values[0].count;
	const buffer = new Uint32Array(count * values.length * BLOCK_WORDS);
	let dst = 0;
	for (let k = 0; k < count; k++) {
		for (let i = 0; i < values.length; i++, dst += BLOCK_WORDS) {
			const v = values[i];
			if (theirBits === null) {
				const m = v.macAt(k, peer);
				for (let w = 0; w < BLOCK_WORDS; w++) buffer[dst + w] = v.words[m + w];
			} else {
				const key = v.keyAt(k, peer);
				const mask = -theirBits[i][k];
				for (let w = 0; w < BLOCK_WORDS; w++) buffer[dst + w] = v.words[key + w] ^ (delta[w] & mask);
			}
		}
	}
	return new Digest().updateWords(buffer).digest();
}

/**
 * ⟨λ_α·λ_β⟩ from a random triple ⟨a⟩, ⟨b⟩, ⟨c = a·b⟩ (Beaver; WRK17 §3, the AND step of
 * F_pre): open d = λ_α ⊕ a and e = λ_β ⊕ b, then λ_α·λ_β = c ⊕ d·b ⊕ e·a ⊕ d·e.
 */
export async function beaverMultiply(
	session: Session,
	delta: Uint32Array,
	alpha: AuthBits,
	beta: AuthBits,
	triple: { a: AuthBits; b: AuthBits; c: AuthBits },
	constantHolder: number
): Promise<AuthBits> {
	const count = alpha.count;
	const d = new AuthBits(alpha.parties, alpha.me, count);
	const e = new AuthBits(alpha.parties, alpha.me, count);
	for (let k = 0; k < count; k++) {
		d.setXor(k, alpha, k, triple.a, k);
		e.setXor(k, beta, k, triple.b, k);
	}
	const [dOpen, eOpen] = await openBits(session, delta, [d, e], 'Beaver openings of AND gates');
	const product = d; // reuse: d's shares are no longer needed
	for (let k = 0; k < count; k++) {
		product.copyFrom(k, triple.c, k);
		if (dOpen[k]) product.xorFrom(k, triple.b, k);
		if (eOpen[k]) product.xorFrom(k, triple.a, k);
		if (dOpen[k] & eOpen[k]) product.xorOne(k, constantHolder, delta);
	}
	return product;
}
