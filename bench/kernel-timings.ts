// What `npm run bench:kernels` times, in Node and in a browser Worker alike (no node: imports):
// the installed kernels one by one, then whole in-process runs of the engine.
import { aeadKernel } from '../src/lib/crypto/aead';
import { blockCipher } from '../src/lib/crypto/backend';
import { randomBlocks } from '../src/lib/crypto/block';
import { FixedMultiplier } from '../src/lib/crypto/gf128';
import { tweakedHash } from '../src/lib/crypto/hash';
import { compile } from '../src/lib/garble';
import { BaseOtReceiver, sendBaseOts } from '../src/lib/ot/base-ot';
import { transposeColumns } from '../src/lib/ot/transpose';
import { randomInputs, runEngine } from '../src/lib/bench/in-process';

export interface KernelTimings {
	/** ns per block: fixed-key AES (encryptFixed) on 4096 blocks in place. */
	aesFixed: number;
	/** ns per block: the tweakable hash π(π(x) ⊕ T) ⊕ π(x) (tweakedHash) on 4096 blocks in place. */
	tccr: number;
	/** ns per block: AES-CTR keystream, 4096 blocks per fill. */
	aesCtr: number;
	/** ns per GF(2^128) multiplication: Horner over 16,384 blocks by one element. */
	horner: number;
	/** ns per 128-bit row: transposition of 128 columns of 16,384 bits. */
	transpose: number;
	/** µs per base OT: 128 receiver-first OTs, the receiver's and the sender's side. */
	baseOt: number;
	/** ns per byte: ChaCha20-Poly1305 sealing and opening a 64 KiB message. */
	aead: number;
}

export interface EngineTiming {
	parties: number;
	andGates: number;
	/** ms of each run, in order (the first one cold). */
	runs: number[];
}

/** ns per item of the fastest of `rounds` rounds, each repeating `work` (on `items` items) for about `budgetMs`. */
function bestNs(work: () => void, items: number, rounds = 3, budgetMs = 200): number {
	work();
	let best = Infinity;
	for (let round = 0; round < rounds; round++) {
		const started = performance.now();
		let repeats = 0;
		while (performance.now() - started < budgetMs) {
			work();
			repeats++;
		}
		best = Math.min(best, ((performance.now() - started) * 1e6) / (repeats * items));
	}
	return best;
}

/** `count` base OTs between a fresh receiver and sender. */
function baseOts(count: number): void {
	const context = Uint8Array.of(0, 1);
	const receiver = new BaseOtReceiver(1, new Uint8Array(count).fill(1));
	const { message } = sendBaseOts(context, receiver.message, 1, count, 1);
	receiver.keys(context, message, 0);
}

const SEAL_KEY = new Uint8Array(32).fill(1);
const SEAL_NONCE = new Uint8Array(12);

function sealAndOpen(message: Uint8Array): void {
	const aead = aeadKernel();
	aead.open(SEAL_KEY, SEAL_NONCE, aead.seal(SEAL_KEY, SEAL_NONCE, message));
}

/** Times the kernels installed now. */
export function timeKernels(): KernelTimings {
	const cipher = blockCipher();
	const blocks = randomBlocks(4096);
	const stream = cipher.keystream(randomBlocks(1));
	const multiplier = new FixedMultiplier(randomBlocks(1));
	const rows = 16_384;
	const hornerBlocks = randomBlocks(rows);
	const acc = new Uint32Array(4);
	const columns = randomBlocks(rows);
	const out = new Uint32Array(4 * rows);
	const message = new Uint8Array(1 << 16).map((_, i) => i);
	return {
		aesFixed: bestNs(() => cipher.encryptFixed(blocks, 0, blocks, 0, 4096), 4096),
		tccr: bestNs(() => tweakedHash(blocks, 0, blocks, 0, 4096, 0, 1, 2, 3), 4096),
		aesCtr: bestNs(() => stream.fill(blocks, 0, 4096), 4096),
		horner: bestNs(() => multiplier.horner(acc, hornerBlocks, rows), rows),
		transpose: bestNs(() => transposeColumns(columns, rows, out), rows),
		baseOt: bestNs(() => baseOts(128), 128) / 1000,
		aead: bestNs(() => sealAndOpen(message), message.length)
	};
}

/** Runs a program `reps` times with all its parties in this thread (OT preprocessing), on the kernels installed now. */
export async function timeEngine(source: string, reps: number): Promise<EngineTiming> {
	const { circuit } = compile(source);
	const runs: number[] = [];
	let andGates = 0;
	for (let rep = 0; rep < reps; rep++) {
		const run = await runEngine(circuit, randomInputs(circuit), 'ot');
		runs.push(run.ms);
		andGates = run.andGates;
	}
	return { parties: circuit.inputBits.length, andGates, runs };
}
