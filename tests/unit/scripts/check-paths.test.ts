import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOutsidePaths } from '../../../scripts/check-paths.js';
import { ROOT, runProcess } from '../../helpers';

// Outside paths are built, not written out, so that this file passes the check it tests.
const absolute = (path: string) => `/${path}`;
const up = (levels: number) => '../'.repeat(levels);
const fromHome = (path: string) => `~/${path}`;

/** A repository at /repo holding `paths` (folders included) and generating build/, as the check sees it. */
function repository(...paths: string[]) {
	const root = absolute('repo');
	const held = new Set([root, ...paths.map((path) => `${root}/${path}`)]);
	return { root, holds: (path: string) => held.has(path) || path.startsWith(`${root}/build/`) };
}
const repo = repository('tests', 'tests/helpers', 'tests/helpers/index.ts', 'static', 'static/examples');

const found = (file: string, text: string) => findOutsidePaths(repo, file, text).map(({ line, path }) => `${line}:${path}`);

describe('check-paths: what names a path outside the repository', () => {
	it('finds absolute paths into home, work, temporary and mounted folders, with their line', () => {
		const text = [
			`const circuit = readFileSync('${absolute('work/shared/circuits/aes.txt')}');`,
			'// nothing here',
			`spawn('${absolute('home/alice/bin/tool')}'); open(\`file://${absolute('Users/bob/data.csv')}\`);`,
			`const input = "${absolute('tmp/fixture.bin')}"; const cache = '${fromHome('.cache/thing')}';`,
			`see ${absolute('mnt/data/x')} and ${absolute('opt/sdk/lib')}`
		].join('\n');
		expect(found('tests/unit/a.test.ts', text)).toEqual([
			`1:${absolute('work/shared/circuits/aes.txt')}`,
			`3:${absolute('home/alice/bin/tool')}`,
			`3:${absolute('Users/bob/data.csv')}`,
			`4:${absolute('tmp/fixture.bin')}`,
			`4:${fromHome('.cache/thing')}`,
			`5:${absolute('mnt/data/x')}`,
			`5:${absolute('opt/sdk/lib')}`
		]);
	});

	it('leaves system programs, URLs, repository-rooted patterns and paths built from the root alone', () => {
		const text = [
			"{ path: '/usr/bin/chromium' }, '/usr/bin/redis-server', '/dev/null'",
			'https://example.com/home/work/tmp/x and http://127.0.0.1:8000/tmp/y',
			'/tests/artifacts/tmp/',
			'`${ROOT}build/handler.js`, join(tmpdir(), "polytune-"), src/routes/home/+page.svelte, ./tmp/out'
		].join('\n');
		expect(found('tests/unit/a.test.ts', text)).toEqual([]);
	});

	it('finds a ../ path that climbs out of the repository, or names nothing in it, from its file', () => {
		const text = [
			`import { x } from '${up(3)}helpers';`,
			`readFileSync('${up(1)}shared/circuits/aes.txt');`,
			`new URL('${up(2)}', import.meta.url); import '${up(1)}helpers'; \`${up(2)}static/examples/\${file}\`; '${up(2)}build/out.js'`
		].join('\n');
		expect(findOutsidePaths(repo, 'tests/unit/a.test.ts', text).map(({ line, path, reason }) => `${line}:${path}: ${reason}`)).toEqual([
			`1:${up(3)}helpers: climbs out of the repository from tests/unit/`,
			`2:${up(1)}shared/circuits/aes.txt: names nothing in the repository from tests/unit/, and from the repository root it is outside`
		]);
		expect(found('package.json', `"bench:aes": "tsx bench/mpc.ts --bristol ${up(1)}shared/aes.txt"`)).toEqual([`1:${up(1)}shared/aes.txt`]);
	});

	it('reads only link targets in Markdown, and skips a line that says it names such a path on purpose', () => {
		const markdown = [`\`\`\`ts\nimport { x } from '${up(2)}helpers';\n\`\`\``, `[the design](${up(2)}DESIGN.md) and [tests](${up(1)}tests/helpers)`].join('\n');
		expect(found('docs/guide.md', markdown)).toEqual([`4:${up(2)}DESIGN.md`]);
		expect(found('tests/a.ts', `'${absolute('work/x')}' // check-paths: allow (the example of this check)`)).toEqual([]);
	});
});

describe('check-paths as the first step of npm test', () => {
	const script = join(ROOT, 'scripts', 'check-paths.js');
	const dir = mkdtempSync(join(tmpdir(), 'check-paths-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const write = (path: string, text: string) => {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	};
	const git = async (...args: string[]) => expect((await runProcess('git', args, { cwd: dir })).code).toBe(0);

	it('fails on a tracked file that names an outside path, saying where, and passes once it is gone', async () => {
		await git('init', '-q');
		write('tests/fixtures/data.txt', 'data\n');
		write('tests/unit/read.test.ts', `import '${up(1)}fixtures/data.txt';\nreadFileSync('${absolute('work/shared/data.txt')}');\n`);
		write('untracked.ts', `readFileSync('${absolute('home/me/data.txt')}');\n`);
		await git('add', 'tests');
		const failing = await runProcess(process.execPath, [script], { cwd: join(dir, 'tests') });
		expect(failing.code).toBe(1);
		expect(failing.stderr).toContain(`tests/unit/read.test.ts:2: '${absolute('work/shared/data.txt')}': an absolute path`);
		expect(failing.stderr).toContain('1 place(s) above name a path outside the repository');
		expect(failing.stderr).not.toContain('untracked.ts');

		write('tests/unit/read.test.ts', `import '${up(1)}fixtures/data.txt';\n`);
		const passing = await runProcess(process.execPath, [script], { cwd: dir });
		expect(passing.code, passing.stderr).toBe(0);
		expect(passing.stdout).toContain('none of the 2 tracked files');
	});

	it('has nothing to check outside a git checkout', async () => {
		const plain = mkdtempSync(join(tmpdir(), 'check-paths-plain-'));
		try {
			const result = await runProcess(process.execPath, [script], { cwd: plain, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
			expect(result.code).toBe(0);
			expect(result.stdout).toContain('not a git checkout');
		} finally {
			rmSync(plain, { recursive: true, force: true });
		}
	});
});
