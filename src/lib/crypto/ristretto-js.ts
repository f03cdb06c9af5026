import type { RistrettoKernel } from './ristretto';

/**
 * ristretto255 (RFC 9496) in plain JavaScript for the base OTs where WebAssembly SIMD is missing:
 * the algorithms of the WebAssembly kernel (wasm/ristretto.ts: cached-form additions, signed
 * 4-bit windows, comb tables for fixed bases, no branch on secrets) on field elements that fit
 * JavaScript's doubles instead of BigInt. p = 2^255 − 19 is split into 12 limbs of 22, 21, 21
 * and 21 bits, four times over (limb i at bit ⌈21.25·i⌉), kept centred (|limb| at most a little
 * over 2^(width−1) after every operation), so that a row of feMul's products, with the factors 2
 * and 19 of the reduction, sums below 2^50: every sum is exact in a double.
 *
 * All elements live in one Float64Array at fixed offsets (FE doubles each), as in the
 * WebAssembly module's memory; points are 4 elements (X, Y, Z, T extended, or cached).
 */

/** Bytes of an encoding. */
export const POINT_BYTES = 32;
const LIMBS = 12;
const FE = LIMBS;
const POINT = 4 * FE;
const WEIGHTS = Array.from({ length: LIMBS + 1 }, (_, i) => Math.ceil(21.25 * i));
const WIDTHS = Array.from({ length: LIMBS }, (_, i) => WEIGHTS[i + 1] - WEIGHTS[i]);
const RADIX = WIDTHS.map((w) => 2 ** w);
const INVERSE_RADIX = WIDTHS.map((w) => 2 ** -w);
/** Where in a point each element is (cached form: Y + X, Y − X, 2Z, 2d·T). */
const [X, Y, Z, T] = [0, FE, 2 * FE, 3 * FE];
const [YPLUSX, YMINUSX, Z2, T2D] = [0, FE, 2 * FE, 3 * FE];

/** Doubles of a comb table (64 rows of 8 cached points); the two tables come first, then the temporaries. */
const COMB = 64 * 8 * POINT;
const F = new Float64Array(2 * COMB + 64 * POINT);
let allocated = 2 * COMB;

function allocate(doubles: number): number {
	if (allocated + doubles > F.length) throw new Error('ristretto-js: out of room for temporaries');
	allocated += doubles;
	return allocated - doubles;
}
const element = () => allocate(FE);
const point = () => allocate(POINT);
const COMB_G = 0;
const COMB_B = COMB;

const P = 2n ** 255n - 19n;
/** x + ROUND − ROUND is x rounded to an integer for |x| < 2^51: the sum has no bits below 1. */
const ROUND = 1.5 * 2 ** 52;

/** Sets the element at h to the integer n (0 ≤ n < 2^255), limbs unreduced below their width. */
function feFromBigInt(h: number, n: bigint): void {
	for (let i = 0; i < LIMBS; i++) F[h + i] = Number((n >> BigInt(WEIGHTS[i])) & ((1n << BigInt(WIDTHS[i])) - 1n));
}

function constant(n: bigint): number {
	const at = element();
	feFromBigInt(at, ((n % P) + P) % P);
	carry(at);
	return at;
}

/**
 * One carry of every limb of the element at h at once (not a chain, so that they run side by
 * side): limb i keeps its remainder, centred in its width, and passes the rest to limb i + 1
 * (the top limb's ×19 to limb 0, as 2^255 ≡ 19). Once takes a sum or difference of carried
 * elements back within bounds; twice a product (below 2^52: the first pass leaves at most 2^31
 * per limb to pass on). In place, on the array: passing the twelve doubles to a function instead
 * would box each one.
 */
