import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { asWords, BLOCK_WORDS, randomFill } from '../crypto/block';
import { digestOf } from '../crypto/hash';
import { POINT_BYTES, ristrettoKernel } from '../crypto/ristretto';
import { OtCheckError } from './errors';

/**
 * Random base OTs, the receiver speaking first: Bellare–Micali's OT (CRYPTO '89) in the random-
 * oracle model over ristretto255, with the offset hashed to the group instead of chosen by the
 * sender, so that the receiver's message needs nothing from the sender and the sender knows both
 * keys as soon as that message is in (the party's hello carries it, and OT extension starts in the
 * next flight: docs/engine.md, "Rounds").
 *
 * receiver → sender: R_i = x_i·G + c_i·C_r, for a fresh scalar x_i per OT, C_r the receiver's
 *   offset (RFC 9380 hash to ristretto255 of its party number: nobody knows its discrete log);
 * sender → receiver: B = y·G, y fresh.
 * Keys are H(context ‖ B ‖ R_i ‖ i ‖ P) with P = y·R_i and y·R_i − y·C_r at the sender and
 * x_i·B at the receiver (= y·(R_i − c_i·C_r), the key of its choice).
 * - The receiver's choices are perfectly hidden: R_i is a uniform point whatever c_i.
 * - A receiver that knew both keys of an OT would know y·R_i and y·(R_i − C_r), hence y·C_r:
 *   computational Diffie–Hellman on B and the hashed C_r.
 * - A prime-order group (ristretto255): no point of small order that would show c_i in a key;
 *   every received point is decoded canonically and must not be the identity.
 * - The index separates the OTs, the context (the pair and direction), B and R_i bind the keys to
 *   this session, direction and message. One receiver's message serves all its senders (the same
 *   choices: its global key Δ); each sender's fresh y keeps their keys apart.
 * We only need random OTs (seeds for SoftSpokenOT). The group operations run on the ristretto
 * kernel in use (crypto/ristretto.ts), on encodings.
 */

const ORDER = ristretto255.Point.Fn.ORDER;
const DOMAIN = new TextEncoder().encode('polytune-web base OT v2');
const OFFSET_DST = 'polytune-web base OT v2 choice offset';
export { POINT_BYTES };

/** A uniform non-zero scalar, 32 bytes little-endian. */
function randomScalar(): Uint8Array {
	for (;;) {
		const x = bytesToNumberLE(randomFill(new Uint8Array(64))) % ORDER;
		if (x !== 0n) return numberToBytesLE(x, 32);
	}
}

/** The encoding of the identity, the only one that is all zeros. */
const isIdentity = (encoding: Uint8Array) => encoding.every((byte) => byte === 0);

function invalidPoint(from: number, what: string): OtCheckError {
	return new OtCheckError('base OT', from, `base OT failed: party ${from} sent an invalid ${what}`);
}

function identityPoint(from: number, what: string): OtCheckError {
	return new OtCheckError('base OT', from, `base OT failed: party ${from} sent the identity as ${what}`);
}

/** Checks that `bytes` encode a point other than the identity. */
function checkPoint(bytes: Uint8Array, from: number, what: string): void {
	try {
		ristretto255.Point.fromBytes(bytes);
	} catch {
		throw invalidPoint(from, what);
	}
	if (isIdentity(bytes)) throw identityPoint(from, what);
}

function index4(i: number): Uint8Array {
	return Uint8Array.of(i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, i >>> 24);
}

/** H(domain ‖ context ‖ B ‖ R ‖ i ‖ P), P given by its encoding, the first 16 bytes, written as a block to out[o…]. */
function deriveKey(context: Uint8Array, b: Uint8Array, r: Uint8Array, i: number, p: Uint8Array, out: Uint32Array, o: number): void {
	out.set(asWords(digestOf(DOMAIN, context, b, r, index4(i), p).subarray(0, 16)), o);
}

const encodingAt = (bytes: Uint8Array, i: number) => bytes.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);

const offsets = new Map<number, Uint8Array>();

/** C_r, the offset of receiver `party`'s choices: the encoding of its party number hashed to the group. */
export function choiceOffset(party: number): Uint8Array {
	let offset = offsets.get(party);
	if (!offset) {
		offset = ristretto255_hasher.hashToCurve(index4(party), { DST: OFFSET_DST }).toBytes();
		offsets.set(party, offset);
	}
	return offset;
}

/** The base-OT receiver: its offer (the same for every sender) and, from each sender's answer, its chosen keys. */
export class BaseOtReceiver {
	private readonly scalars: Uint8Array;
	/** The offer, R_i for every OT. */
	readonly message: Uint8Array;

	constructor(
		receiver: number,
		private readonly choices: Uint8Array
	) {
		this.scalars = new Uint8Array(choices.length * 32);
		for (let i = 0; i < choices.length; i++) this.scalars.set(randomScalar(), i * 32);
		this.message = ristrettoKernel().offer(choiceOffset(receiver), this.scalars, choices);
	}

	/** The chosen keys of this offer's OTs with the sender `peer`, from its answer B. */
	keys(context: Uint8Array, answer: Uint8Array, peer: number): Uint32Array {
		if (answer.length !== POINT_BYTES) throw invalidPoint(peer, `base OT answer: ${answer.length} bytes, not ${POINT_BYTES}`);
		checkPoint(answer, peer, 'base OT key B');
		const count = this.choices.length;
		const points = ristrettoKernel().chosen(answer, this.scalars);
		const keys = new Uint32Array(count * BLOCK_WORDS);
		for (let i = 0; i < count; i++) deriveKey(context, answer, encodingAt(this.message, i), i, encodingAt(points, i), keys, i * BLOCK_WORDS);
		return keys;
	}
}

/**
 * The base-OT sender's side with the receiver `receiver` (who is `peer`, the party named in
 * errors): from its offer of `count` points, the answer B and both keys of every OT.
 */
export function sendBaseOts(context: Uint8Array, offer: Uint8Array, receiver: number, count: number, peer: number): { message: Uint8Array; keys: [Uint32Array, Uint32Array] } {
	if (offer.length !== count * POINT_BYTES) throw invalidPoint(peer, `base OT message: ${offer.length} bytes for ${count} points`);
	const group = ristrettoKernel();
	const y = randomScalar();
	const message = group.baseMul(y);
	const points = group.send(y, group.mul(y, choiceOffset(receiver)), offer, count);
	// The first bad point names the failure: one that does not decode, or the identity (which does).
	let identity = 0;
	while (identity < count && !isIdentity(encodingAt(offer, identity))) identity++;
	const invalid = 'invalid' in points ? points.invalid : count;
	if (invalid < identity) throw invalidPoint(peer, `base OT point ${invalid}`);
	// (Past the first check, a point that did not decode comes after an identity.)
	if ('invalid' in points || identity < count) throw identityPoint(peer, `base OT point ${identity}`);
	const k0 = new Uint32Array(count * BLOCK_WORDS);
	const k1 = new Uint32Array(count * BLOCK_WORDS);
	for (let i = 0; i < count; i++) {
		const r = encodingAt(offer, i);
		deriveKey(context, message, r, i, encodingAt(points.keys0, i), k0, i * BLOCK_WORDS);
		deriveKey(context, message, r, i, encodingAt(points.keys1, i), k1, i * BLOCK_WORDS);
	}
	return { message, keys: [k0, k1] };
}
