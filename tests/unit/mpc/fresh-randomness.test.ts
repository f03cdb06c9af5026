import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { mpc, runDealer } from '../../../src/lib/mpc';
import { sumCircuit, toBits } from './helpers';

const INPUT_BITS = 64;

/**
 * Every 16-byte block (at multiples of 16) of every message of one run, except all-zero
 * blocks and the requests to the dealer (headers: protocol version, counts, circuit digest).
 */
async function runBlocks(preprocessing: 'dealer' | 'ot', parties: number): Promise<Set<string>> {
	const blocks = new Set<string>();
	const network = new MemoryNetwork((_from, to, bytes) => {
		if (to === DEALER_PARTY) return bytes;
		for (let o = 0; o + 16 <= bytes.length; o += 16) {
			const block = bytes.subarray(o, o + 16);
			if (block.some((b) => b !== 0)) blocks.add(bytesToHex(block));
		}
		return bytes;
	});
	// 64-bit inputs: a party broadcasts its input masked (x ⊕ λ), and the echo's digest of 8
	// masked bits would repeat across runs one time in 256 — chance, not shared randomness.
	const circuit = sumCircuit(parties, INPUT_BITS);
	// The same inputs in every run: only the protocol's randomness may differ.
	const runs = Array.from({ length: parties }, (_, party) => mpc(network.channel(party), circuit, toBits(40 + party, INPUT_BITS), { party, preprocessing }));
	if (preprocessing === 'dealer') runs.push(runDealer(network.channel(DEALER_PARTY), { parties }).then(() => undefined));
	await Promise.all(runs);
	return blocks;
}

describe('two runs of the same computation', { timeout: 60_000 }, () => {
	for (const preprocessing of ['dealer', 'ot'] as const) {
		it(`share no randomness (${preprocessing}, 3 parties)`, async () => {
			const first = await runBlocks(preprocessing, 3);
			const second = await runBlocks(preprocessing, 3);
			expect(first.size).toBeGreaterThan(1000);
			expect([...second].filter((block) => first.has(block))).toEqual([]);
		});
	}
});
