// One party holds two numbers, the other picks what to compute with them.

enum Operation {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Larger,
    Smaller,
}

enum Outcome {
    Value(i16),
    DivisionByZero,
}

pub fn main(numbers: (i16, i16), operation: Operation) -> Outcome {
    let (a, b) = numbers;
    match operation {
        Operation::Add => Outcome::Value(a + b),
        Operation::Subtract => Outcome::Value(a - b),
        Operation::Multiply => Outcome::Value(a * b),
        Operation::Divide => divide(a, b, false),
        Operation::Remainder => divide(a, b, true),
        Operation::Larger => Outcome::Value(if a > b { a } else { b }),
        Operation::Smaller => Outcome::Value(if a < b { a } else { b }),
    }
}

fn divide(a: i16, b: i16, remainder: bool) -> Outcome {
    if b == 0 {
        Outcome::DivisionByZero
    } else if remainder {
        Outcome::Value(a % b)
    } else {
        Outcome::Value(a / b)
    }
}
