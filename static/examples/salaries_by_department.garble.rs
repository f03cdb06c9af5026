// SQL-like aggregation over two private tables, joined on the employee id:
//   SELECT department, COUNT(*) FROM staff JOIN payroll USING (id)
//   WHERE salary >= 60000 GROUP BY department
// HR knows each employee's department, payroll knows the salaries. Both tables are sorted by id.

const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;
const ID_LEN: usize = max(PARTY_0::ID_LEN, PARTY_1::ID_LEN);

pub fn main(staff: [([u8; ID_LEN], u8); ROWS_0], payroll: [([u8; ID_LEN], u32); ROWS_1]) -> [u16; 8] {
    let mut per_department = [0u16; 8];
    for joined in join_iter(staff, payroll) {
        let ((_, department), (_, salary)) = joined;
        if salary >= 60000 {
            per_department[department as usize] += 1;
        }
    }
    per_department
}
