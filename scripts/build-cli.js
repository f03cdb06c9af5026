// `npm run build:cli` (and `prepare`, which `npm install` runs): bundles the `polytune`
// command (src/cli/main.ts with everything it imports, dependencies included) into one
// plain JavaScript file, so that a start loads one module and compiles no TypeScript.
// bin/polytune.js runs the bundle; it is rebuilt by `npm install`, `npm run build` and
// before the integration and browser tests.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundle goes, relative to the repository root; bin/polytune.js reads it there. */
export const CLI_BUNDLE = 'dist/cli/polytune.js';
const ENTRY = 'src/cli/main.ts';

/**
 * Builds the CLI bundle into `outfile` (default: CLI_BUNDLE in this repository).
 * @param {{ outfile?: string }} [options]
 */
export async function buildCli({ outfile = join(ROOT, CLI_BUNDLE) } = {}) {
	await build({
		absWorkingDir: ROOT,
		entryPoints: [ENTRY],
		outfile,
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
