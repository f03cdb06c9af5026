/**
 * Assignments to array elements update the variable's wires in place when nothing else refers
 * to them (codegen/env.ts). Each program here shares an array in one of the ways the code
 * generator allows (another variable, also from within the assigned value, a function's
 * parameter and result, a branch, a loop over the array, an element of an array of arrays)
 * and then assigns to it: the circuit must compute what the program says, checked against the
 * same steps in TypeScript on random inputs.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/lib/garble';
import { runProgram } from './run';

const byte = () => Math.floor(Math.random() * 256);
const list = (values: readonly (number | string)[]) => `[${values.join(', ')}]`;

interface Case {
	name: string;
	source: string;
	/** Random inputs as Garble literals, and the output the program must give for them. */
	sample(): { inputs: string[]; want: string };
}

const CASES: Case[] = [
	{
		name: 'another variable took the array, then an element is assigned',
		source: `pub fn main(x: u8, y: u8) -> ([u8; 3], [u8; 3]) {
    let mut a = [0u8; 3];
    a[0] = x;
    let b = a;
    a[1] = y;
    a[2] = x ^ y;
    (a, b)
}`,
		sample() {
			const [x, y] = [byte(), byte()];
			return { inputs: [`${x}u8`, `${y}u8`], want: `(${list([x, y, x ^ y])}, ${list([x, 0, 0])})` };
		}
	},
	{
		name: "a function's parameter and result share the array",
		source: `fn set(mut v: [u8; 3], x: u8) -> [u8; 3] {
    v[1] = x;
    v[2] = x;
    v
}

pub fn main(x: u8, y: u8) -> ([u8; 3], [u8; 3], [u8; 3]) {
    let mut a = [0u8; 3];
    a[0] = y;
    let mut c = set(a, x);
    a[2] = y;
    let d = c;
    c[0] = x;
    (a, c, d)
}`,
		sample() {
			const [x, y] = [byte(), byte()];
			return { inputs: [`${x}u8`, `${y}u8`], want: `(${list([y, 0, y])}, ${list([x, x, x])}, ${list([y, x, x])})` };
		}
	},
	{
		name: 'branches assign elements and whole arrays',
		source: `pub fn main(x: u8, c: bool) -> ([u8; 3], [u8; 3]) {
    let mut a = [1u8; 3];
    a[0] = x;
    let mut b = [2u8; 3];
    if c {
        a[1] = x;
        b[0] = x;
        b[1] = x;
    } else {
        a[2] = x;
        b = a;
        b[1] = 7u8;
    }
    a[0] = 9u8;
    (a, b)
}`,
		sample() {
			const x = byte();
			const c = Math.random() < 0.5;
			const a = [x, 1, 1];
			let b = [2, 2, 2];
			if (c) {
				a[1] = x;
				b[0] = x;
				b[1] = x;
			} else {
				a[2] = x;
				b = [...a];
				b[1] = 7;
			}
			a[0] = 9;
			return { inputs: [`${x}u8`, `${c}`], want: `(${list(a)}, ${list(b)})` };
		}
	},
	{
		name: 'the assigned value takes the array into another variable',
		source: `pub fn main(x: u8) -> ([u8; 3], [u8; 3]) {
    let mut a = [0u8; 3];
    a[2] = x;
    let mut b = [1u8; 3];
    a[0] = {
        b = a;
        x ^ 5u8
    };
    a[1] = x;
    (a, b)
}`,
		sample() {
			const x = byte();
			return { inputs: [`${x}u8`], want: `(${list([x ^ 5, x, x])}, ${list([0, 0, x])})` };
		}
	},
	{
		name: 'a loop over the array assigns to it',
		source: `pub fn main(x: u8) -> ([u8; 4], u8) {
    let mut a = [x, 1u8, 2u8, 3u8];
    a[0] = x ^ 1u8;
    let mut s = 0u8;
    for e in a {
        a[3] = e;
        a[1] = a[1] ^ e;
        s = s ^ e;
    }
    (a, s)
}`,
		sample() {
			const x = byte();
			const original = [x ^ 1, 1, 2, 3];
			const a = [...original];
			let s = 0;
			for (const e of original) {
				a[3] = e;
				a[1] ^= e;
				s ^= e;
			}
			return { inputs: [`${x}u8`], want: `(${list(a)}, ${s})` };
		}
	},
	{
		name: 'elements move within the array, and the input it was copied from stays',
		source: `pub fn main(x: [u8; 5], i: usize) -> ([u8; 5], [u8; 5], u8) {
    let mut a = x;
    a[0] = a[0] ^ 1u8;
    for j in 0..4 {
        a[4usize - j] = a[3usize - j];
    }
    (a, x, a[i])
}`,
		sample() {
			const x = Array.from({ length: 5 }, byte);
			const i = Math.floor(Math.random() * 5);
			const a = [...x];
			a[0] ^= 1;
			for (let j = 0; j < 4; j++) a[4 - j] = a[3 - j];
			return { inputs: [list(x.map((v) => `${v}u8`)), `${i}usize`], want: `(${list(a)}, ${list(x)}, ${a[i]})` };
		}
	},
	{
		name: 'an element of an array of arrays is read out, then the array is assigned',
		source: `pub fn main(v: u8) -> ([[u8; 2]; 2], [u8; 2]) {
    let mut m = [[0u8; 2]; 2];
    m[1][0] = v;
    let r = m[1];
    m[1][1] = v ^ 1u8;
    m[0] = r;
    m[0][0] = 3u8;
    (m, r)
}`,
		sample() {
			const v = byte();
			const m = [
				[3, 0],
				[v, v ^ 1]
			];
			return { inputs: [`${v}u8`], want: `([${list(m[0])}, ${list(m[1])}], ${list([v, 0])})` };
		}
	}
];

