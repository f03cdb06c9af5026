/** Every program in static/examples checks, compiles and gives its listed output on its listed inputs. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type ConstInputs } from '../../../src/lib/garble';
import { run } from './run';

const DIR = join(process.cwd(), 'static', 'examples');

interface Example {
	file: string;
	title: string;
	description: string;
	inputs: string[];
	consts?: ConstInputs;
	output: string;
}

const examples: Example[] = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8'));

describe('example programs', () => {
	it('lists every example file once', () => {
		const files = readdirSync(DIR).filter((f) => f.endsWith('.garble.rs')).sort();
		expect(examples.map((e) => e.file).sort()).toEqual(files);
	});

	for (const example of examples) {
		it(`${example.title} (${example.file})`, () => {
			const source = readFileSync(join(DIR, example.file), 'utf8');
			const checked = check(source);
			expect(checked.errors).toEqual([]);
			expect(example.title.length * example.description.length).toBeGreaterThan(0);
			const needed = checked.partyConsts.map((c) => `PARTY_${c.party}::${c.name}`).sort();
			const given = Object.entries(example.consts ?? {}).flatMap(([ns, names]) => Object.keys(names).map((n) => `${ns}::${n}`)).sort();
			expect(given).toEqual(needed);
			expect(run(source, example.inputs, { consts: example.consts })).toBe(example.output);
		});
	}
});
