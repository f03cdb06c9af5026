#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.top_pad=268435456 node
// The `polytune` command: runs the CLI as built by scripts/build-cli.js (`npm install` and
// `npm run build:cli` make it): plain JavaScript with nothing to compile at start, an entry module
// and beside it the chunks each command loads when it runs.
// The first line sets glibc's allocator for the process before it starts (glibc reads it then,
// and ignores it where there is none, as on macOS): up to 256 MiB of freed heap kept for reuse,
// so that a segment's arrays and messages reuse pages already faulted in instead of fresh ones
// (docs/engine.md, "The allocator's settings"; huge pages, once set here too, cost small runs
// more than they saved). Linux before 5.1 reads 127 bytes of a first line: it must fit.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/polytune.js', import.meta.url);
if (!existsSync(bundle)) {
	console.error('polytune: the CLI is not built (dist/cli/polytune.js is missing): run `npm install` or `npm run build:cli` in the polytune folder.');
	process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