function carryOnce(h: number): void {
	const h0 = F[h], h1 = F[h + 1], h2 = F[h + 2], h3 = F[h + 3], h4 = F[h + 4], h5 = F[h + 5];
	const h6 = F[h + 6], h7 = F[h + 7], h8 = F[h + 8], h9 = F[h + 9], h10 = F[h + 10], h11 = F[h + 11];
	const c0 = h0 * 2.384185791015625e-7 + ROUND - ROUND, c1 = h1 * 4.76837158203125e-7 + ROUND - ROUND, c2 = h2 * 4.76837158203125e-7 + ROUND - ROUND, c3 = h3 * 4.76837158203125e-7 + ROUND - ROUND;
	const c4 = h4 * 2.384185791015625e-7 + ROUND - ROUND, c5 = h5 * 4.76837158203125e-7 + ROUND - ROUND, c6 = h6 * 4.76837158203125e-7 + ROUND - ROUND, c7 = h7 * 4.76837158203125e-7 + ROUND - ROUND;
	const c8 = h8 * 2.384185791015625e-7 + ROUND - ROUND, c9 = h9 * 4.76837158203125e-7 + ROUND - ROUND, c10 = h10 * 4.76837158203125e-7 + ROUND - ROUND, c11 = h11 * 4.76837158203125e-7 + ROUND - ROUND;
	F[h] = h0 - c0 * 4194304 + 19 * c11;
	F[h + 1] = h1 - c1 * 2097152 + c0;
	F[h + 2] = h2 - c2 * 2097152 + c1;
	F[h + 3] = h3 - c3 * 2097152 + c2;
	F[h + 4] = h4 - c4 * 4194304 + c3;
	F[h + 5] = h5 - c5 * 2097152 + c4;
	F[h + 6] = h6 - c6 * 2097152 + c5;
	F[h + 7] = h7 - c7 * 2097152 + c6;
	F[h + 8] = h8 - c8 * 4194304 + c7;
	F[h + 9] = h9 - c9 * 2097152 + c8;
	F[h + 10] = h10 - c10 * 2097152 + c9;
	F[h + 11] = h11 - c11 * 2097152 + c10;
}

function carry(h: number): void {
	carryOnce(h);
	carryOnce(h);
}

/**
 * h = f·g (h may be f or g). A product of limbs i and j lands at limb i + j (mod 12) with the
 * factor 2^(w_i + w_j − w_{i+j}) ∈ {1, 2}, times 19 where it passes 2^255.
 */
