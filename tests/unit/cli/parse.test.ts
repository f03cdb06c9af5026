import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command';
import { parse } from '../../../src/cli/commands/garble-args';

/** The shapes of option the commands use: a string with a short name, a boolean, a repeatable string. */
const OPTIONS = {
	input: { type: 'string', short: 'i' },
	quiet: { type: 'boolean', short: 'q' },
	const: { type: 'string', multiple: true },
	key: { type: 'string' }
} as const;

const parsed = (...args: string[]) => {
	const { values, positionals } = parse(args, OPTIONS);
	return { values: { ...values }, positionals };
};

/** The usage error that `args` get. */
const refusal = (...args: string[]) => {
	try {
		parse(args, OPTIONS);
	} catch (error) {
		expect(error).toBeInstanceOf(UsageError);
		return (error as UsageError).message;
	}
	throw new Error(`accepted ${args.join(' ')}`);
};

describe('command-line parsing with negative Garble literals', () => {
	it('takes a negative literal after an option as its value, in every spelling', () => {
		for (const args of [['--input', '-5i32'], ['--input=-5i32'], ['-i', '-5i32'], ['-i-5i32']]) {
			expect(parsed(...args), args.join(' ')).toEqual({ values: { input: '-5i32' }, positionals: [] });
		}
		expect(parsed('-qi', '-1i8')).toEqual({ values: { quiet: true, input: '-1i8' }, positionals: [] });
		expect(parsed('--const', '-3', '--const', 'N=-4')).toEqual({ values: { const: ['-3', 'N=-4'] }, positionals: [] });
	});

	it('takes a value that starts with a minus but names no option, such as a base64url key', () => {
		const key = '-Rw3kPZqv_x9Jm2Lc8sT0aYbE1nHfQ7uGdW5iKoV4pA';
		expect(parsed('--input', key, 'prog')).toEqual({ values: { input: key }, positionals: ['prog'] });
		expect(parsed('-i', '-x', '-5')).toEqual({ values: { input: '-x' }, positionals: ['-5'] });
	});

	it('keeps negative literals among the positionals, in their order', () => {
		expect(parsed('prog.garble.rs', '-5i32', '3i32', '-128i8')).toEqual({ values: {}, positionals: ['prog.garble.rs', '-5i32', '3i32', '-128i8'] });
		expect(parsed('-5', 'prog', '-q', '-7', '--input', '-1', '2')).toEqual({ values: { quiet: true, input: '-1' }, positionals: ['-5', 'prog', '-7', '2'] });
	});

	it('keeps `--` working, before and after negative literals', () => {
		expect(parsed('prog', '--', '-5i32', '--input')).toEqual({ values: {}, positionals: ['prog', '-5i32', '--input'] });
		expect(parsed('prog', '-5', '--', '-7', '-q')).toEqual({ values: {}, positionals: ['prog', '-5', '-7', '-q'] });
		expect(parsed('-q', '--', '-q')).toEqual({ values: { quiet: true }, positionals: ['-q'] });
	});

	it('still refuses unknown options and a missing option value, as usage errors', () => {
		expect(refusal('prog', '-5i32', '-x')).toMatch(/^Unknown option '-x'/);
		expect(refusal('--verbose', '-5')).toMatch(/^Unknown option '--verbose'/);
		expect(refusal('-5i32', '--input', '-q')).toMatch(/^Option '--input' argument is ambiguous/);
		expect(refusal('-i', '--quiet')).toMatch(/^Option '-i' argument is ambiguous/);
		expect(refusal('--input', '--const=N=1')).toMatch(/^Option '--input' argument is ambiguous/);
		expect(refusal('-a5')).toMatch(/^Unknown option '-a'/);
	});

	it('names the option an unknown one is a typo of, and otherwise says where values that start with - go', () => {
		expect(refusal('--inptu=1u8')).toBe("Unknown option '--inptu': did you mean --input?");
		expect(refusal('--quite')).toBe("Unknown option '--quite': did you mean --quiet?");
		expect(refusal('--cons', 'N=1')).toBe("Unknown option '--cons': did you mean --const?");
		expect(refusal('--verbose')).toBe("Unknown option '--verbose' (a value that starts with '-' goes at the end, after '--')");
		// A letter is a typo of nothing: '-e' is not '--key'.
		for (const short of ['-x', '-e', '-k']) expect(refusal(short)).toBe(`Unknown option '${short}' (a value that starts with '-' goes at the end, after '--')`);
	});

	it('refuses an option of one value given twice, in any spelling, instead of keeping the last', () => {
		expect(refusal('--input=2u32', '-i', '3u32')).toBe("--input is given 2 times ('2u32', '3u32'): give it once");
		expect(refusal('-q', '--quiet')).toBe('--quiet is given 2 times: give it once');
		expect(refusal('--key=secretA', '--key=secretB')).toBe('--key is given 2 times: give it once');
		expect(parsed('--const', 'A=1', '--const', 'B=2')).toEqual({ values: { const: ['A=1', 'B=2'] }, positionals: [] });
	});
});