describe('array elements assigned in place', () => {
	for (const { name, source, sample } of CASES) {
		it(name, () => {
			const program = compile(source);
			for (let round = 0; round < 20; round++) {
				const { inputs, want } = sample();
				expect(runProgram(program, inputs), inputs.join(' ')).toBe(want);
			}
		});
	}
});

/**
 * Random programs over three arrays: element assignments at constant and variable indices,
 * whole assignments, branches, loops, a function that changes its parameter, and values that
 * assign to another array from within. Each runs as a circuit and, step by step with arrays
 * copied on every whole assignment (Rust's value semantics), in TypeScript.
 */
type Arrays = Record<string, number[]>;
interface Env {
	arrays: Arrays;
	y: number;
	i: number;
}

class RandomProgram {
	constructor(private readonly random: () => number) {}

	private pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.random() * items.length)];
	}

	private other(name: string): string {
		return this.pick(['a', 'b', 'c'].filter((n) => n !== name));
	}

	/** A u8 expression: its source and its value. */
	value(depth: number): { source: string; evaluate: (env: Env) => number } {
		const name = this.pick(['a', 'b', 'c']);
		const k = Math.floor(this.random() * 4);
		const n = Math.floor(this.random() * 256);
		const leaves = [
			{ source: `${name}[${k}]`, evaluate: (env: Env) => env.arrays[name][k] },
			{ source: `${name}[i]`, evaluate: (env: Env) => env.arrays[name][env.i] },
			{ source: `${n}u8`, evaluate: () => n },
			{ source: 'y', evaluate: (env: Env) => env.y }
		];
		if (depth <= 0 || this.random() < 0.4) return this.pick(leaves);
		const [left, right] = [this.value(depth - 1), this.value(depth - 1)];
		return this.pick([
			{ source: `(${left.source} ^ ${right.source})`, evaluate: (env: Env) => left.evaluate(env) ^ right.evaluate(env) },
			{ source: `(${left.source} & ${right.source})`, evaluate: (env: Env) => left.evaluate(env) & right.evaluate(env) }
		]);
	}

	/** Statements: their source lines and their effect. */
	statements(count: number, depth: number): { source: string; run: (env: Env) => void } {
		const parts = Array.from({ length: count }, () => this.statement(depth));
		return { source: parts.map((p) => p.source).join('\n'), run: (env) => parts.forEach((p) => p.run(env)) };
	}

	private statement(depth: number): { source: string; run: (env: Env) => void } {
		const name = this.pick(['a', 'b', 'c']);
		const other = this.other(name);
		const k = Math.floor(this.random() * 4);
		const kinds = ['constIndex', 'constIndex', 'varIndex', 'whole', 'call', 'blockValue', 'loop', ...(depth > 0 ? ['branch', 'branch'] : [])];
		switch (this.pick(kinds)) {
			case 'constIndex': {
				const v = this.value(2);
				return { source: `${name}[${k}] = ${v.source};`, run: (env) => void (env.arrays[name][k] = v.evaluate(env)) };
			}
			case 'varIndex': {
				const v = this.value(2);
				return { source: `${name}[i] = ${v.source};`, run: (env) => void (env.arrays[name][env.i] = v.evaluate(env)) };
			}
			case 'whole':
				return { source: `${name} = ${other};`, run: (env) => void (env.arrays[name] = [...env.arrays[other]]) };
			case 'call': {
				const v = this.value(1);
				return {
					source: `${name} = f(${other}, ${v.source});`,
					run: (env) => {
						const z = v.evaluate(env);
						const copy = [...env.arrays[other]];
						copy[1] = z;
						copy[3] = copy[0] ^ z;
						env.arrays[name] = copy;
					}
				};
			}
			case 'blockValue': {
				const v = this.value(1);
				return {
					source: `${name}[${k}] = {\n${other} = ${name};\n${v.source}\n};`,
					run: (env) => {
						env.arrays[other] = [...env.arrays[name]];
						env.arrays[name][k] = v.evaluate(env);
					}
				};
			}
			case 'loop':
				return {
					source: `for j in 0usize..4usize {\n${name}[j] = ${name}[j] ^ ${other}[3usize - j];\n}`,
					run: (env) => {
						for (let j = 0; j < 4; j++) env.arrays[name][j] ^= env.arrays[other][3 - j];
					}
				};
			default: {
				const cond = this.value(1);
				const yes = this.statements(1 + Math.floor(this.random() * 3), depth - 1);
				const no = this.statements(Math.floor(this.random() * 3), depth - 1);
				return {
					source: `if ${cond.source} > ${name}[${k}] {\n${yes.source}\n} else {\n${no.source}\n}`,
					run: (env) => (cond.evaluate(env) > env.arrays[name][k] ? yes.run(env) : no.run(env))
				};
			}
		}
	}
}

