// `npm test`: checks that no tracked file names a path outside the repository, installs what
// the tests need when it is missing (Debian packages, as root), type-checks, builds the
// production app, then runs every test project once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** System programs the tests drive, with the Debian package that provides each. */
const requirements = [
	{ env: 'CHROMIUM_PATH', path: '/usr/bin/chromium', pkg: 'chromium', what: 'Chromium (browser tests)' },
	{ env: 'REDIS_SERVER_PATH', path: '/usr/bin/redis-server', pkg: 'redis-server', what: 'redis-server (relay scale-out tests)' },
	{ env: 'CURL_PATH', path: '/usr/bin/curl', pkg: 'curl', what: 'curl (relay tests with ordinary HTTP clients)' }
];

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.error) throw result.error;
	return result.status ?? 1;
}

/**
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function step(title, command, args, options) {
	console.log(`\n▶ ${title}`);
	const status = run(command, args, options);
	if (status !== 0) {
		console.error(`✖ ${title} failed (exit ${status})`);
		process.exit(status);
	}
}

function ensureRequirements() {
	const missing = requirements.filter((r) => !existsSync(process.env[r.env] ?? r.path));
	if (missing.length === 0) return;
	const names = missing.map((r) => r.pkg);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !existsSync('/usr/bin/apt-get')) {
		for (const r of missing) {
			console.error(`Missing ${r.what}: install the Debian package '${r.pkg}' (sudo apt-get install ${r.pkg}) or set ${r.env}=/path/to/it.`);
		}
		process.exit(1);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	step(`Installing ${names.join(', ')} with apt`, 'apt-get', ['update', '-qq'], { env });
	step(`apt-get install ${names.join(' ')}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
}

step('No tracked file names a path outside the repository', process.execPath, ['scripts/check-paths.js']);
ensureRequirements();
step('Type check (svelte-check)', 'npm', ['run', '--silent', 'check']);
step('Production build', 'npm', ['run', '--silent', 'build']);

const resultsDir = join('test-results');
mkdirSync(resultsDir, { recursive: true });
const reportFile = join(resultsDir, 'vitest.json');
rmSync(reportFile, { force: true });
console.log('\n▶ Tests');
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)]);
if (existsSync(reportFile)) {
	const report = JSON.parse(readFileSync(reportFile, 'utf8'));
	const skipped = report.numPendingTests + report.numTodoTests;
	console.log(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(status);
