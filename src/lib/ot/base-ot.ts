import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { asWords, BLOCK_WORDS, randomFill } from '../crypto/block';
import { digestOf } from '../crypto/hash';
import { POINT_BYTES, ristrettoKernel } from '../crypto/ristretto';
import { OtCheckError } from './errors';

/**
 * Random base OTs: the "simplest OT" of Chou and Orlandi (LATINCRYPT 2015) over ristretto255,
 * with the fixes its known problems call for:
 * - a prime-order group (ristretto255), so a malicious sender cannot choose a point of small
 *   order and read the receiver's choice from R (the cofactor attack on Curve25519);
 * - every received point is decoded canonically and must not be the identity;
 * - keys are H(context ‖ S ‖ R_i ‖ i ‖ point): the index separates the OTs (the original
 *   write-up gave equal keys when x_i repeats), the transcript and the pair binds them to
 *   this session and direction.
 * We only need random OTs (seeds for KOS), which this protocol gives in two messages:
 * sender → receiver S = y·G; receiver → sender R_i = c_i·S + x_i·G. The receiver's key is
 * H(…, x_i·S); the sender's keys are H(…, y·R_i) and H(…, y·R_i − y·S). The group
 * operations run on the ristretto kernel in use (crypto/ristretto.ts), on encodings.
 */

const ORDER = ristretto255.Point.Fn.ORDER;
const DOMAIN = new TextEncoder().encode('polytune-web base OT v1');
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

/** H(domain ‖ context ‖ S ‖ R ‖ i ‖ P), P given by its encoding, the first 16 bytes, written as a block to out[o…]. */
function deriveKey(context: Uint8Array, s: Uint8Array, r: Uint8Array, i: number, p: Uint8Array, out: Uint32Array, o: number): void {
	out.set(asWords(digestOf(DOMAIN, context, s, r, index4(i), p).subarray(0, 16)), o);
}

const encodingAt = (bytes: Uint8Array, i: number) => bytes.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);

/**
 * The base-OT sender: knows both keys of every OT. One sender may serve several receivers with
 * the same S: `context` (which names the pair and direction) separates their keys.
 */
export class BaseOtSender {
	private readonly y = randomScalar();
	/** The first message, S = y·G. */
	readonly message: Uint8Array;
	/** y·S, encoded. */
	private readonly ys: Uint8Array;

	constructor() {
		const group = ristrettoKernel();
		this.message = group.baseMul(this.y);
		this.ys = group.mul(this.y, this.message);
	}

	/** Keys (k0, k1) of `count` OTs from the receiver's message (`count` points from `peer`). */
	keys(context: Uint8Array, message: Uint8Array, count: number, peer: number): [Uint32Array, Uint32Array] {
		if (message.length !== count * POINT_BYTES) throw invalidPoint(peer, `base OT message: ${message.length} bytes for ${count} points`);
		const points = ristrettoKernel().send(this.y, this.ys, message, count);
		// The first bad point names the failure: one that does not decode, or the identity (which does).
		let identity = 0;
		while (identity < count && !isIdentity(encodingAt(message, identity))) identity++;
		const invalid = 'invalid' in points ? points.invalid : count;
		if (invalid < identity) throw invalidPoint(peer, `base OT point ${invalid}`);
		// (Past the first check, a point that did not decode comes after an identity.)
		if ('invalid' in points || identity < count) throw identityPoint(peer, `base OT point ${identity}`);
		const k0 = new Uint32Array(count * BLOCK_WORDS);
		const k1 = new Uint32Array(count * BLOCK_WORDS);
		for (let i = 0; i < count; i++) {
			const r = encodingAt(message, i);
			deriveKey(context, this.message, r, i, encodingAt(points.keys0, i), k0, i * BLOCK_WORDS);
			deriveKey(context, this.message, r, i, encodingAt(points.keys1, i), k1, i * BLOCK_WORDS);
		}
		return [k0, k1];
	}
}

/** The base-OT receiver's side: from the sender's S and its choices, its message and its keys. */
export function receiveBaseOts(context: Uint8Array, senderMessage: Uint8Array, choices: Uint8Array, peer: number): { message: Uint8Array; keys: Uint32Array } {
	checkPoint(senderMessage, peer, 'base OT key S');
	const scalars = new Uint8Array(choices.length * 32);
	for (let i = 0; i < choices.length; i++) scalars.set(randomScalar(), i * 32);
	const { r, keys: points } = ristrettoKernel().receive(senderMessage, scalars, choices);
	const keys = new Uint32Array(choices.length * BLOCK_WORDS);
	for (let i = 0; i < choices.length; i++) deriveKey(context, senderMessage, encodingAt(r, i), i, encodingAt(points, i), keys, i * BLOCK_WORDS);
	return { message: r, keys };
}