function feMul(h: number, f: number, g: number): void {
	const f0 = F[f], f1 = F[f + 1], f2 = F[f + 2], f3 = F[f + 3], f4 = F[f + 4], f5 = F[f + 5];
	const f6 = F[f + 6], f7 = F[f + 7], f8 = F[f + 8], f9 = F[f + 9], f10 = F[f + 10], f11 = F[f + 11];
	const g0 = F[g], g1 = F[g + 1], g2 = F[g + 2], g3 = F[g + 3], g4 = F[g + 4], g5 = F[g + 5];
	const g6 = F[g + 6], g7 = F[g + 7], g8 = F[g + 8], g9 = F[g + 9], g10 = F[g + 10], g11 = F[g + 11];
	const g1_2 = 2 * g1, g2_2 = 2 * g2, g3_2 = 2 * g3, g5_2 = 2 * g5, g6_2 = 2 * g6, g7_2 = 2 * g7;
	const g9_2 = 2 * g9, g10_2 = 2 * g10, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4, g5_19 = 19 * g5;
	const g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8, g9_19 = 19 * g9, g10_19 = 19 * g10, g11_19 = 19 * g11;
	const g1_38 = 38 * g1, g2_38 = 38 * g2, g3_38 = 38 * g3, g5_38 = 38 * g5, g6_38 = 38 * g6, g7_38 = 38 * g7;
	const g9_38 = 38 * g9, g10_38 = 38 * g10, g11_38 = 38 * g11;
	F[h] = f0 * g0 + f1 * g11_38 + f2 * g10_38 + f3 * g9_38 + f4 * g8_19 + f5 * g7_38 + f6 * g6_38 + f7 * g5_38 + f8 * g4_19 + f9 * g3_38 + f10 * g2_38 + f11 * g1_38;
	F[h + 1] = f0 * g1 + f1 * g0 + f2 * g11_19 + f3 * g10_19 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19 + f10 * g3_19 + f11 * g2_19;
	F[h + 2] = f0 * g2 + f1 * g1_2 + f2 * g0 + f3 * g11_19 + f4 * g10_19 + f5 * g9_38 + f6 * g8_19 + f7 * g7_19 + f8 * g6_19 + f9 * g5_38 + f10 * g4_19 + f11 * g3_19;
	F[h + 3] = f0 * g3 + f1 * g2_2 + f2 * g1_2 + f3 * g0 + f4 * g11_19 + f5 * g10_38 + f6 * g9_38 + f7 * g8_19 + f8 * g7_19 + f9 * g6_38 + f10 * g5_38 + f11 * g4_19;
	F[h + 4] = f0 * g4 + f1 * g3_2 + f2 * g2_2 + f3 * g1_2 + f4 * g0 + f5 * g11_38 + f6 * g10_38 + f7 * g9_38 + f8 * g8_19 + f9 * g7_38 + f10 * g6_38 + f11 * g5_38;
	F[h + 5] = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g11_19 + f7 * g10_19 + f8 * g9_19 + f9 * g8_19 + f10 * g7_19 + f11 * g6_19;
	F[h + 6] = f0 * g6 + f1 * g5_2 + f2 * g4 + f3 * g3 + f4 * g2 + f5 * g1_2 + f6 * g0 + f7 * g11_19 + f8 * g10_19 + f9 * g9_38 + f10 * g8_19 + f11 * g7_19;
	F[h + 7] = f0 * g7 + f1 * g6_2 + f2 * g5_2 + f3 * g4 + f4 * g3 + f5 * g2_2 + f6 * g1_2 + f7 * g0 + f8 * g11_19 + f9 * g10_38 + f10 * g9_38 + f11 * g8_19;
	F[h + 8] = f0 * g8 + f1 * g7_2 + f2 * g6_2 + f3 * g5_2 + f4 * g4 + f5 * g3_2 + f6 * g2_2 + f7 * g1_2 + f8 * g0 + f9 * g11_38 + f10 * g10_38 + f11 * g9_38;
	F[h + 9] = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0 + f10 * g11_19 + f11 * g10_19;
	F[h + 10] = f0 * g10 + f1 * g9_2 + f2 * g8 + f3 * g7 + f4 * g6 + f5 * g5_2 + f6 * g4 + f7 * g3 + f8 * g2 + f9 * g1_2 + f10 * g0 + f11 * g11_19;
	F[h + 11] = f0 * g11 + f1 * g10_2 + f2 * g9_2 + f3 * g8 + f4 * g7 + f5 * g6_2 + f6 * g5_2 + f7 * g4 + f8 * g3 + f9 * g2_2 + f10 * g1_2 + f11 * g0;
	carry(h);
}

/** h = f² (h may be f): feMul's products f_i·f_j and f_j·f_i merged, 78 instead of 144. */
function feSq(h: number, f: number): void {
	const f0 = F[f], f1 = F[f + 1], f2 = F[f + 2], f3 = F[f + 3], f4 = F[f + 4], f5 = F[f + 5];
	const f6 = F[f + 6], f7 = F[f + 7], f8 = F[f + 8], f9 = F[f + 9], f10 = F[f + 10], f11 = F[f + 11];
	F[h] = f0 * f0 + f1 * 76 * f11 + f2 * 76 * f10 + f3 * 76 * f9 + f4 * 38 * f8 + f5 * 76 * f7 + f6 * 38 * f6;
	F[h + 1] = f0 * 2 * f1 + f2 * 38 * f11 + f3 * 38 * f10 + f4 * 38 * f9 + f5 * 38 * f8 + f6 * 38 * f7;
	F[h + 2] = f0 * 2 * f2 + f1 * 2 * f1 + f3 * 38 * f11 + f4 * 38 * f10 + f5 * 76 * f9 + f6 * 38 * f8 + f7 * 19 * f7;
	F[h + 3] = f0 * 2 * f3 + f1 * 4 * f2 + f4 * 38 * f11 + f5 * 76 * f10 + f6 * 76 * f9 + f7 * 38 * f8;
	F[h + 4] = f0 * 2 * f4 + f1 * 4 * f3 + f2 * 2 * f2 + f5 * 76 * f11 + f6 * 76 * f10 + f7 * 76 * f9 + f8 * 19 * f8;
	F[h + 5] = f0 * 2 * f5 + f1 * 2 * f4 + f2 * 2 * f3 + f6 * 38 * f11 + f7 * 38 * f10 + f8 * 38 * f9;
	F[h + 6] = f0 * 2 * f6 + f1 * 4 * f5 + f2 * 2 * f4 + f3 * f3 + f7 * 38 * f11 + f8 * 38 * f10 + f9 * 38 * f9;
	F[h + 7] = f0 * 2 * f7 + f1 * 4 * f6 + f2 * 4 * f5 + f3 * 2 * f4 + f8 * 38 * f11 + f9 * 76 * f10;
	F[h + 8] = f0 * 2 * f8 + f1 * 4 * f7 + f2 * 4 * f6 + f3 * 4 * f5 + f4 * f4 + f9 * 76 * f11 + f10 * 38 * f10;
	F[h + 9] = f0 * 2 * f9 + f1 * 2 * f8 + f2 * 2 * f7 + f3 * 2 * f6 + f4 * 2 * f5 + f10 * 38 * f11;
	F[h + 10] = f0 * 2 * f10 + f1 * 4 * f9 + f2 * 2 * f8 + f3 * 2 * f7 + f4 * 2 * f6 + f5 * 2 * f5 + f11 * 19 * f11;
	F[h + 11] = f0 * 2 * f11 + f1 * 4 * f10 + f2 * 4 * f9 + f3 * 2 * f8 + f4 * 2 * f7 + f5 * 4 * f6;
	carry(h);
}

