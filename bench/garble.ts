/**
 * `npm run bench:garble`: compile time, peak memory and gate counts of Garble programs, with
 * garble-lang's AND counts where they are known (issue 3: unsigned n-bit, overflow checks
 * included). Each program compiles in a child process of its own, so that the peak memory
 * (max RSS) is that program's; where a case has an input literal, its parsing and encoding is
 * timed too. `npm run bench:garble -- join` runs the cases matching "join".
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/lib/garble';
import { countGates } from '../src/lib/garble/circuit';

interface Case {
	readonly name: string;
	readonly source: string;
	readonly consts?: Record<string, Record<string, number>>;
	/** garble-lang's AND gates for the same program, where known. */
	readonly garbleAnd?: number;
	/** An input literal for party 0, whose parsing and encoding is timed. */
	readonly input?: () => string;
}

const n = 32;

/** Bubble sort, as a user would write it: compare-and-swap neighbours over and over. */
const sortSource = (size: number) => `
pub fn main(numbers: [u32; ${size}], descending: bool) -> [u32; ${size}] {
    let mut xs = numbers;
    for round in 0..${size} {
        for j in 0..${size - 1} {
            let (a, b) = (xs[j], xs[j + 1]);
            if (a > b) ^ descending {
                xs[j] = b;
                xs[j + 1] = a;
            }
        }
    }
    xs
}`;

/** A loop over two parties' long arrays: its indices are constants once the loop is unrolled. */
const wideSource = `
pub fn main(a: [u32; 1000], b: [u32; 1000]) -> [u32; 1000] {
    let mut out = [0u32; 1000];
    for i in 0..1000 {
        out[i] = a[i] & b[i];
    }
    out
}`;

/** A reduction over a range of 20,000: one index constant per iteration. */
const rangeSource = `
pub fn main(a: [u8; 20000], b: [u8; 20000]) -> u8 {
    let mut t = 0u8;
    for i in 0usize..20000usize {
        t = t ^ (a[i] & b[i]);
    }
    t
}`;

/** A join of two parties' tables on 20-byte ids, like Polytune's join benchmark. */
const joinSource = `
const ROWS_0: usize = PARTY_0::ROWS;
const ROWS_1: usize = PARTY_1::ROWS;

enum Status {
    Recent,
    OutOfDate,
    Missing,
}

pub fn main(screenings: [([u8; 20], Status); ROWS_0], exams: [([u8; 20], u8); ROWS_1]) -> (u16, u16) {
    let mut missing = 0u16;
    for ((_, status), (_, needs)) in join_iter(screenings, exams) {
        if needs <= 2u8 {
            match status {
                Status::Missing => {
                    missing += 1u16;
                }
                _ => {}
            }
        }
    }
    (missing, ROWS_1 as u16)
}`;

const CASES: Case[] = [
	{ name: 'add u32', source: 'pub fn main(x: u32, y: u32) -> u32 { x + y }', garbleAnd: 3 * n - 2 },
	{ name: 'sub u32', source: 'pub fn main(x: u32, y: u32) -> u32 { x - y }', garbleAnd: 4 * n },
	{ name: 'lt u32', source: 'pub fn main(x: u32, y: u32) -> bool { x < y }', garbleAnd: 6 * n - 7 },
	{ name: 'eq u32', source: 'pub fn main(x: u32, y: u32) -> bool { x == y }' },
	{ name: 'mul u32', source: 'pub fn main(x: u32, y: u32) -> u32 { x * y }', garbleAnd: 4 * n * n - 4 * n - 1 },
	{ name: 'mul u64', source: 'pub fn main(x: u64, y: u64) -> u64 { x * y }', garbleAnd: 4 * 64 * 64 - 4 * 64 - 1 },
	{ name: 'mul u32 × 1000', source: 'pub fn main(x: u32) -> u32 { x * 1000u32 }' },
	{ name: 'mul i64 × -1000', source: 'pub fn main(x: i64) -> i64 { x * -1000i64 }' },
	{ name: 'div u32', source: 'pub fn main(x: u32, y: u32) -> u32 { x / y }' },
	{ name: 'a[i] [u32; 8]', source: 'pub fn main(a: [u32; 8], i: usize) -> u32 { a[i] }', garbleAnd: 1186 },
	{ name: 'b[i] = v [u32; 8]', source: 'pub fn main(b: [u32; 8], i: usize, v: u32) -> [u32; 8] { let mut c = b; c[i] = v; c }', garbleAnd: 8226 },
	{ name: 'bubble sort 64 × u32', source: sortSource(64) },
	{ name: 'a[i] & b[i] over [u32; 1000]', source: wideSource },
	{ name: 'xor of a[i] & b[i] over 0..20000', source: rangeSource, input: () => `[${Array.from({ length: 20000 }, () => `${Math.floor(Math.random() * 256)}u8`).join(', ')}]` },
	{ name: 'join 100 × 100', source: joinSource, consts: { PARTY_0: { ROWS: 100 }, PARTY_1: { ROWS: 100 } } },
	{ name: 'join 1000 × 1000', source: joinSource, consts: { PARTY_0: { ROWS: 1000 }, PARTY_1: { ROWS: 1000 } } }
];

interface Result {
	readonly and: number;
	readonly xor: number;
	readonly not: number;
	readonly ms: number;
	readonly inputMs?: number;
	readonly maxRssMb: number;
}

function measure(c: Case): Result {
	const start = performance.now();
	const program = compile(c.source, { consts: c.consts });
	const ms = performance.now() - start;
	const gates = countGates(program.circuit);
	let inputMs: number | undefined;
	if (c.input) {
		const literal = c.input();
		const inputStart = performance.now();
		program.encodeInput(0, literal);
		inputMs = performance.now() - inputStart;
	}
	return { ...gates, ms, inputMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function main(): void {
	const only = process.argv.indexOf('--case');
	if (only >= 0) {
		const c = CASES.find((x) => x.name === process.argv[only + 1]);
		if (!c) throw new Error(`no case ${process.argv[only + 1]}`);
		console.log(JSON.stringify(measure(c)));
		return;
	}
	const filter = process.argv[2];
	const header = ['program', 'AND', 'garble-lang AND', 'XOR', 'NOT', 'compile ms', 'input ms', 'max RSS MB'];
	const rows: string[][] = [header];
	for (const c of CASES.filter((x) => !filter || x.name.includes(filter))) {
		const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--case', c.name], {
			encoding: 'utf8'
		});
		if (child.status !== 0) throw new Error(`${c.name} failed: ${child.stderr}`);
		const r: Result = JSON.parse(child.stdout.trim().split('\n').pop()!);
		const garble = c.garbleAnd === undefined ? '' : `${c.garbleAnd} (${((100 * r.and) / c.garbleAnd).toFixed(0)}%)`;
		rows.push([c.name, String(r.and), garble, String(r.xor), String(r.not), r.ms.toFixed(0), r.inputMs?.toFixed(0) ?? '', r.maxRssMb.toFixed(0)]);
	}
	const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
	for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

main();
