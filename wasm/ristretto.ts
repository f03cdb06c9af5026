// ristretto255 (RFC 9496) for the base OTs of src/lib/ot/base-ot.ts: field arithmetic modulo
// p = 2^255 − 19 in ten signed limbs of 26 and 25 bits (radix 2^25.5, as in the ref10 code
// of Bernstein, Duif, Lange, Schwabe and Yang), where WebAssembly's 64-bit multiplications do
// what JavaScript's BigInt does an order of magnitude slower. Points are extended twisted
// Edwards coordinates (X : Y : Z : T), a = −1; scalar multiplication is constant-time (signed
// 4-bit windows, every table entry read at every step, no branch on secrets).
//
// A field element is 10 × i64 (80 bytes) in memory, a point 4 field elements (320 bytes);
// temporaries are static. Encodings and scalars are 32 bytes, little-endian.

const FE: usize = 80;
const POINT: usize = 4 * FE;

const D = memory.data<i64>([56195235, 13857412, 51736253, 6949390, 114729, 24766616, 60832955, 30306712, 48412415, 21499315]);
const D2 = memory.data<i64>([45281625, 27714825, 36363642, 13898781, 229458, 15978800, 54557047, 27058993, 29715967, 9444199]);
const SQRT_M1 = memory.data<i64>([34513072, 25610706, 9377949, 3500415, 12389472, 33281959, 41962654, 31548777, 326685, 11406482]);
const INVSQRT_A_MINUS_D = memory.data<i64>([6111466, 4156064, 39310137, 12243467, 41204824, 120896, 20826367, 26493656, 6093567, 31568420]);
const BASE_X = memory.data<i64>([52811034, 25909283, 16144682, 17082669, 27570973, 30858332, 40966398, 8378388, 20764389, 8758491]);
const BASE_Y = memory.data<i64>([40265304, 26843545, 13421772, 20132659, 26843545, 6710886, 53687091, 13421772, 40265318, 26843545]);
const BASE_T = memory.data<i64>([28827043, 27438313, 39759291, 244362, 8635006, 11264893, 19351346, 13413597, 16611511, 27139452]);
const BASE = memory.data(POINT, 16);

// @ts-ignore: decorator
@inline
function limb(f: usize, i: usize): i64 {
	return load<i64>(f + (i << 3));
}

/**
 * Stores h with every limb carried into its width (even limbs 26 bits, odd limbs 25), the
 * carry out of the top limb folded back ×19 (2^255 ≡ 19): |limbs| then stay near 2^25, which
 * every input of mul assumes.
 */
// @ts-ignore: decorator
@inline
function carryStore(out: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
	let c: i64;
	c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
	c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
	c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
	c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
	c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
	c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
	c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
	c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
	c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
	c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
	c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
	c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
	store<i64>(out, h0, 0);
	store<i64>(out, h1, 8);
	store<i64>(out, h2, 16);
	store<i64>(out, h3, 24);
	store<i64>(out, h4, 32);
	store<i64>(out, h5, 40);
	store<i64>(out, h6, 48);
	store<i64>(out, h7, 56);
	store<i64>(out, h8, 64);
	store<i64>(out, h9, 72);
}