/** h = f + s·g for s = ±1 (h may be f or g). */
function feAddScaled(h: number, f: number, g: number, s: number): void {
	for (let i = 0; i < LIMBS; i++) F[h + i] = F[f + i] + s * F[g + i];
	carryOnce(h);
}

const feAdd = (h: number, f: number, g: number) => feAddScaled(h, f, g, 1);
const feSub = (h: number, f: number, g: number) => feAddScaled(h, f, g, -1);

function feNeg(h: number, f: number): void {
	for (let i = 0; i < LIMBS; i++) F[h + i] = -F[f + i];
}

function feCopy(h: number, f: number): void {
	F.copyWithin(h, f, f + FE);
}

function feSet(h: number, value: number): void {
	F.fill(0, h + 1, h + FE);
	F[h] = value;
}

/** The `length` doubles at `to` = those at `from` where `move` is 1, unchanged where it is 0, every double written either way. */
function cmov(to: number, from: number, length: number, move: number): void {
	const keep = 1 - move;
	for (let i = 0; i < length; i++) F[to + i] = keep * F[to + i] + move * F[from + i];
}

const P_LIMBS = WIDTHS.map((_, i) => (i === 0 ? RADIX[0] - 19 : RADIX[i] - 1));
const REDUCED = new Float64Array(LIMBS);

/** The canonical 32 bytes of h (fully reduced below p) into out[o…]. */
function feToBytes(out: Uint8Array, o: number, h: number): void {
	// h is centred, |h| < p: h + p is in (0, 2p), and q = 1 exactly when h + p ≥ p, i.e. h + p + 19 ≥ 2^255.
	let q = 19;
	for (let i = 0; i < LIMBS; i++) {
		REDUCED[i] = F[h + i] + P_LIMBS[i];
		q = Math.floor((REDUCED[i] + q) * INVERSE_RADIX[i]);
	}
	REDUCED[0] += 19 * q;
	for (let i = 0; i < LIMBS; i++) {
		const c = Math.floor(REDUCED[i] * INVERSE_RADIX[i]);
		REDUCED[i] -= c * RADIX[i];
		if (i + 1 < LIMBS) REDUCED[i + 1] += c;
	}
	let acc = 0;
	let bits = 0;
	let at = o;
	for (let i = 0; i < LIMBS; i++) {
		acc += REDUCED[i] * 2 ** bits;
		bits += WIDTHS[i];
		while (bits >= 8) {
			out[at++] = acc & 0xff;
			acc = Math.floor(acc / 256);
			bits -= 8;
		}
	}
	out[at] = acc & 0xff;
}

