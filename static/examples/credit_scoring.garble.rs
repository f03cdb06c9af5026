// A bank scores a loan applicant with its private rules; the applicant's data stays private.
// Only the decision and the score are revealed.

struct Applicant {
    age: u8,
    yearly_income: u32,
    savings: i64,
    open_loans: u8,
    missed_payments: u8,
    has_defaulted: bool,
}

/// Points for a value that falls in [from, to).
struct Band {
    from: i64,
    to: i64,
    points: i16,
}

enum Rule {
    Age(Band),
    Income(Band),
    Savings(Band),
    OpenLoans(Band),
    MissedPayments(Band),
    Defaulted(i16),
    Unused,
}

struct Policy {
    rules: [Rule; 12],
    approve_from: i16,
}

enum Decision {
    Approve(i16),
    Review(i16),
    Decline(i16),
}

pub fn main(policy: Policy, applicant: Applicant) -> Decision {
    let Applicant { age, yearly_income, savings, open_loans, missed_payments, has_defaulted } = applicant;
    let mut score = 0i16;
    for rule in policy.rules {
        score += match rule {
            Rule::Age(band) => points(age as i64, band),
            Rule::Income(band) => points(yearly_income as i64, band),
            Rule::Savings(band) => points(savings, band),
            Rule::OpenLoans(band) => points(open_loans as i64, band),
            Rule::MissedPayments(band) => points(missed_payments as i64, band),
            Rule::Defaulted(penalty) => if has_defaulted { penalty } else { 0 },
            Rule::Unused => 0,
        };
    }
    if score >= policy.approve_from {
        Decision::Approve(score)
    } else if score >= policy.approve_from - 50 {
        Decision::Review(score)
    } else {
        Decision::Decline(score)
    }
}

fn points(value: i64, band: Band) -> i16 {
    if value >= band.from && value < band.to {
        band.points
    } else {
        0
    }
}
