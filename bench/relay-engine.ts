/**
 * A child of `npm run bench:relay`: the in-process engine on the same circuit, for comparison.
 * Compiles the Garble program, runs every party (and the dealer) of our engine in this process
 * over in-memory channels on the CLI's kernels (src/lib/bench/in-process.ts: the clock runs
 * from a ready circuit to the checked outputs) and prints `{"ms":…}`.
 *
 *   tsx bench/relay-engine.ts FILE ot|dealer
 */
import { readFileSync } from 'node:fs';
import { randomInputs, runEngine } from '../src/lib/bench/in-process';
import { compile } from '../src/lib/garble';
import { installNodeKernels } from '../src/node/kernels';

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'ot' && mode !== 'dealer')) throw new Error('usage: tsx bench/relay-engine.ts FILE ot|dealer');
installNodeKernels('aes-ni');
const { circuit } = compile(readFileSync(file, 'utf8'));
const { ms } = await runEngine(circuit, randomInputs(circuit), mode);
console.log(JSON.stringify({ ms }));
