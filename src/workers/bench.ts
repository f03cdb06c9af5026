// The benchmark of the /bench page: the engine with all parties in this Worker's thread (OT
// preprocessing, in-memory channels), on AES-128 or a chain of AND gates.
import { andChain, forParties, randomInputs, runEngine } from '../lib/bench/in-process';
import type { Circuit } from '../lib/garble/circuit';
import { parseBristol } from '../lib/garble/circuit/bristol';
import type { BenchFigures, BenchRequest } from './api';
import { useKernels } from './kernels';

/** The AES-128 reference circuit of the tests and `npm run bench`; vite emits it as an asset, fetched on the first AES run. */
const AES_128_URL = new URL('../../tests/fixtures/circuits/aes_128.bristol-fashion.txt', import.meta.url);
/** AND gates of the chain: long enough that the run, not its fixed costs, dominates on a fast machine. */
const CHAIN_ANDS = 8192;

let aes128: Promise<Circuit> | undefined;

async function fetchAes128(): Promise<Circuit> {
	const response = await fetch(AES_128_URL);
	if (!response.ok) throw new Error(`the AES-128 circuit could not be fetched: HTTP ${response.status}`);
	return parseBristol(await response.text());
}

async function circuitOf(request: BenchRequest): Promise<Circuit> {
	if (request.circuit === 'chain') return andChain(request.parties, CHAIN_ANDS);
	aes128 ??= fetchAes128();
	return forParties(await aes128, request.parties);
}

/** One run of the request's circuit on its kernels. */
export async function runBenchmark(request: BenchRequest): Promise<BenchFigures> {
	if (!Number.isInteger(request.parties) || request.parties < 2) throw new Error(`the benchmark needs 2 or more parties, got ${request.parties}`);
	const kernels = await useKernels(request.kernels);
	const circuit = await circuitOf(request);
	const { ms, andGates, bytesSent } = await runEngine(circuit, randomInputs(circuit), 'ot');
	return { ...request, kernels, ms, andGates, bytesSent };
}
