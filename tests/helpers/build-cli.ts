// Vitest global setup of the projects that start `polytune` processes: bin/polytune.js runs
// the built CLI (dist/cli), which loads the built kernels (dist/wasm), so build both from the
// current sources before any test starts one.
import { buildCli } from '../../scripts/build-cli.js';
import { buildWasm } from '../../scripts/build-wasm.js';

export default async function setup(): Promise<void> {
	await buildWasm();
	await buildCli();
}
