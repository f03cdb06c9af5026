// Vitest global setup of the projects that start `polytune` processes: bin/polytune.js runs
// the built CLI (dist/cli), so build it from the current sources before any test starts one.
import { buildCli } from '../../scripts/build-cli.js';

export default async function setup(): Promise<void> {
	await buildCli();
}
