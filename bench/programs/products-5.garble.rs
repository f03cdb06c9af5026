// Eight u32 products for five parties (13,455 AND gates, as products-3):
// out[i] = (a[i] ^ d[i]) * (b[i] ^ e[i]) + c[i]. XOR is free in the circuit, so every party
// contributes without changing the circuit's cost. Inputs below 2^15 never overflow.
pub fn main(a: [u32; 8], b: [u32; 8], c: [u32; 8], d: [u32; 8], e: [u32; 8]) -> [u32; 8] {
    let mut out = [0u32; 8];
    for i in 0usize..8usize {
        out[i] = (a[i] ^ d[i]) * (b[i] ^ e[i]) + c[i];
    }
    out
}
