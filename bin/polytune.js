#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=268435456 node
// The `polytune` command: runs the CLI as built by scripts/build-cli.js (`npm install` and
// `npm run build:cli` make it): plain JavaScript with nothing to compile at start, an entry module
// and beside it the chunks each command loads when it runs.
// The first line sets glibc's allocator for the process before it starts (glibc reads it then,
// and ignores it where there is none, as on macOS): transparent huge pages for its memory, and up
// to 256 MiB of freed heap kept for reuse. A fresh process faults in every page it touches, and
// where a fault is dear (a VM) the faults were a fifth of a party's run: docs/engine.md, "Huge
// pages for the allocator". Linux before 5.1 reads 127 bytes of a first line: it must fit.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/polytune.js', import.meta.url);
if (!existsSync(bundle)) {
	console.error('polytune: the CLI is not built (dist/cli/polytune.js is missing): run `npm install` or `npm run build:cli` in the polytune folder.');
	process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
