#!/usr/bin/env node
// The `polytune` command. The CLI is TypeScript that shares src/lib with the browser;
// tsx compiles it on the fly, so there is no separate CLI build to keep in step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
