// `npm run build:wasm` (and `prepare`, `npm run build`, the test set-ups): compiles the
// WebAssembly SIMD kernels from their AssemblyScript sources in wasm/ into
// dist/wasm/kernels.wasm, which the Worker bundles as an asset and Node reads from disk
// (src/lib/crypto/wasm-kernels.ts). Skips the compilation while the output is newer than
// every source and this script.
import asc from 'assemblyscript/asc';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the module goes, relative to the repository root; src/node/kernels.ts and src/workers/kernels.ts read it there. */
export const KERNELS_WASM = 'dist/wasm/kernels.wasm';
const SOURCES = 'wasm';

/**
 * Whether `outfile` exists and is newer than every source file and this script.
 * @param {string} outfile
 */
function upToDate(outfile) {
	let built;
	try {
		built = statSync(outfile).mtimeMs;
	} catch {
		return false;
	}
	const inputs = [fileURLToPath(import.meta.url), ...readdirSync(join(ROOT, SOURCES)).map((name) => join(ROOT, SOURCES, name))];
	return inputs.every((file) => statSync(file).mtimeMs < built);
}

/**
 * Compiles the kernels into `outfile` (default: KERNELS_WASM in this repository) unless it is up to date.
 * @param {{ outfile?: string, force?: boolean }} [options]
 * @returns {Promise<{ outfile: string, built: boolean }>}
 */
export async function buildWasm({ outfile = join(ROOT, KERNELS_WASM), force = false } = {}) {
	if (!force && upToDate(outfile)) return { outfile, built: false };
	mkdirSync(dirname(outfile), { recursive: true });
	const { error, stderr } = await asc.main(
		[
			join(ROOT, SOURCES, 'index.ts'),
			'--outFile',
			outfile,
			'--optimizeLevel',
			'3',
			'--shrinkLevel',
			'0',
			'--runtime',
			'stub',
			'--enable',
			'simd',
			'--noAssert',
			// The name section (≈ 200 bytes): profiles then name the kernels instead of wasm-function[6].
			'--debug'
		],
		{}
	);
	if (error) throw new Error(`build:wasm: ${error.message}\n${stderr.toString()}`);
	return { outfile, built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const started = performance.now();
	const { outfile, built } = await buildWasm({ force: process.argv.includes('--force') });
	const where = outfile.slice(ROOT.length);
	console.log(built ? `build:wasm: ${where} in ${Math.round(performance.now() - started)} ms` : `build:wasm: ${where} is up to date`);
}