describe('random programs that share and assign arrays', () => {
	it('compute what the same steps compute in TypeScript', () => {
		for (let round = 0; round < 60; round++) {
			const generator = new RandomProgram(Math.random);
			const body = generator.statements(6, 2);
			const source = `fn f(mut v: [u8; 4], z: u8) -> [u8; 4] {
    v[1] = z;
    v[3] = v[0] ^ z;
    v
}

pub fn main(x: [u8; 4], y: u8) -> ([u8; 4], [u8; 4], [u8; 4]) {
let i = (y & 3u8) as usize;
let mut a = x;
let mut b = [1u8; 4];
let mut c = [2u8; 4];
${body.source}
c = f(c, y);
(a, b, c)
}`;
			const program = compile(source);
			for (let sample = 0; sample < 5; sample++) {
				const x = Array.from({ length: 4 }, byte);
				const y = byte();
				const env: Env = { arrays: { a: [...x], b: [1, 1, 1, 1], c: [2, 2, 2, 2] }, y, i: y & 3 };
				body.run(env);
				const c = env.arrays.c;
				c[1] = y;
				c[3] = c[0] ^ y;
				const want = `(${list(env.arrays.a)}, ${list(env.arrays.b)}, ${list(env.arrays.c)})`;
				expect(runProgram(program, [list(x.map((v) => `${v}u8`)), `${y}u8`]), source).toBe(want);
			}
		}
	});
});