/** The element of bits 0 … 254 of the 32 bytes at bytes[o…] (bit 255 ignored). */
function feFromBytes(h: number, bytes: Uint8Array, o: number): void {
	for (let i = 0; i < LIMBS; i++) {
		const bit = WEIGHTS[i];
		const byte = o + (bit >> 3);
		let word = 0;
		for (let b = 3; b >= 0; b--) word = word * 256 + (byte + b < o + 32 ? bytes[byte + b] : 0);
		F[h + i] = Math.floor(word / 2 ** (bit & 7)) % RADIX[i];
	}
	carry(h);
}

const BYTES = new Uint8Array(32);

/** 1 where f is negative (odd once reduced), else 0. */
function feIsNegative(f: number): number {
	feToBytes(BYTES, 0, f);
	return BYTES[0] & 1;
}

/** 1 where f = 0, else 0. */
function feIsZero(f: number): number {
	feToBytes(BYTES, 0, f);
	let any = 0;
	for (let i = 0; i < 32; i++) any |= BYTES[i];
	return ((any - 1) >>> 31) & 1;
}

const DIFF = element();

/** 1 where f = g, else 0. */
function feEquals(f: number, g: number): number {
	feSub(DIFF, f, g);
	return feIsZero(DIFF);
}

/** h = |f|: f or −f, whichever is non-negative. */
function feAbs(h: number, f: number): void {
	const negative = feIsNegative(f);
	feCopy(h, f);
	feNeg(DIFF, f);
	cmov(h, DIFF, FE, negative);
}

function feSqTimes(h: number, f: number, times: number): void {
	feSq(h, f);
	for (let i = 1; i < times; i++) feSq(h, h);
}

const [P0, P1, P2] = [element(), element(), element()];

/** h = z^((p − 5) / 8) = z^(2^252 − 3), by ref10's addition chain. */
function fePow22523(h: number, z: number): void {
	feSq(P0, z);
	feSqTimes(P1, P0, 2);
	feMul(P1, z, P1);
	feMul(P0, P0, P1);
	feSq(P0, P0);
	feMul(P0, P1, P0);
	feSqTimes(P1, P0, 5);
	feMul(P0, P1, P0);
	feSqTimes(P1, P0, 10);
	feMul(P1, P1, P0);
	feSqTimes(P2, P1, 20);
	feMul(P1, P2, P1);
	feSqTimes(P1, P1, 10);
	feMul(P0, P1, P0);
	feSqTimes(P1, P0, 50);
	feMul(P1, P1, P0);
	feSqTimes(P2, P1, 100);
	feMul(P1, P2, P1);
	feSqTimes(P1, P1, 50);
	feMul(P0, P1, P0);
	feSqTimes(P0, P0, 2);
	feMul(h, P0, z);
}

const ONE = constant(1n);
/** d = −121665/121666 of edwards25519. */
const D_VALUE = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
const D = constant(D_VALUE);
const D2 = constant(2n * D_VALUE);
const SQRT_M1 = constant(19681161376707505956807079304988542015446066515923890162744021073123829784752n);
const INVSQRT_A_MINUS_D = constant(54469307008909316920995813868745141605393597292927456921205312896311721017578n);
const BASE_X = 15112221349535400772501151409588531511454012693041857206046113283949847762202n;
const BASE_Y = 46316835694926478169428394003475163141307993866256225615783033603165251855960n;

const [R0, R1, R2, CHECK] = [element(), element(), element(), element()];

/**
 * SQRT_RATIO_M1(u, v) of RFC 9496 §4.2: r = √(u/v) made non-negative, or √(i·u/v) where u/v is
 * not a square; returns 1 where u/v is a square (0 included). r must be neither u nor v.
 */
function sqrtRatioM1(r: number, u: number, v: number): number {
	feSq(R0, v);
	feMul(R0, R0, v); // v³
	feSq(R1, R0);
	feMul(R1, R1, v); // v⁷
	feMul(R1, R1, u); // u·v⁷
	fePow22523(R1, R1);
	feMul(R0, R0, u); // u·v³
	feMul(r, R0, R1);
	feSq(CHECK, r);
	feMul(CHECK, CHECK, v);
	const correctSign = feEquals(CHECK, u);
	feNeg(R2, u);
	const flippedSign = feEquals(CHECK, R2);
	feMul(R2, R2, SQRT_M1);
	const flippedSignI = feEquals(CHECK, R2);
	feMul(R0, r, SQRT_M1);
	cmov(r, R0, FE, flippedSign | flippedSignI);
	feAbs(r, r);
	return correctSign | flippedSign;
}

