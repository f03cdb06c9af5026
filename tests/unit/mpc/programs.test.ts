import { describe, expect, it } from 'vitest';
import { evaluateCircuit } from '../../../src/lib/garble/circuit';
import { compile } from '../../../src/lib/garble';
import { runAll } from './helpers';

/** Garble programs through mpc(), compared with the compiler's plaintext evaluation. */
const sum = `pub fn main(x: u32, y: u32, z: u32) -> u32 {
    x + y + z
}`;

const millionaires = `enum Richest {
    IsA,
    IsB,
    Tie,
}

pub fn main(a: u64, b: u64) -> Richest {
    if a > b {
        Richest::IsA
    } else if b > a {
        Richest::IsB
    } else {
        Richest::Tie
    }
}`;

// Polytune's benchmark program: which parties are within 10 % of the average.
const bucket = `enum Bucket {
    Above,
    Within,
    Below,
}

fn bucket(p: i32, min: i32, max: i32) -> Bucket {
    if p > max {
        Bucket::Above
    } else if p < min {
        Bucket::Below
    } else {
        Bucket::Within
    }
}

pub fn main(x: i32, y: i32, z: i32) -> [Bucket; 3] {
    let avg = (x + y + z) * 1000 / 3;
    let range_in_percent = 10;
    let min = avg * (100 - range_in_percent) / 100;
    let max = avg * (100 + range_in_percent) / 100;
    [
        bucket(x * 1000, min, max),
        bucket(y * 1000, min, max),
        bucket(z * 1000, min, max),
    ]
}`;

const cases: { name: string; source: string; inputs: string[]; result: string }[] = [
	{ name: 'the three-party sum', source: sum, inputs: ['2u32', '10u32', '100u32'], result: '112' },
	{ name: 'the millionaires', source: millionaires, inputs: ['1000u64', '999u64'], result: 'Richest::IsA' },
	{ name: 'the bucket program', source: bucket, inputs: ['100i32', '105i32', '130i32'], result: '[Bucket::Below, Bucket::Within, Bucket::Above]' }
];

describe.each(['dealer', 'ot'] as const)('Garble programs with %s preprocessing', { timeout: 60_000 }, (preprocessing) => {
	it.each(cases)('computes $name', async ({ source, inputs, result }) => {
		const program = compile(source);
		const bits = inputs.map((literal, party) => program.encodeInput(party, literal));
		const { outputs, errors } = await runAll(program.circuit, bits, { preprocessing });
		expect(errors.every((e) => e === undefined)).toBe(true);
		const plain = evaluateCircuit(program.circuit, bits);
		for (const out of outputs) {
			expect(out).toEqual(plain);
			expect(program.decodeOutput(out!)).toEqual({ kind: 'value', text: result });
		}
	});
});