/** h = f·g (h may be f or g). Limb i has weight 2^⌈25.5·i⌉: products of two odd limbs count twice, and those past 2^255 come back ×19. */
function feMul(h: usize, f: usize, g: usize): void {
	const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
	const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
	const g0 = limb(g, 0), g1 = limb(g, 1), g2 = limb(g, 2), g3 = limb(g, 3), g4 = limb(g, 4);
	const g5 = limb(g, 5), g6 = limb(g, 6), g7 = limb(g, 7), g8 = limb(g, 8), g9 = limb(g, 9);
	const f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
	const g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4, g5_19 = 19 * g5;
	const g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8, g9_19 = 19 * g9;
	let h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
	let h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
	let h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
	let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
	let h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
	let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
	let h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
	let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
	let h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
	let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
	carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f² (h may be f): feMul's terms with f_i·f_j and f_j·f_i merged, 55 products instead of 100. */
function feSq(h: usize, f: usize): void {
	const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
	const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
	const h0: i64 = f0 * f0 + f1 * 76 * f9 + f2 * 38 * f8 + f3 * 76 * f7 + f4 * 38 * f6 + f5 * 38 * f5;
	const h1: i64 = f0 * 2 * f1 + f2 * 38 * f9 + f3 * 38 * f8 + f4 * 38 * f7 + f5 * 38 * f6;
	const h2: i64 = f0 * 2 * f2 + f1 * 2 * f1 + f3 * 76 * f9 + f4 * 38 * f8 + f5 * 76 * f7 + f6 * 19 * f6;
	const h3: i64 = f0 * 2 * f3 + f1 * 2 * f2 + f4 * 38 * f9 + f5 * 38 * f8 + f6 * 38 * f7;
	const h4: i64 = f0 * 2 * f4 + f1 * 4 * f3 + f2 * f2 + f5 * 76 * f9 + f6 * 38 * f8 + f7 * 38 * f7;
	const h5: i64 = f0 * 2 * f5 + f1 * 2 * f4 + f2 * 2 * f3 + f6 * 38 * f9 + f7 * 38 * f8;
	const h6: i64 = f0 * 2 * f6 + f1 * 4 * f5 + f2 * 2 * f4 + f3 * 2 * f3 + f7 * 76 * f9 + f8 * 19 * f8;
	const h7: i64 = f0 * 2 * f7 + f1 * 2 * f6 + f2 * 2 * f5 + f3 * 2 * f4 + f8 * 38 * f9;
	const h8: i64 = f0 * 2 * f8 + f1 * 4 * f7 + f2 * 2 * f6 + f3 * 4 * f5 + f4 * f4 + f9 * 38 * f9;
	const h9: i64 = f0 * 2 * f9 + f1 * 2 * f8 + f2 * 2 * f7 + f3 * 2 * f6 + f4 * 2 * f5;
	carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

function feAdd(h: usize, f: usize, g: usize): void {
	carryStore(h, limb(f, 0) + limb(g, 0), limb(f, 1) + limb(g, 1), limb(f, 2) + limb(g, 2), limb(f, 3) + limb(g, 3), limb(f, 4) + limb(g, 4),
		limb(f, 5) + limb(g, 5), limb(f, 6) + limb(g, 6), limb(f, 7) + limb(g, 7), limb(f, 8) + limb(g, 8), limb(f, 9) + limb(g, 9));
}

function feSub(h: usize, f: usize, g: usize): void {
	carryStore(h, limb(f, 0) - limb(g, 0), limb(f, 1) - limb(g, 1), limb(f, 2) - limb(g, 2), limb(f, 3) - limb(g, 3), limb(f, 4) - limb(g, 4),
		limb(f, 5) - limb(g, 5), limb(f, 6) - limb(g, 6), limb(f, 7) - limb(g, 7), limb(f, 8) - limb(g, 8), limb(f, 9) - limb(g, 9));
}

function feNeg(h: usize, f: usize): void {
	carryStore(h, -limb(f, 0), -limb(f, 1), -limb(f, 2), -limb(f, 3), -limb(f, 4), -limb(f, 5), -limb(f, 6), -limb(f, 7), -limb(f, 8), -limb(f, 9));
}

function feCopy(h: usize, f: usize): void {
	memory.copy(h, f, FE);
}

function feSet(h: usize, value: i64): void {
	memory.fill(h, 0, FE);
	store<i64>(h, value);
}

/** The `bytes` (a multiple of 16) at `to` = those at `from` where `move` is 1, unchanged where it is 0, in the same time either way. */
function cmov(to: usize, from: usize, bytes: usize, move: i64): void {
	const mask = i64x2.splat(-move);
	for (let i: usize = 0; i < bytes; i += 16) v128.store(to + i, v128.bitselect(v128.load(from + i), v128.load(to + i), mask));
}

/** f = g where `move` is 1, f unchanged where it is 0. */
function feCmov(f: usize, g: usize, move: i64): void {
	cmov(f, g, FE, move);
}

const PADDED = memory.data(40, 16);

/** The field element of bits 0 … 254 of the 32 bytes at `s` (bit 255 ignored). */
function feFromBytes(h: usize, s: usize): void {
	memory.copy(PADDED, s, 32);
	store<u64>(PADDED, 0, 32);
	for (let i: usize = 0; i < 10; i++) {
		const bit = (i * 51 + 1) >> 1;
		const width: u64 = i & 1 ? 25 : 26;
		store<i64>(h + (i << 3), <i64>((load<u64>(PADDED + (bit >> 3)) >> <u64>(bit & 7)) & ((<u64>1 << width) - 1)));
	}
}

/** The canonical 32 bytes of h (fully reduced below p) at `s`. */
function feToBytes(s: usize, h: usize): void {
	let h0 = limb(h, 0), h1 = limb(h, 1), h2 = limb(h, 2), h3 = limb(h, 3), h4 = limb(h, 4);
	let h5 = limb(h, 5), h6 = limb(h, 6), h7 = limb(h, 7), h8 = limb(h, 8), h9 = limb(h, 9);
	// q = 1 exactly when h ≥ p: then h − p = h + 19 − 2^255.
	let q = (19 * h9 + (1 << 24)) >> 25;
	q = (h0 + q) >> 26; q = (h1 + q) >> 25; q = (h2 + q) >> 26; q = (h3 + q) >> 25; q = (h4 + q) >> 26;
	q = (h5 + q) >> 25; q = (h6 + q) >> 26; q = (h7 + q) >> 25; q = (h8 + q) >> 26; q = (h9 + q) >> 25;
	h0 += 19 * q;
	let c: i64;
	c = h0 >> 26; h1 += c; h0 -= c << 26;
	c = h1 >> 25; h2 += c; h1 -= c << 25;
	c = h2 >> 26; h3 += c; h2 -= c << 26;
	c = h3 >> 25; h4 += c; h3 -= c << 25;
	c = h4 >> 26; h5 += c; h4 -= c << 26;
	c = h5 >> 25; h6 += c; h5 -= c << 25;
	c = h6 >> 26; h7 += c; h6 -= c << 26;
	c = h7 >> 25; h8 += c; h7 -= c << 25;
	c = h8 >> 26; h9 += c; h8 -= c << 26;
	c = h9 >> 25; h9 -= c << 25;
	const limbs = memory.data(FE, 16);
	store<i64>(limbs, h0, 0);
	store<i64>(limbs, h1, 8);
	store<i64>(limbs, h2, 16);
	store<i64>(limbs, h3, 24);
	store<i64>(limbs, h4, 32);
	store<i64>(limbs, h5, 40);
	store<i64>(limbs, h6, 48);
	store<i64>(limbs, h7, 56);
	store<i64>(limbs, h8, 64);
	store<i64>(limbs, h9, 72);
	let acc: u64 = 0;
	let bits: u64 = 0;
	let out = s;
	for (let i: usize = 0; i < 10; i++) {
		acc |= <u64>load<i64>(limbs + (i << 3)) << bits;
		bits += i & 1 ? 25 : 26;
		while (bits >= 8) {
			store<u8>(out++, <u8>acc);
			acc >>= 8;
			bits -= 8;
		}
	}
	store<u8>(out, <u8>acc);
}

const BYTES = memory.data(32, 16);

/** 1 where f is negative (odd once reduced), else 0. */
function feIsNegative(f: usize): i64 {
	feToBytes(BYTES, f);
	return <i64>(load<u8>(BYTES) & 1);
}

/** 1 where f = 0, else 0. */
function feIsZero(f: usize): i64 {
	feToBytes(BYTES, f);
	const any = load<u64>(BYTES) | load<u64>(BYTES, 8) | load<u64>(BYTES, 16) | load<u64>(BYTES, 24);
	return <i64>((any | (0 - any)) >> 63) ^ 1;
}

const DIFF = memory.data(FE, 16);

/** 1 where f = g, else 0. */
function feEquals(f: usize, g: usize): i64 {
	feSub(DIFF, f, g);
	return feIsZero(DIFF);
}

/** h = |f|: f or −f, whichever is non-negative. */
function feAbs(h: usize, f: usize): void {
	const negative = feIsNegative(f);
	feCopy(h, f);
	feNeg(DIFF, f);
	feCmov(h, DIFF, negative);
}

function feSqTimes(h: usize, f: usize, times: i32): void {
	feSq(h, f);
	for (let i = 1; i < times; i++) feSq(h, h);
}

const P0 = memory.data(FE, 16);
const P1 = memory.data(FE, 16);
const P2 = memory.data(FE, 16);

/** h = z^((p − 5) / 8) = z^(2^252 − 3), by ref10's addition chain. */
function fePow22523(h: usize, z: usize): void {
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

const R0 = memory.data(FE, 16);
const R1 = memory.data(FE, 16);
const R2 = memory.data(FE, 16);
const CHECK = memory.data(FE, 16);

/**
 * SQRT_RATIO_M1(u, v) of RFC 9496 §4.2: r = √(u/v) made non-negative, or √(i·u/v) where u/v is
 * not a square; returns 1 where u/v is a square (0 included). r must be neither u nor v.
 */
function sqrtRatioM1(r: usize, u: usize, v: usize): i64 {
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
	feCmov(r, R0, flippedSign | flippedSignI);
	feAbs(r, r);
	return correctSign | flippedSign;
}

// @ts-ignore: decorator
@inline
function X(p: usize): usize {
	return p;
}
// @ts-ignore: decorator
@inline
function Y(p: usize): usize {
	return p + FE;
}
// @ts-ignore: decorator
@inline
function Z(p: usize): usize {
	return p + 2 * FE;
}
// @ts-ignore: decorator
@inline
function T(p: usize): usize {
	return p + 3 * FE;
}

function ptIdentity(p: usize): void {
	feSet(X(p), 0);
	feSet(Y(p), 1);
	feSet(Z(p), 1);
	feSet(T(p), 0);
}

const A_ = memory.data(FE, 16);
const B_ = memory.data(FE, 16);
const C_ = memory.data(FE, 16);
const D_ = memory.data(FE, 16);
const E_ = memory.data(FE, 16);
const F_ = memory.data(FE, 16);
const G_ = memory.data(FE, 16);
const H_ = memory.data(FE, 16);

// A point in cached form (Y + X, Y − X, 2Z, 2d·T), the second operand of every addition: the
// table entries of the scalar multiplications are kept so, which saves two multiplications each
// time one is added. The constants are the offsets of its field elements.
const YPLUSX: usize = 0;
const YMINUSX: usize = FE;
const Z2: usize = 2 * FE;
const T2D: usize = 3 * FE;

/** c = the cached form of p. */
function ptCache(c: usize, p: usize): void {
	feAdd(c + YPLUSX, Y(p), X(p));
	feSub(c + YMINUSX, Y(p), X(p));
	feAdd(c + Z2, Z(p), Z(p));
	feMul(c + T2D, T(p), D2);
}

/**
 * r = p + q for q in cached form (add-2008-hwcd-3, complete for a = −1 and non-square d); r may
 * be p. `withT`: whether r gets its T, which only an addition reads (a doubling does not).
 */
function ptAdd(r: usize, p: usize, q: usize, withT: bool): void {
	feSub(A_, Y(p), X(p));
	feMul(A_, A_, q + YMINUSX);
	feAdd(B_, Y(p), X(p));
	feMul(B_, B_, q + YPLUSX);
	feMul(C_, T(p), q + T2D);
	feMul(D_, Z(p), q + Z2);
	feSub(E_, B_, A_);
	feSub(F_, D_, C_);
	feAdd(G_, D_, C_);
	feAdd(H_, B_, A_);
	feMul(X(r), E_, F_);
	feMul(Y(r), G_, H_);
	if (withT) feMul(T(r), E_, H_);
	feMul(Z(r), F_, G_);
}

/** r = 2p (dbl-2008-hwcd, a = −1); r may be p. `withT` as for ptAdd: p's own T is never read. */
function ptDouble(r: usize, p: usize, withT: bool): void {
	feSq(A_, X(p));
	feSq(B_, Y(p));
	feSq(C_, Z(p));
	feAdd(C_, C_, C_);
	feAdd(E_, X(p), Y(p));
	feSq(E_, E_);
	feSub(E_, E_, A_);
	feSub(E_, E_, B_);
	feSub(G_, B_, A_); // D + B with D = −A
	feSub(F_, G_, C_);
	feNeg(H_, A_);
	feSub(H_, H_, B_); // D − B
	feMul(X(r), E_, F_);
	feMul(Y(r), G_, H_);
	if (withT) feMul(T(r), E_, H_);
	feMul(Z(r), F_, G_);
}

function ptCmov(p: usize, q: usize, move: i64): void {
	cmov(p, q, POINT, move);
}

function ptNeg(r: usize, p: usize): void {
	feNeg(X(r), X(p));
	feCopy(Y(r), Y(p));
	feCopy(Z(r), Z(p));
	feNeg(T(r), T(p));
}

/** Signed radix-16 digits of a scalar, one byte each. */
const DIGITS = memory.data(64, 16);

/**
 * The scalar at `k` (below 2^255) as 64 digits e_i in [−8, 8) (the last in [0, 8]) with
 * k = Σ e_i·16^i, into DIGITS: multiples 1 … 8 of a point and their negations then cover
 * every digit, half the table of unsigned digits.
 */
function recode(k: usize): void {
	let carry: i32 = 0;
	for (let i = 0; i < 63; i++) {
		const digit = <i32>((<u32>load<u8>(k + (i >> 1)) >> ((i & 1) << 2)) & 15) + carry;
		carry = (digit + 8) >> 4;
		store<i8>(DIGITS + i, <i8>(digit - (carry << 4)));
	}
	store<i8>(DIGITS + 63, <i8>((<i32>(load<u8>(k + 31) >> 4)) + carry));
}

/** The cached identity: (1, 1, 2, 0). */
function cachedIdentity(c: usize): void {
	feSet(c + YPLUSX, 1);
	feSet(c + YMINUSX, 1);
	feSet(c + Z2, 2);
	feSet(c + T2D, 0);
}

const TABLE = memory.data(8 * <i32>POINT, 16);
const SELECTED = memory.data(POINT, 16);
const NEGATED = memory.data(POINT, 16);

/**
 * SELECTED = digit·P for a digit in [−8, 8], from the 8 cached points 1·P … 8·P at `row`, every
 * entry read alike and the negation applied or not in the same time (constant time).
 */
function select(row: usize, digit: i32): void {
	const negative = digit >>> 31;
	const magnitude = <u32>((digit ^ -negative) + negative);
	cachedIdentity(SELECTED);
	for (let i: u32 = 0; i < 8; i++) ptCmov(SELECTED, row + i * POINT, <i64>((((i + 1) ^ magnitude) - 1) >> 31));
	// −(x, y) = (−x, y): Y + X and Y − X trade places and T negates.
	feCopy(NEGATED + YPLUSX, SELECTED + YMINUSX);
	feCopy(NEGATED + YMINUSX, SELECTED + YPLUSX);
	feCopy(NEGATED + Z2, SELECTED + Z2);
	feNeg(NEGATED + T2D, SELECTED + T2D);
	ptCmov(SELECTED, NEGATED, <i64>negative);
}

const MULTIPLE = memory.data(POINT, 16);

/** The cached points 1·p … 8·p at `row`; p may be the caller's own scratch point but not MULTIPLE. */
function multiples(row: usize, p: usize): void {
	ptCache(row, p);
	memory.copy(MULTIPLE, p, POINT);
	for (let i: usize = 1; i < 8; i++) {
		ptAdd(MULTIPLE, MULTIPLE, row, true);
		ptCache(row + i * POINT, MULTIPLE);
	}
}

/** r = k·p for the 32-byte scalar at `k` (below 2^255), in constant time; r may be p. */
function ptMul(r: usize, k: usize, p: usize): void {
	multiples(TABLE, p);
	recode(k);
	ptIdentity(r);
	for (let i = 63; i >= 0; i--) {
		if (i < 63) {
			for (let j = 0; j < 3; j++) ptDouble(r, r, false);
			ptDouble(r, r, true);
		}
		select(TABLE, load<i8>(DIGITS + i));
		ptAdd(r, r, SELECTED, i == 0);
	}
}

/** Points of a comb table: the cached multiples 1 … 8 for each of the 64 digits of a scalar. */
const COMB_BYTES = 64 * 8 * <i32>POINT;
const COMB_G = memory.data(COMB_BYTES, 16);
const COMB_B = memory.data(COMB_BYTES, 16);
const RUNNING = memory.data(POINT, 16);
let combGReady = false;

/** The comb table of p: row i holds j·16^i·p for j = 1 … 8, so that k·p is one addition per digit of k and no doubling. */
function combTable(table: usize, p: usize): void {
	memory.copy(RUNNING, p, POINT);
	for (let i: usize = 0; i < 64; i++) {
		multiples(table + i * 8 * POINT, RUNNING);
		for (let d = 0; d < 4; d++) ptDouble(RUNNING, RUNNING, true);
	}
}

/** r = k·p by the comb table of p, for k below 2^255, in constant time. */
function combMul(r: usize, k: usize, table: usize): void {
	recode(k);
	ptIdentity(r);
	for (let i = 0; i < 64; i++) {
		select(table + <usize>i * 8 * POINT, load<i8>(DIGITS + i));
		ptAdd(r, r, SELECTED, true);
	}
}

/** The comb table of the generator, built on first use. */
function combG(): usize {
	if (!combGReady) {
		loadBase();
		combTable(COMB_G, BASE);
		combGReady = true;
	}
	return COMB_G;
}

const S_ = memory.data(FE, 16);
const U1 = memory.data(FE, 16);
const U2 = memory.data(FE, 16);
const V_ = memory.data(FE, 16);
const I_ = memory.data(FE, 16);
const ONE = memory.data(FE, 16);
const CANONICAL = memory.data(32, 16);

/** Decodes the ristretto255 encoding at `s` into p (RFC 9496 §4.3.1); returns 1 where it is valid, else 0. */
function decode(p: usize, s: usize): i64 {
	feSet(ONE, 1);
	feFromBytes(S_, s);
	feToBytes(CANONICAL, S_);
	const canonical = <i64>(load<u64>(CANONICAL) == load<u64>(s)) & <i64>(load<u64>(CANONICAL, 8) == load<u64>(s, 8)) &
		<i64>(load<u64>(CANONICAL, 16) == load<u64>(s, 16)) & <i64>(load<u64>(CANONICAL, 24) == load<u64>(s, 24));
	const negative = <i64>(load<u8>(s) & 1);
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
	feAbs(X(p), C_);
	feMul(Y(p), U1, B_);
	feSet(Z(p), 1);
	feMul(T(p), X(p), Y(p));
	return canonical & (negative ^ 1) & square & (feIsNegative(T(p)) ^ 1) & (feIsZero(Y(p)) ^ 1);
}

/** The ristretto255 encoding of p at `s` (RFC 9496 §4.3.2). */
function encode(s: usize, p: usize): void {
	feSet(ONE, 1);
	feAdd(U1, Z(p), Y(p));
	feSub(A_, Z(p), Y(p));
	feMul(U1, U1, A_); // (Z + Y)(Z − Y)
	feMul(U2, X(p), Y(p));
	feSq(A_, U2);
	feMul(A_, A_, U1);
	sqrtRatioM1(I_, ONE, A_);
	feMul(B_, I_, U1); // den1
	feMul(C_, I_, U2); // den2
	feMul(D_, B_, C_);
	feMul(D_, D_, T(p)); // z_inv
	feMul(E_, T(p), D_);
	const rotate = feIsNegative(E_);
	feCopy(F_, X(p));
	feCopy(G_, Y(p));
	feMul(H_, Y(p), SQRT_M1); // i·y
	feCmov(F_, H_, rotate);
	feMul(H_, X(p), SQRT_M1); // i·x
	feCmov(G_, H_, rotate);
	feMul(H_, B_, INVSQRT_A_MINUS_D); // enchanted denominator
	feCmov(C_, H_, rotate);
	feMul(E_, F_, D_);
	const negate = feIsNegative(E_);
	feNeg(H_, G_);
	feCmov(G_, H_, negate);
	feSub(A_, Z(p), G_);
	feMul(A_, A_, C_);
	feAbs(A_, A_);
	feToBytes(s, A_);
}

const POINT_A = memory.data(POINT, 16);
const POINT_B = memory.data(POINT, 16);
const POINT_C = memory.data(POINT, 16);
const POINT_YC = memory.data(POINT, 16);

function loadBase(): void {
	feCopy(X(BASE), BASE_X);
	feCopy(Y(BASE), BASE_Y);
	feSet(Z(BASE), 1);
	feCopy(T(BASE), BASE_T);
}

/** The encoding of k·G at `out` (G the ristretto255 generator), k below 2^255. */
export function rstBaseMul(k: usize, out: usize): void {
	combMul(POINT_A, k, combG());
	encode(out, POINT_A);
}

/** The encoding of k·P at `out` (k below 2^255), P the point encoded at `point`; returns 1, or 0 where that encoding is invalid. */
export function rstMul(k: usize, point: usize, out: usize): i32 {
	if (!decode(POINT_A, point)) return 0;
	ptMul(POINT_A, k, POINT_A);
	encode(out, POINT_A);
	return 1;
}

/**
 * The base-OT receiver's offer (src/lib/ot/base-ot.ts): for each of `count` OTs with the scalar
 * x_i (32 bytes at scalars + 32i) and the choice c_i (a byte at choices + i), the encoding of
 * R_i = x_i·G + c_i·C at r + 32i, C the valid point encoded at `c` (which the caller checked).
 */
export function rstOffer(c: usize, scalars: usize, choices: usize, count: i32, r: usize): void {
	const g = combG();
	decode(POINT_B, c);
	ptCache(POINT_C, POINT_B);
	for (let i = 0; i < count; i++) {
		combMul(POINT_A, scalars + <usize>i * 32, g);
		ptAdd(POINT_B, POINT_A, POINT_C, true);
		ptCmov(POINT_A, POINT_B, <i64>(load<u8>(choices + <usize>i) & 1));
		encode(r + <usize>i * 32, POINT_A);
	}
}

/**
 * The base-OT receiver's keys: for each of `count` scalars x_i (32 bytes at scalars + 32i), the
 * encoding of x_i·B at keys + 32i, B the valid point encoded at `b` (which the caller checked).
 */
export function rstChosen(b: usize, scalars: usize, count: i32, keys: usize): void {
	decode(POINT_C, b);
	combTable(COMB_B, POINT_C);
	for (let i = 0; i < count; i++) {
		combMul(POINT_A, scalars + <usize>i * 32, COMB_B);
		encode(keys + <usize>i * 32, POINT_A);
	}
}

/**
 * The base-OT sender's work: for each of `count` points R_i encoded at r + 32i, the encodings of
 * y·R_i at keys0 + 32i and of y·R_i − y·C at keys1 + 32i, y the scalar at `y` and y·C the point
 * encoded at `yc`. Returns −1, or the index of the first R_i that is not a valid encoding
 * (nothing is computed from there on).
 */
export function rstSend(y: usize, yc: usize, r: usize, count: i32, keys0: usize, keys1: usize): i32 {
	decode(POINT_B, yc);
	ptNeg(POINT_B, POINT_B);
	ptCache(POINT_YC, POINT_B);
	for (let i = 0; i < count; i++) {
		if (!decode(POINT_A, r + <usize>i * 32)) return i;
		ptMul(POINT_A, y, POINT_A);
		encode(keys0 + <usize>i * 32, POINT_A);
		ptAdd(POINT_A, POINT_A, POINT_YC, true);
		encode(keys1 + <usize>i * 32, POINT_A);
	}
	return -1;
}