function ptIdentity(p: number): void {
	feSet(p + X, 0);
	feSet(p + Y, 1);
	feSet(p + Z, 1);
	feSet(p + T, 0);
}

const [A_, B_, C_, D_, E_, F_, G_, H_] = Array.from({ length: 8 }, element);

/** c = the cached form of p. */
function ptCache(c: number, p: number): void {
	feAdd(c + YPLUSX, p + Y, p + X);
	feSub(c + YMINUSX, p + Y, p + X);
	feAdd(c + Z2, p + Z, p + Z);
	feMul(c + T2D, p + T, D2);
}

/** r = p + q for q in cached form (add-2008-hwcd-3); r may be p. `withT`: whether r gets its T, which only an addition reads. */
function ptAdd(r: number, p: number, q: number, withT: boolean): void {
	feSub(A_, p + Y, p + X);
	feMul(A_, A_, q + YMINUSX);
	feAdd(B_, p + Y, p + X);
	feMul(B_, B_, q + YPLUSX);
	feMul(C_, p + T, q + T2D);
	feMul(D_, p + Z, q + Z2);
	feSub(E_, B_, A_);
	feSub(F_, D_, C_);
	feAdd(G_, D_, C_);
	feAdd(H_, B_, A_);
	feMul(r + X, E_, F_);
	feMul(r + Y, G_, H_);
	if (withT) feMul(r + T, E_, H_);
	feMul(r + Z, F_, G_);
}

/** r = 2p (dbl-2008-hwcd, a = −1); r may be p. `withT` as for ptAdd. */
function ptDouble(r: number, p: number, withT: boolean): void {
	feSq(A_, p + X);
	feSq(B_, p + Y);
	feSq(C_, p + Z);
	feAdd(C_, C_, C_);
	feAdd(E_, p + X, p + Y);
	feSq(E_, E_);
	feSub(E_, E_, A_);
	feSub(E_, E_, B_);
	feSub(G_, B_, A_); // D + B with D = −A
	feSub(F_, G_, C_);
	feNeg(H_, A_);
	feSub(H_, H_, B_); // D − B
	feMul(r + X, E_, F_);
	feMul(r + Y, G_, H_);
	if (withT) feMul(r + T, E_, H_);
	feMul(r + Z, F_, G_);
}

function ptNeg(r: number, p: number): void {
	feNeg(r + X, p + X);
	feCopy(r + Y, p + Y);
	feCopy(r + Z, p + Z);
	feNeg(r + T, p + T);
}

const DIGITS = new Int8Array(64);

/** The scalar at k[o…] (below 2^255) as 64 digits in [−8, 8) (the last in [0, 8]) into DIGITS, as wasm/ristretto.ts's recode. */
function recode(k: Uint8Array, o: number): void {
	let carried = 0;
	for (let i = 0; i < 63; i++) {
		const digit = ((k[o + (i >> 1)] >> ((i & 1) << 2)) & 15) + carried;
		carried = (digit + 8) >> 4;
		DIGITS[i] = digit - (carried << 4);
	}
	DIGITS[63] = (k[o + 31] >> 4) + carried;
}

const [SELECTED, NEGATED, MULTIPLE] = [point(), point(), point()];
const MULTIPLES = allocate(8 * POINT);

/** SELECTED = digit·P from the 8 cached points 1·P … 8·P at `row`, every entry read alike. */
function select(row: number, digit: number): void {
	const negative = digit >>> 31;
	const magnitude = (digit ^ -negative) + negative;
	feSet(SELECTED + YPLUSX, 1);
	feSet(SELECTED + YMINUSX, 1);
	feSet(SELECTED + Z2, 2);
	feSet(SELECTED + T2D, 0);
	for (let i = 0; i < 8; i++) cmov(SELECTED, row + i * POINT, POINT, (((i + 1) ^ magnitude) - 1) >>> 31);
	feCopy(NEGATED + YPLUSX, SELECTED + YMINUSX);
	feCopy(NEGATED + YMINUSX, SELECTED + YPLUSX);
	feCopy(NEGATED + Z2, SELECTED + Z2);
	feNeg(NEGATED + T2D, SELECTED + T2D);
	cmov(SELECTED, NEGATED, POINT, negative);
}

