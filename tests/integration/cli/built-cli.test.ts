/**
 * `bin/polytune.js` runs the CLI that scripts/build-cli.js bundles, and nothing else: no
 * TypeScript is compiled when it starts. Each test copies bin/polytune.js into an empty
 * folder (no src/, no node_modules, so no tsx to fall back on) and puts there what it needs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCli, CLI_BUNDLE } from '../../../scripts/build-cli.js';
import { ENGINE_VERSION } from '../../../src/lib/version';
import { CLI, ROOT, runProcess } from '../../helpers';

let home: string;
const bin = () => join(home, 'bin', 'polytune.js');
const polytune = (...args: string[]) => runProcess(process.execPath, [bin(), ...args], { cwd: home });

beforeEach(() => {
	home = mkdtempSync(join(tmpdir(), 'polytune-built-'));
	mkdirSync(join(home, 'bin'));
	copyFileSync(CLI, bin());
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('bin/polytune.js', () => {
	it('without the built CLI says in one line how to build it and exits 1, with no fallback to the sources', async () => {
		const result = await polytune('--version');
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/the CLI is not built .*run `npm install` or `npm run build:cli`/);
	});

	it('runs the bundle that build-cli writes, which needs neither the sources nor node_modules', async () => {
		await buildCli({ outfile: join(home, CLI_BUNDLE) });
		const version = await polytune('--version');
		expect(version.stderr).toBe('');
		expect(version.stdout.trim()).toBe(ENGINE_VERSION);
		const sum = await polytune('run', join(ROOT, 'static/examples/sum.garble.rs'), '2u32', '10u32', '100u32');
		expect(sum.code, sum.stderr).toBe(0);
		expect(sum.stdout.trim()).toBe(String(2 + 10 + 100));
	});

	it("starts through its first line, as `npx polytune` does, with glibc's allocator settings", async () => {
		await buildCli({ outfile: join(home, CLI_BUNDLE) });
		const probe = join(home, 'probe.mjs');
		writeFileSync(probe, 'console.error(`GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES}`);\n');
		// Run as a program (the kernel reads its first line), the way npm's bin link runs it.
		const result = await runProcess(bin(), ['--version'], { cwd: home, env: { NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`, GLIBC_TUNABLES: undefined } });
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout.trim()).toBe(ENGINE_VERSION);
		const tunables = (/^GLIBC_TUNABLES=(.*)$/m.exec(result.stderr)?.[1] ?? '').split(':');
		expect(tunables.some((setting) => /^glibc\.malloc\.top_pad=\d+$/.test(setting))).toBe(true);
		// Huge pages made a fresh party's faults dearer than they saved on small runs (docs/engine.md, "The allocator's settings").
		expect(tunables.some((setting) => setting.startsWith('glibc.malloc.hugetlb='))).toBe(false);
	});

	it('has a first line that Linux before 5.1 reads whole (127 bytes)', () => {
		const first = readFileSync(CLI, 'utf8').split('\n')[0];
		expect(Buffer.byteLength(first)).toBeLessThanOrEqual(127);
		expect(first).toMatch(/ node$/);
	});

	it('lists the commands without loading any of them: their chunks are not needed until one runs', async () => {
		await buildCli({ outfile: join(home, CLI_BUNDLE) });
		const entry = join(home, CLI_BUNDLE);
		const folder = dirname(entry);
		// What the entry imports statically stays (small modules the commands share with it); every other chunk goes.
		const kept = [...readFileSync(entry, 'utf8').matchAll(/^} from "\.\/(chunk-[A-Z0-9]+\.js)";$/gm)].map((match) => match[1]);
		const dropped = readdirSync(folder).filter((name) => /^chunk-[A-Z0-9]+\.js$/.test(name) && !kept.includes(name));
		expect(dropped.length).toBeGreaterThanOrEqual(6);
		expect(kept.reduce((bytes, name) => bytes + statSync(join(folder, name)).size, 0)).toBeLessThan(20_000);
		for (const chunk of dropped) rmSync(join(folder, chunk));
		const help = await polytune('--help');
		expect(help.code, help.stderr).toBe(0);
		for (const command of ['serve', 'pre', 'party', 'check', 'run', 'compile']) expect(help.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
		expect((await polytune('--version')).stdout.trim()).toBe(ENGINE_VERSION);
		const run = await polytune('run', join(ROOT, 'static/examples/sum.garble.rs'), '2u32', '10u32', '100u32');
		expect(run.code).not.toBe(0);
		expect(run.stderr).toMatch(/chunk-/);
	});

	it('hands the bundle its arguments and returns the exit code the bundle gives', async () => {
		const bundle = join(home, CLI_BUNDLE);
		mkdirSync(dirname(bundle), { recursive: true });
		writeFileSync(bundle, 'export async function main(argv) { console.log(JSON.stringify(argv)); return 3; }\n');
		const result = await polytune('party', '--input=-5i32', 'x y');
		expect(result.code).toBe(3);
		expect(JSON.parse(result.stdout)).toEqual(['party', '--input=-5i32', 'x y']);
	});
});
