// Three employees compare their pay with the group's average, each learning only whether
// a salary is below, within or above 5% of it.

enum Band {
    Below,
    Within,
    Above,
}

pub fn main(salaries: [u32; 3]) -> [Band; 3] {
    let mut total = 0u64;
    for salary in salaries {
        total += salary as u64;
    }
    // Work in hundredths to keep integer precision: average × 100 = total × 100 / 3.
    let average = total * 100 / 3;
    let low = average * 95 / 100;
    let high = average * 105 / 100;
    let mut bands = [Band::Within; 3];
    for i in 0..3 {
        bands[i] = band(salaries[i] as u64 * 100, low, high);
    }
    bands
}

fn band(value: u64, low: u64, high: u64) -> Band {
    if value < low {
        Band::Below
    } else if value > high {
        Band::Above
    } else {
        Band::Within
    }
}
