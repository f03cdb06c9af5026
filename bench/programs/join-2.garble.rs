// Two shops' customer tables of 1,200 rows, each sorted by customer id (20 bytes), joined:
// how many customers both shops have, and what those spent in both. 5.5 million AND gates:
// the opt-in big case of `npm run bench:relay -- --big`.
const ROWS: usize = 1200usize;

pub fn main(shop_a: [([u8; 20], u32); ROWS], shop_b: [([u8; 20], u32); ROWS]) -> (u16, u64) {
    let mut customers = 0u16;
    let mut spent = 0u64;
    for ((_, spent_a), (_, spent_b)) in join_iter(shop_a, shop_b) {
        customers += 1u16;
        spent += spent_a as u64 + spent_b as u64;
    }
    (customers, spent)
}