/** The cached points 1·p … 8·p at `row`. */
function multiples(row: number, p: number): void {
	ptCache(row, p);
	F.copyWithin(MULTIPLE, p, p + POINT);
	for (let i = 1; i < 8; i++) {
		ptAdd(MULTIPLE, MULTIPLE, row, true);
		ptCache(row + i * POINT, MULTIPLE);
	}
}

/** r = k·p for the scalar at k[o…] (below 2^255); r may be p. */
function ptMul(r: number, k: Uint8Array, o: number, p: number): void {
	multiples(MULTIPLES, p);
	recode(k, o);
	ptIdentity(r);
	for (let i = 63; i >= 0; i--) {
		if (i < 63) {
			for (let j = 0; j < 3; j++) ptDouble(r, r, false);
			ptDouble(r, r, true);
		}
		select(MULTIPLES, DIGITS[i]);
		ptAdd(r, r, SELECTED, i === 0);
	}
}

const RUNNING = point();

/** The comb table of p: row i holds j·16^i·p for j = 1 … 8. */
function combTable(table: number, p: number): void {
	F.copyWithin(RUNNING, p, p + POINT);
	for (let i = 0; i < 64; i++) {
		multiples(table + i * 8 * POINT, RUNNING);
		for (let d = 0; d < 4; d++) ptDouble(RUNNING, RUNNING, true);
	}
}

/** r = k·p by the comb table of p, k below 2^255. */
function combMul(r: number, k: Uint8Array, o: number, table: number): void {
	recode(k, o);
	ptIdentity(r);
	for (let i = 0; i < 64; i++) {
		select(table + i * 8 * POINT, DIGITS[i]);
		ptAdd(r, r, SELECTED, true);
	}
}

let combGReady = false;

function combG(): number {
	if (!combGReady) {
		const base = point();
		feFromBigInt(base + X, BASE_X);
		feFromBigInt(base + Y, BASE_Y);
		feSet(base + Z, 1);
		feFromBigInt(base + T, (BASE_X * BASE_Y) % P);
		for (const at of [X, Y, T]) carry(base + at);
		combTable(COMB_G, base);
		combGReady = true;
	}
	return COMB_G;
}

const [S_, U1, U2, V_, I_] = [element(), element(), element(), element(), element()];
const CANONICAL = new Uint8Array(32);

/** Decodes the ristretto255 encoding at bytes[o…] into p (RFC 9496 §4.3.1); returns whether it is valid. */
function decode(p: number, bytes: Uint8Array, o: number): boolean {
	feFromBytes(S_, bytes, o);
	feToBytes(CANONICAL, 0, S_);
	let differs = 0;
	for (let i = 0; i < 32; i++) differs |= CANONICAL[i] ^ bytes[o + i];
	const negative = bytes[o] & 1;
	feSq(V_, S_);
	feSub(U1, ONE, V_); // 1 + a·s²
	feAdd(U2, ONE, V_); // 1 − a·s²
	feSq(I_, U2); // u2²
	feSq(V_, U1);
	feMul(V_, V_, D);
	feNeg(V_, V_);
	feSub(V_, V_, I_); // a·d·u1² − u2²
	feMul(H_, V_, I_);
	const square = sqrtRatioM1(I_, ONE, H_);
	feMul(A_, I_, U2); // den_x
	feMul(B_, I_, A_);
	feMul(B_, B_, V_); // den_y
	feAdd(C_, S_, S_);
	feMul(C_, C_, A_);
	feAbs(p + X, C_);
	feMul(p + Y, U1, B_);
	feSet(p + Z, 1);
	feMul(p + T, p + X, p + Y);
	return (differs === 0) && negative === 0 && square === 1 && feIsNegative(p + T) === 0 && feIsZero(p + Y) === 0;
}

