// Yao's millionaires' problem: who is wealthier, without revealing either fortune.

enum Wealthier {
    First,
    Second,
    Neither,
}

pub fn main(first: u64, second: u64) -> Wealthier {
    match (first > second, second > first) {
        (true, _) => Wealthier::First,
        (_, true) => Wealthier::Second,
        _ => Wealthier::Neither,
    }
}
