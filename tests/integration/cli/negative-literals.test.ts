// Issue 11: a Garble literal that starts with a minus (`-5i32`) is an input, never an option,
// in every command that reads literals: `run` (inputs, --const), `compile` (--const) and
// `party` (--input, --const), each run as its own process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPartyResults, explainRun, plaintextResult, runCli, startRelay, type StartedRelay } from '../../helpers';

const DIFFERENCE = 'pub fn main(a: i32, b: i32) -> i32 {\n    a - b\n}\n';
const PER_PARTY = 'pub fn main(parties: [i16; 3]) -> i16 {\n    parties[0] * parties[1] + parties[2]\n}\n';
const WITH_OFFSET = 'const OFFSET: i32 = PARTY_0::OFFSET;\n\npub fn main(a: i32, b: i32, c: i32) -> i32 {\n    a * b + c + OFFSET\n}\n';

const dir = mkdtempSync(join(tmpdir(), 'polytune-negative-'));
const file = (name: string, source: string) => {
	const path = join(dir, name);
	writeFileSync(path, source);
	return path;
};
const difference = file('difference.garble.rs', DIFFERENCE);
const perParty = file('per-party.garble.rs', PER_PARTY);
const withOffset = file('offset.garble.rs', WITH_OFFSET);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('polytune run and compile with negative literals', () => {
	it('run: takes negative inputs as positionals, typed or not, and `--` still works', async () => {
		const cases: [string, string[], string[]][] = [
			[difference, ['-5i32', '3i32'], ['-5i32', '3i32']],
			[difference, ['-5', '-3'], ['-5', '-3']],
			[difference, ['-2147483648i32', '-1i32'], ['-2147483648i32', '-1i32']],
			[difference, ['--', '-5i32', '-3i32'], ['-5i32', '-3i32']],
			[difference, ['-5i32', '--', '-3i32'], ['-5i32', '-3i32']],
			[perParty, ['-7i16', '-6', '-50i16'], ['-7i16', '-6', '-50i16']]
		];
		for (const [program, args, inputs] of cases) {
			const result = await runCli(['run', program, ...args]);
			const expected = plaintextResult(program === difference ? DIFFERENCE : PER_PARTY, inputs);
			expect(result.code, `run ${args.join(' ')}: ${explainRun(result)}`).toBe(0);
			expect(result.stdout).toBe(`${expected}\n`);
		}
		// The references themselves: -5 - 3, -5 - (-3), MIN - (-1), (-7)·(-6) - 50.
		const references = [plaintextResult(DIFFERENCE, ['-5i32', '3i32']), plaintextResult(DIFFERENCE, ['-5', '-3']), plaintextResult(DIFFERENCE, ['-2147483648', '-1'])];
		expect([...references, plaintextResult(PER_PARTY, ['-7', '-6', '-50'])]).toEqual(['-8', '-2', '-2147483647', '-8']);
	});

	it('run and compile: a negative constant with --const', async () => {
		const run = await runCli(['run', withOffset, '--const', 'PARTY_0::OFFSET=-100', '-5i32', '-3', '-1i32']);
		expect(run.code, explainRun(run)).toBe(0);
		expect(run.stdout).toBe(`${plaintextResult(WITH_OFFSET, ['-5', '-3', '-1'], { PARTY_0: { OFFSET: -100 } })}\n`);
		expect(run.stdout).toBe('-86\n');
		const compiled = await runCli(['compile', withOffset, '--const=PARTY_0::OFFSET=-100']);
		expect(compiled.code, explainRun(compiled)).toBe(0);
		expect(JSON.parse(compiled.stdout)).toMatchObject({ inputBits: [32, 32, 32], outputBits: 32 + 2 });
	});

	it('a negative input of the wrong type is an input error (65), not an option error', async () => {
		const result = await runCli(['run', difference, '-5i8', '3']);
		expect(result.code).toBe(65);
		expect(result.stderr).toContain('Input 0 is not of type i32!');
	});

	it('real unknown options still exit 64 naming the option', async () => {
		for (const [command, args, option] of [
			['run', [difference, '-5i32', '-x', '3'], '-x'],
			['run', [difference, '--verbose', '-5i32', '3'], '--verbose'],
			['compile', [difference, '-z'], '-z'],
			['check', [difference, '--fast'], '--fast'],
			['party', ['http://127.0.0.1:1', '--session=s', '--input', '-5', '--verbose'], '--verbose']
		] as const) {
			const result = await runCli([command, ...args]);
			expect(result.code, `${command} ${args.join(' ')}: ${explainRun(result)}`).toBe(64);
			expect(result.stderr).toContain(`Unknown option '${option}'`);
		}
	});
});

describe('polytune party with negative inputs', () => {
	let relay: StartedRelay;
	let sessions = 0;

	beforeAll(async () => {
		relay = await startRelay();
	});

	afterAll(async () => {
		await relay?.stop();
	});

	it('computes with --input -5i32, -i -7 and --input=-11i32, and a negative --const, as in plaintext', async () => {
		const session = `negative-${++sessions}`;
		const common = [relay.url, `--session=${session}`, `--program=${withOffset}`];
		const spellings = [
			['--party=0', '--input', '-5i32', '--const', 'OFFSET=-100'],
			['--party=1', '-i', '-7'],
			['--party=2', '--input=-11i32']
		];
		const results = await Promise.all(spellings.map((args) => runCli(['party', ...common, ...args], { timeoutMs: 90_000 })));
		const expected = plaintextResult(WITH_OFFSET, ['-5i32', '-7', '-11i32'], { PARTY_0: { OFFSET: -100 } });
		expect(expected).toBe('-76');
		expectPartyResults(results, expected);
	});

	it('refuses a negative party number as a bad value of --party (64), not as an unknown option', async () => {
		const result = await runCli(['party', relay.url, '--session=s', `--program=${difference}`, '--party', '-1', '--input', '-5']);
		expect(result.code, explainRun(result)).toBe(64);
		expect(result.stderr).toContain("--party must be a whole number, got '-1'");
	});
});
