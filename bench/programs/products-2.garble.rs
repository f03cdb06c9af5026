// Eight u32 products for two parties (13,455 AND gates, as products-3 and products-5):
// out[i] = a[i] * b[i] + (a[i] ^ b[i]). XOR is free in the circuit, so the shape of the
// circuit and its cost stay those of the three-party program. Inputs below 2^15 never overflow.
pub fn main(a: [u32; 8], b: [u32; 8]) -> [u32; 8] {
    let mut out = [0u32; 8];
    for i in 0usize..8usize {
        out[i] = a[i] * b[i] + (a[i] ^ b[i]);
    }
    out
}
