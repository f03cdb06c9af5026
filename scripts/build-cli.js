// `npm run build:cli` (and `prepare`, which `npm install` runs): bundles the `polytune`
// command (src/cli/main.ts with everything it imports, dependencies included) into plain
// JavaScript, so that a start compiles no TypeScript: the entry and, beside it, a chunk for
// what each command loads when it runs (main.ts imports the commands dynamically), so that
// `polytune --help` parses none of the engine. bin/polytune.js runs the entry; it is rebuilt
// by `npm install`, `npm run build` and before the integration and browser tests.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundle goes, relative to the repository root; bin/polytune.js reads it there. */
export const CLI_BUNDLE = 'dist/cli/polytune.js';
const ENTRY = 'src/cli/main.ts';
/** The chunks a build writes beside the entry (and their source maps). */
const CHUNK = /^chunk-[A-Z0-9]+\.js(\.map)?$/;

/**
 * Builds the CLI bundle into `outfile` (default: CLI_BUNDLE in this repository).
 * @param {{ outfile?: string }} [options]
 */
export async function buildCli({ outfile = join(ROOT, CLI_BUNDLE) } = {}) {
	const outdir = dirname(outfile);
	mkdirSync(outdir, { recursive: true });
	// Chunks are named by their content: those of an earlier build would stay behind.
	for (const file of readdirSync(outdir, { withFileTypes: true }).filter((entry) => CHUNK.test(entry.name))) rmSync(join(outdir, file.name));
	await build({
		absWorkingDir: ROOT,
		entryPoints: { [basename(outfile, '.js')]: ENTRY },
		outdir,
		// Beside the entry, not in a folder of their own: modules find dist/wasm from where they are.
		chunkNames: 'chunk-[hash]',
		splitting: true,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20.19',
		// tsconfig.json extends .svelte-kit's, which a fresh clone has only after `svelte-kit sync`;
		// nothing in it changes how the CLI's TypeScript is emitted.
		tsconfigRaw: {},
		sourcemap: 'linked',
		logLevel: 'warning'
	});
	return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const started = performance.now();
	const outfile = await buildCli();
	console.log(`build:cli: ${outfile.slice(ROOT.length)} in ${Math.round(performance.now() - started)} ms`);
}