/** The ristretto255 encoding of p into out[o…] (RFC 9496 §4.3.2). */
function encode(out: Uint8Array, o: number, p: number): void {
	feAdd(U1, p + Z, p + Y);
	feSub(A_, p + Z, p + Y);
	feMul(U1, U1, A_); // (Z + Y)(Z − Y)
	feMul(U2, p + X, p + Y);
	feSq(A_, U2);
	feMul(A_, A_, U1);
	sqrtRatioM1(I_, ONE, A_);
	feMul(B_, I_, U1); // den1
	feMul(C_, I_, U2); // den2
	feMul(D_, B_, C_);
	feMul(D_, D_, p + T); // z_inv
	feMul(E_, p + T, D_);
	const rotate = feIsNegative(E_);
	feCopy(F_, p + X);
	feCopy(G_, p + Y);
	feMul(H_, p + Y, SQRT_M1); // i·y
	cmov(F_, H_, FE, rotate);
	feMul(H_, p + X, SQRT_M1); // i·x
	cmov(G_, H_, FE, rotate);
	feMul(H_, B_, INVSQRT_A_MINUS_D); // enchanted denominator
	cmov(C_, H_, FE, rotate);
	feMul(E_, F_, D_);
	const negate = feIsNegative(E_);
	feNeg(H_, G_);
	cmov(G_, H_, FE, negate);
	feSub(A_, p + Z, G_);
	feMul(A_, A_, C_);
	feAbs(A_, A_);
	feToBytes(out, o, A_);
}

const [POINT_A, POINT_B, POINT_C, POINT_YC] = [point(), point(), point(), point()];

function decodeValid(p: number, bytes: Uint8Array): void {
	if (!decode(p, bytes, 0)) throw new Error('ristretto255: not a valid point encoding');
}

/** The kernel: the same bytes as @noble/curves (nobleRistretto), several times faster than its BigInt arithmetic. */
export const jsRistretto: RistrettoKernel = {
	name: 'js',
	baseMul(k) {
		const out = new Uint8Array(POINT_BYTES);
		combMul(POINT_A, k, 0, combG());
		encode(out, 0, POINT_A);
		return out;
	},
	mul(k, p) {
		const out = new Uint8Array(POINT_BYTES);
		decodeValid(POINT_A, p);
		ptMul(POINT_A, k, 0, POINT_A);
		encode(out, 0, POINT_A);
		return out;
	},
	offer(c, scalars, choices) {
		const r = new Uint8Array(choices.length * POINT_BYTES);
		const g = combG();
		decodeValid(POINT_B, c);
		ptCache(POINT_C, POINT_B);
		for (let i = 0; i < choices.length; i++) {
			combMul(POINT_A, scalars, 32 * i, g);
			ptAdd(POINT_B, POINT_A, POINT_C, true);
			cmov(POINT_A, POINT_B, POINT, choices[i] & 1);
			encode(r, i * POINT_BYTES, POINT_A);
		}
		return r;
	},
	chosen(b, scalars) {
		const count = scalars.length / 32;
		const keys = new Uint8Array(count * POINT_BYTES);
		decodeValid(POINT_C, b);
		combTable(COMB_B, POINT_C);
		for (let i = 0; i < count; i++) {
			combMul(POINT_A, scalars, 32 * i, COMB_B);
			encode(keys, i * POINT_BYTES, POINT_A);
		}
		return keys;
	},
	send(y, yc, r, count) {
		const keys0 = new Uint8Array(count * POINT_BYTES);
		const keys1 = new Uint8Array(count * POINT_BYTES);
		decodeValid(POINT_B, yc);
		ptNeg(POINT_B, POINT_B);
		ptCache(POINT_YC, POINT_B);
		for (let i = 0; i < count; i++) {
			if (!decode(POINT_A, r, i * POINT_BYTES)) return { invalid: i };
			ptMul(POINT_A, y, 0, POINT_A);
			encode(keys0, i * POINT_BYTES, POINT_A);
			ptAdd(POINT_A, POINT_A, POINT_YC, true);
			encode(keys1, i * POINT_BYTES, POINT_A);
		}
		return { keys0, keys1 };
	}
};
