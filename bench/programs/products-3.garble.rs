// Eight u32 products for three parties (13,455 AND gates): out[i] = a[i] * b[i] + c[i].
// Inputs below 2^15 never overflow.
pub fn main(a: [u32; 8], b: [u32; 8], c: [u32; 8]) -> [u32; 8] {
    let mut out = [0u32; 8];
    for i in 0usize..8usize {
        out[i] = a[i] * b[i] + c[i];
    }
    out
}
