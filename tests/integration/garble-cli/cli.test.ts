/** `polytune check | run | compile` as processes: output, errors and exit codes. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin', 'polytune.js');

function polytune(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

const CALCULATOR = `enum Op {
    Add,
    Div,
}

enum OpResult {
    Ok(u8),
    DivByZero,
}

pub fn main(values: (u8, u8), op: Op) -> OpResult {
    match (op, values) {
        (Op::Add, (x, y)) => OpResult::Ok(x + y),
        (Op::Div, (x, 0)) => OpResult::DivByZero,
        (Op::Div, (x, y)) => OpResult::Ok(x / y),
    }
}
`;

const TYPE_ERROR = 'pub fn main(a: u32, b: bool) -> u32 {\n    a - b\n}\n';

const TABLES = `const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;

pub fn main(a: [(u8, u16); ROWS_0], b: [(u8, u16); ROWS_1]) -> u16 {
    let mut sum = 0u16;
    for ((_, x), (_, y)) in join_iter(a, b) {
        sum += x + y;
    }
    sum
}
`;

const SUM_OF_PARTIES = 'pub fn main(parties: [u32; 3]) -> u32 {\n    parties[0] + parties[1] + parties[2]\n}\n';

describe('polytune check / run / compile', () => {
	let dir: string;
	const file = (name: string) => join(dir, name);

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'garble-cli-'));
		writeFileSync(file('calculator.garble.rs'), CALCULATOR);
		writeFileSync(file('type_error.garble.rs'), TYPE_ERROR);
		writeFileSync(file('tables.garble.rs'), TABLES);
		writeFileSync(file('sum.garble.rs'), SUM_OF_PARTIES);
		writeFileSync(file('input.txt'), '(20, 4)\n');
	});

	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('check: a good program exits 0, a bad one prints the error with its place and exits 65', async () => {
		const good = await polytune('check', file('calculator.garble.rs'));
		expect(good).toMatchObject({ code: 0, stdout: 'No type errors in the program.\n', stderr: '' });
		writeFileSync(file('library.garble.rs'), 'pub fn double(x: u8) -> u8 {\n    x + x\n}\n');
		const library = await polytune('check', file('library.garble.rs'));
		expect(library).toMatchObject({
			code: 0,
			stdout: 'No type errors in the program.\n',
			stderr: `Note: ${file('library.garble.rs')} has no function main, which \`polytune party\` and \`run\` call unless --function names another.\n`
		});
		expect(await polytune('check', file('library.garble.rs'), '--function=double')).toMatchObject({ code: 0, stderr: '' });
		const bad = await polytune('check', file('type_error.garble.rs'));
		expect(bad.code).toBe(65);
		expect(bad.stderr).toContain(`Type error on line 2:5 of ${file('type_error.garble.rs')}.\nThe arguments have incompatible types; u32 vs bool:\n`);
		expect(bad.stderr).toContain('   2 > |     a - b\n     > |     ^^^^^\n');
	});

	it('check: a file that is not UTF-8 text, or a directory, is named as such; a byte-order mark is fine', async () => {
		writeFileSync(file('utf16.garble.rs'), Buffer.from(`\ufeff${SUM_OF_PARTIES}`, 'utf16le'));
		writeFileSync(file('latin1.garble.rs'), Buffer.concat([Buffer.from('pub fn main(a: u8) -> u8 {\n    // caf'), Buffer.from([0xe9]), Buffer.from('\n    a\n}\n')]));
		writeFileSync(file('bom.garble.rs'), `\ufeff${SUM_OF_PARTIES}`);
		const [utf16, latin1, directory, bom] = await Promise.all([
			polytune('check', file('utf16.garble.rs')),
			polytune('check', file('latin1.garble.rs')),
			polytune('check', dir),
			polytune('check', file('bom.garble.rs'))
		]);
		expect(utf16).toMatchObject({ code: 65, stderr: `"${file('utf16.garble.rs')}" is not UTF-8 text: byte 0xff on line 1:1 (a Garble program is UTF-8)\n` });
		expect(latin1).toMatchObject({ code: 65, stderr: `"${file('latin1.garble.rs')}" is not UTF-8 text: byte 0xe9 on line 2:11 (a Garble program is UTF-8)\n` });
		expect(directory).toMatchObject({ code: 65, stderr: `"${dir}" is a directory, not a program file\n` });
		expect(bom).toMatchObject({ code: 0, stdout: 'No type errors in the program.\n' });
	});

	it('compile --bristol: an OUT that cannot be written is named, with why', async () => {
		const [directory, nowhere] = await Promise.all([
			polytune('compile', file('sum.garble.rs'), '--bristol', dir),
			polytune('compile', file('sum.garble.rs'), '--bristol', join(dir, 'no', 'such', 'out.txt'))
		]);
		expect(directory).toMatchObject({ code: 73, stdout: '', stderr: `polytune compile: cannot write --bristol ${dir}: it is a directory\n` });
		expect(nowhere).toMatchObject({ code: 73, stdout: '', stderr: `polytune compile: cannot write --bristol ${join(dir, 'no', 'such', 'out.txt')}: its directory does not exist\n` });
	});

	it('run: an input meant as a file that is none, or a directory, says so', async () => {
		const [missing, directory, literal] = await Promise.all([
			polytune('run', file('calculator.garble.rs'), file('no-such-input.txt'), 'Op::Add'),
			polytune('run', file('calculator.garble.rs'), dir, 'Op::Add'),
			polytune('run', file('calculator.garble.rs'), '(1, 2)', 'Op::Nope')
		]);
		expect(missing.code).toBe(65);
		expect(missing.stderr).toContain(`\n(and there is no file "${file('no-such-input.txt')}")`);
		expect(directory.code).toBe(65);
		expect(directory.stderr).toContain(`\n("${dir}" is a directory: an input file must be a file)`);
		// A literal that is wrong is just that.
		expect(literal.code).toBe(65);
		expect(literal.stderr).not.toContain('no file');
	});

	it('run: prints the output literal; inputs may be files', async () => {
		const result = await polytune('run', file('calculator.garble.rs'), '--function', 'main', file('input.txt'), 'Op::Div');
		expect(result).toMatchObject({ code: 0, stdout: 'OpResult::Ok(5)\n', stderr: '' });
	});

	it('run: a panic prints garble-lang\'s message and exits 70', async () => {
		const result = await polytune('run', file('calculator.garble.rs'), '(200, 200)', 'Op::Add');
		expect(result.code).toBe(70);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('Panic due to Overflow on line 13:43.\n');
		expect(result.stderr).toContain('     > |                                           ^^^^^\n');
	});

	it('run: a bad input names the party and the expected type and exits 65', async () => {
		const result = await polytune('run', file('calculator.garble.rs'), '(1, 2)', 'true');
		expect(result.code).toBe(65);
		expect(result.stderr).toContain('Input 1 is not of type Op!\n\nType error on line 1:1.\nExpected type Op, but found bool:');
		const hex = await polytune('run', file('calculator.garble.rs'), '(0x10, 2)', 'Op::Add');
		expect(hex.code).toBe(65);
		expect(hex.stderr).toMatch(/Input 0 is not of type \(u8, u8\)!\n[^]*\nNumbers are written in decimal: 16 for 0x10.\n$/);
		const count = await polytune('run', file('calculator.garble.rs'), '(1, 2)');
		expect(count.code).toBe(65);
		expect(count.stderr).toContain('Expected 2 inputs, but found 1');
	});

	it('run: constants with --const, and one input per party for an array parameter', async () => {
		const joined = await polytune(
			'run', file('tables.garble.rs'), '--const', 'PARTY_0::ROWS=2', '--const', 'PARTY_1::ROWS=3',
			'[(1, 10), (2, 20)]', '[(2, 5), (3, 7), (4, 1)]'
		);
		expect(joined).toMatchObject({ code: 0, stdout: '25\n' });
		const missing = await polytune('run', file('tables.garble.rs'), '[(1, 10)]', '[(1, 1)]');
		expect(missing.code).toBe(65);
		expect(missing.stderr).toContain('The constant PARTY_0::ROWS was declared in the program but never provided');
		const sum = await polytune('run', file('sum.garble.rs'), '2', '10', '100');
		expect(sum).toMatchObject({ code: 0, stdout: '112\n' });
	});

	it('compile: prints the circuit size as one JSON line, and writes Bristol Fashion', async () => {
		const result = await polytune('compile', file('sum.garble.rs'), '--bristol', file('sum.bristol'));
		expect(result.code).toBe(0);
		const size = JSON.parse(result.stdout);
		expect(size).toMatchObject({ inputBits: [32, 32, 32], outputBits: 32 + 2, notGates: expect.any(Number) });
		expect(size.andGates).toBeGreaterThan(0);
		// Two 32-bit additions with overflow checks (one AND per bit) and the first-panic logic.
		expect(size.andGates).toBeLessThanOrEqual(2 * 32 + 2);
		const bristol = readFileSync(file('sum.bristol'), 'utf8').split('\n');
		expect(bristol[1]).toBe('3 32 32 32');
		expect(bristol[2]).toBe('2 32 2');
		expect(bristol.filter((line) => line.endsWith(' AND')).length).toBe(size.andGates);
	});

	it('usage and missing files', async () => {
		expect((await polytune('run', file('calculator.garble.rs'))).code).toBe(64);
		const missing = await polytune('check', file('nope.garble.rs'));
		expect(missing.code).toBe(65);
		expect(missing.stderr).toContain("Couldn't find");
	});
});
