// Two shops find the customers they have in common and learn how many there are and how
// much those customers spent in both shops together, without revealing anything else.
// Each shop lists its customers sorted by id (ascending, each id once).

const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;

pub fn main(shop_a: [([u8; 8], u32); ROWS_0], shop_b: [([u8; 8], u32); ROWS_1]) -> (u16, u64) {
    let mut customers = 0u16;
    let mut spent = 0u64;
    for ((_, spent_a), (_, spent_b)) in join_iter(shop_a, shop_b) {
        customers += 1;
        spent += spent_a as u64 + spent_b as u64;
    }
    (customers, spent)
}
