// Multiplication by a fixed element h of GF(2^128) with 8-bit tables (Shoup), as the
// FixedMultiplier of src/lib/crypto/gf128.ts: bit i of a block (little-endian 128-bit integer)
// is the coefficient of X^i, the modulus X^128 + X^7 + X^2 + X + 1, and
// v·h = ⊕_j T_j[byte j of v] with T_j[b] = (b·X^{8j})·h. WebAssembly has no carry-less
// multiplication; with h fixed over thousands of products, sixteen 128-bit table loads and
// XORs per product beat any multiplication built from integer instructions.

/** Bytes of the tables of one element: 16 byte positions × 256 values × 16 bytes. */
export const TABLE_BYTES: i32 = 16 * 256 * 16;

/** x·X: the 128-bit integer shifted left by one, the bit shifted out folded back as 0x87. */
// @ts-ignore: decorator
@inline
function double(x: v128): v128 {
	// Bit 63 of x moves into bit 64, bit 127 comes back as X^7 + X^2 + X + 1.
	const carries = i64x2.shuffle(i64x2.shr_u(x, 63), i64x2.shr_u(x, 63), 1, 0);
	return v128.xor(i64x2.shl(x, 1), v128.and(i64x2.neg(carries), i64x2(0x87, 1)));
}

/** Fills the tables at `table` for the element at `h` (16 bytes). */
export function buildTable(h: usize, table: usize): void {
	let power = v128.load(h);
	for (let j = 0; j < 16; j++) {
		const base = table + j * 4096;
		v128.store(base, i64x2.splat(0));
		// Entries 1, 2, 4, …, 128: h·X^{8j+i}; every other entry the XOR of its bits' entries.
		for (let i = 0; i < 8; i++) {
			v128.store(base + (16 << i), power);
			power = double(power);
		}
		for (let b = 3; b < 256; b++) {
			if ((b & (b - 1)) === 0) continue;
			const low = b & -b;
			v128.store(base + b * 16, v128.xor(v128.load(base + low * 16), v128.load(base + (b ^ low) * 16)));
		}
	}
}

/**
 * Horner's rule over `count` blocks: acc ← (acc ⊕ block_k)·h for k = 0 … count − 1, with acc
 * (16 bytes at `acc`, updated) and block k at blocks + k·stride.
 */
export function horner(table: usize, acc: usize, blocks: usize, count: i32, stride: i32): void {
	let a = v128.load(acc);
	for (let k = 0; k < count; k++) {
		a = v128.xor(a, v128.load(blocks + k * stride));
		const lo = i64x2.extract_lane(a, 0);
		const hi = i64x2.extract_lane(a, 1);
		let r = v128.load(table + (<usize>(lo & 0xff) << 4));
		r = v128.xor(r, v128.load(table + 0x1000 + (<usize>((lo >> 8) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x2000 + (<usize>((lo >> 16) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x3000 + (<usize>((lo >> 24) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x4000 + (<usize>((lo >> 32) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x5000 + (<usize>((lo >> 40) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x6000 + (<usize>((lo >> 48) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x7000 + (<usize>(lo >>> 56) << 4)));
		r = v128.xor(r, v128.load(table + 0x8000 + (<usize>(hi & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0x9000 + (<usize>((hi >> 8) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0xa000 + (<usize>((hi >> 16) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0xb000 + (<usize>((hi >> 24) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0xc000 + (<usize>((hi >> 32) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0xd000 + (<usize>((hi >> 40) & 0xff) << 4)));
		r = v128.xor(r, v128.load(table + 0xe000 + (<usize>((hi >> 48) & 0xff) << 4)));
		a = v128.xor(r, v128.load(table + 0xf000 + (<usize>(hi >>> 56) << 4)));
	}
	v128.store(acc, a);
}
