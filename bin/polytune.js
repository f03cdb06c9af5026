#!/usr/bin/env node
// The `polytune` command: runs the CLI as built by scripts/build-cli.js (`npm install` and
// `npm run build:cli` make it): plain JavaScript with nothing to compile at start, an entry module
// and beside it the chunks each command loads when it runs.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/polytune.js', import.meta.url);
if (!existsSync(bundle)) {
	console.error('polytune: the CLI is not built (dist/cli/polytune.js is missing): run `npm install` or `npm run build:cli` in the polytune folder.');
	process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
