// `npm test`, first step: no tracked file may name a path outside the repository, because
// a user's clone has only itself. Prints each such file:line and exits 1.
//
// Outside means: an absolute path into a place that differs from machine to machine (home,
// work, temporary or mounted directories; system programs such as /usr/bin/… are fine), or
// a relative `../` path that, read from its file's directory, leaves the repository or names
// nothing in it (so that read from the repository root, where the tests run, it is outside).
// In Markdown only link targets are read so: a code example there is written from wherever
// its code would live. A line that must name such a path on purpose says so with the marker
// below.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Put on a line that names an outside path on purpose, e.g. in documentation of this check. */
export const ALLOW_MARKER = 'check-paths: allow';

/** Where a path-like text ends: whitespace, quotes, brackets, separators. */
const PATH_CHARS = String.raw`[^\s'"\x60()[\]{}<>,;|]*`;
/** Absolute paths into home, work, temporary and mounted directories, and paths from the home directory (tilde). */
const ABSOLUTE = new RegExp(String.raw`(?<![\w.~%$@-])(?:/(?:work|home|root|Users|tmp|var/tmp|mnt|media|srv|opt)/|~/(?=[\w.]))${PATH_CHARS}`, 'g');
/** Relative paths that climb: `../x`, `../../x` (check-paths: allow). */
const CLIMBING = new RegExp(String.raw`(?<![\w.~%$@/-])(?:\.\./)+${PATH_CHARS}`, 'g');
/** The same as the target of a Markdown link: `[text](../x)` (check-paths: allow). */
const CLIMBING_LINK = new RegExp(String.raw`(?<=\]\()(?:\.\./)+${PATH_CHARS}`, 'g');
/** How an import names a module without its extension. */
const MODULE_ENDINGS = ['', '.ts', '.js', '.svelte', '.json', '/index.ts', '/index.js'];

/**
 * @typedef {object} Finding
 * @property {string} file the file, relative to the repository root
 * @property {number} line 1-based
 * @property {string} path the path as written
 * @property {string} reason why it is outside
 */

/**
 * @typedef {object} Repository
 * @property {string} root absolute path of the working tree
 * @property {(absolute: string) => boolean} holds whether the repository has something at this path (a file, a folder, or something it generates)
 */

/**
 * The outside paths that one file's text names.
 * @param {Repository} repo
 * @param {string} file relative to the root, with `/`
 * @param {string} text
 * @returns {Finding[]}
 */
export function findOutsidePaths(repo, file, text) {
	/** @type {Finding[]} */
	const findings = [];
	const climbing = file.endsWith('.md') ? CLIMBING_LINK : CLIMBING;
	text.split('\n').forEach((content, index) => {
		if (content.includes(ALLOW_MARKER)) return;
		for (const [path] of content.matchAll(ABSOLUTE)) {
			findings.push({ file, line: index + 1, path, reason: 'an absolute path on one machine, which a clone elsewhere does not have' });
		}
		for (const [path] of content.matchAll(climbing)) {
			const reason = climbingReason(repo, file, path);
			if (reason) findings.push({ file, line: index + 1, path, reason });
		}
	});
	return findings;
}

/**
 * Why a `../` path is outside, or undefined when it names something in the repository.
 * @param {Repository} repo
 * @param {string} file
 * @param {string} path
 */
function climbingReason(repo, file, path) {
	// Only the fixed part counts: `../data/${name}` names the folder `../data/` (check-paths: allow).
	const fixed = path.split(/[$*]/)[0];
	const target = resolve(repo.root, dirname(file), fixed);
	const inside = relative(repo.root, target);
	if (inside === '..' || inside.startsWith(`..${sep}`)) return `climbs out of the repository from ${dirname(file)}/`;
	if (MODULE_ENDINGS.some((ending) => repo.holds(target + ending))) return undefined;
	return `names nothing in the repository from ${dirname(file)}/, and from the repository root it is outside`;
}

/**
 * The repository that `git` finds from `cwd`, or undefined outside a git checkout.
 * @param {string} cwd
 * @returns {{ repo: Repository, files: string[] } | undefined}
 */
export function gitRepository(cwd) {
	/** @param {string[]} args */
	const git = (args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
	let root;
	try {
		root = git(['rev-parse', '--show-toplevel']).trim();
	} catch {
		return undefined;
	}
	const files = git(['-C', root, 'ls-files', '-z']).split('\0').filter(Boolean);
	/** @param {string} absolute */
	const ignored = (absolute) => {
		try {
			git(['-C', root, 'check-ignore', '-q', '--no-index', absolute]);
			return true;
		} catch {
			return false;
		}
	};
	// What .gitignore covers (build/, node_modules/…) the repository makes itself.
	return { repo: { root, holds: (absolute) => existsSync(absolute) || ignored(absolute) }, files };
}

/**
 * Every finding in the tracked files; binary files are skipped.
 * @param {Repository} repo
 * @param {string[]} files
 * @returns {Finding[]}
 */
export function checkFiles(repo, files) {
	return files.flatMap((file) => {
		const absolute = resolve(repo.root, file);
		if (!existsSync(absolute)) return []; // deleted in the working tree, not yet in the index
		const bytes = readFileSync(absolute);
		if (bytes.includes(0)) return [];
		return findOutsidePaths(repo, file, bytes.toString('utf8'));
	});
}

function main() {
	const found = gitRepository(process.cwd());
	if (!found) {
		console.log('check-paths: not a git checkout, so no tracked files to check');
		return 0;
	}
	const findings = checkFiles(found.repo, found.files);
	if (findings.length === 0) {
		console.log(`check-paths: none of the ${found.files.length} tracked files names a path outside the repository`);
		return 0;
	}
	for (const f of findings) console.error(`${f.file}:${f.line}: '${f.path}': ${f.reason}`);
	console.error(
		[
			'',
			`check-paths: ${findings.length} place(s) above name a path outside the repository; a clone has only itself.`,
			'Copy what the tests or benchmarks read into the repository (e.g. tests/fixtures/, with a README naming its source)',
			'and read it relative to the module: fileURLToPath(new URL("…", import.meta.url)). For temporary output use',
			`mkdtemp(join(tmpdir(), "…")). A line that must name such a path on purpose can say "${ALLOW_MARKER}".`
		].join('\n')
	);
	return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main());
