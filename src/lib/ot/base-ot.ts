import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { asWords, BLOCK_WORDS, randomFill } from '../crypto/block';
import { digestOf } from '../crypto/hash';
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
 * H(…, x_i·S); the sender's keys are H(…, y·R_i) and H(…, y·R_i − y·S).
 */

const Point = ristretto255.Point;
type RistrettoPoint = InstanceType<typeof Point>;
const ORDER = Point.Fn.ORDER;
const DOMAIN = new TextEncoder().encode('polytune-web base OT v1');
export const POINT_BYTES = 32;

function randomScalar(): bigint {
	for (;;) {
		const x = bytesToNumberLE(randomFill(new Uint8Array(64))) % ORDER;
		if (x !== 0n) return x;
	}
}

function decodePoint(bytes: Uint8Array, from: number, what: string): RistrettoPoint {
	let point: RistrettoPoint;
	try {
		point = Point.fromBytes(bytes);
	} catch {
		throw new OtCheckError('base OT', from, `base OT failed: party ${from} sent an invalid ${what}`);
	}
	if (point.is0()) throw new OtCheckError('base OT', from, `base OT failed: party ${from} sent the identity as ${what}`);
	return point;
}

function index4(i: number): Uint8Array {
	return Uint8Array.of(i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, i >>> 24);
}

/** H(domain ‖ context ‖ S ‖ R ‖ i ‖ P), the first 16 bytes, written as a block to out[o…]. */
function deriveKey(context: Uint8Array, s: Uint8Array, r: Uint8Array, i: number, p: RistrettoPoint, out: Uint32Array, o: number): void {
	out.set(asWords(digestOf(DOMAIN, context, s, r, index4(i), p.toBytes()).subarray(0, 16)), o);
}

/**
 * The base-OT sender: knows both keys of every OT. One sender may serve several receivers with
 * the same S: `context` (which names the pair and direction) separates their keys.
 */
export class BaseOtSender {
	private readonly y = randomScalar();
	private readonly s: RistrettoPoint;
	/** The first message, S = y·G. */
	readonly message: Uint8Array;

	constructor() {
		this.s = Point.BASE.multiply(this.y);
		this.message = this.s.toBytes();
	}

	/** Keys (k0, k1) of `count` OTs from the receiver's message (`count` points from `peer`). */
	keys(context: Uint8Array, message: Uint8Array, count: number, peer: number): [Uint32Array, Uint32Array] {
		const ys = this.s.multiply(this.y);
		const k0 = new Uint32Array(count * BLOCK_WORDS);
		const k1 = new Uint32Array(count * BLOCK_WORDS);
		for (let i = 0; i < count; i++) {
			const rBytes = message.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
			const yr = decodePoint(rBytes, peer, `base OT point ${i}`).multiply(this.y);
			deriveKey(context, this.message, rBytes, i, yr, k0, i * BLOCK_WORDS);
			deriveKey(context, this.message, rBytes, i, yr.subtract(ys), k1, i * BLOCK_WORDS);
		}
		return [k0, k1];
	}
}

/** The base-OT receiver's side: from the sender's S and its choices, its message and its keys. */
export function receiveBaseOts(context: Uint8Array, senderMessage: Uint8Array, choices: Uint8Array, peer: number): { message: Uint8Array; keys: Uint32Array } {
	const s = decodePoint(senderMessage, peer, 'base OT key S');
	const table = s.precompute(8);
	const message = new Uint8Array(choices.length * POINT_BYTES);
	const keys = new Uint32Array(choices.length * BLOCK_WORDS);
	for (let i = 0; i < choices.length; i++) {
		const x = randomScalar();
		const xg = Point.BASE.multiply(x);
		const r = (choices[i] ? xg.add(s) : xg).toBytes();
		message.set(r, i * POINT_BYTES);
		deriveKey(context, senderMessage, r, i, table.multiply(x), keys, i * BLOCK_WORDS);
	}
	return { message, keys };
}
