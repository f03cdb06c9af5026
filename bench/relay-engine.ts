/**
 * A child of `npm run bench:relay`: the in-process engine on the same circuit, for comparison.
 * Compiles the Garble program, runs every party (and the dealer) of our engine in this process
 * over in-memory channels with AES-NI (bench/run.ts: the clock runs from a ready circuit to
 * the checked outputs) and prints `{"ms":…}`.
 *
 *   tsx bench/relay-engine.ts FILE ot|dealer
 */
import { readFileSync } from 'node:fs';
import { setBlockCipher } from '../src/lib/crypto/backend';
import { compile } from '../src/lib/garble';
import { createAesNiCipher } from '../src/node/aesni';
import { randomInputs, runEngine } from './run';

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'ot' && mode !== 'dealer')) throw new Error('usage: tsx bench/relay-engine.ts FILE ot|dealer');
setBlockCipher(createAesNiCipher());
const { circuit } = compile(readFileSync(file, 'utf8'));
const { ms } = await runEngine(circuit, randomInputs(circuit), mode);
console.log(JSON.stringify({ ms }));
