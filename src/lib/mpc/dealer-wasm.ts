import { BLOCK_BYTES, BLOCK_WORDS } from '../crypto/block';
import { growTo, heapStart } from '../crypto/wasm-memory';
import type { DealerKernel, DealerMacs } from './dealer-kernel';
import type { DrawnShares } from './share-store';

/** What the kernels module (wasm/index.ts) exports for the dealer's MACs (wasm/dealer.ts). */
interface DealerExports {
	readonly memory: WebAssembly.Memory;
	heapBase(): number;
	dealerMacs(i: number, parties: number, items: number, keys: number, bits: number, deltas: number, out: number): void;
}

/**
 * The dealer's MACs in WebAssembly: every dealer gets an instance of the kernels module of its
 * own, whose memory holds a segment's shares of every party (the caller draws them into it),
 * every Δ and one party's MACs, and grows when a segment needs more. `name` is the kernel set's.
 */
export function wasmDealerKernel(module: WebAssembly.Module, name: string): DealerKernel {
	return { name, create: () => new WasmDealerMacs(new WebAssembly.Instance(module, {}).exports as unknown as DealerExports) };
}

interface DealerLayout {
	parties: number;
	items: number;
	keys: number;
	out: number;
	deltas: number;
	bits: number;
}

class WasmDealerMacs implements DealerMacs {
	private readonly base: number;
	private layout: DealerLayout | null = null;

	constructor(private readonly exports: DealerExports) {
		this.base = heapStart(exports);
	}

	shares(parties: number, items: number): DrawnShares[] {
		const keyBytes = items * (parties - 1) * BLOCK_BYTES;
		// Party p's keys, one party's MACs, the Δs (blocks, 16-byte aligned), then the bits.
		const keys = this.base;
		const out = keys + parties * keyBytes;
		const deltas = out + keyBytes;
		const bits = deltas + parties * BLOCK_BYTES;
		const size = bits + parties * items;
		const { memory } = this.exports;
		growTo(memory, 0, size, "the dealer's segment");
		this.layout = { parties, items, keys, out, deltas, bits };
		const { buffer } = memory;
		return Array.from({ length: parties }, (_, p) => ({
			bits: new Uint8Array(buffer, bits + p * items, items),
			keys: new Uint32Array(buffer, keys + p * keyBytes, keyBytes / 4)
		}));
	}

	macs(i: number, macs: Uint32Array, deltas: readonly Uint32Array[]): void {
		const layout = this.layout;
		if (!layout) throw new Error('dealer: MACs asked for before any shares');
		const { parties, items, keys, out, bits } = layout;
		const words = new Uint32Array(this.exports.memory.buffer);
		deltas.forEach((delta, p) => words.set(delta, (layout.deltas >>> 2) + p * BLOCK_WORDS));
		this.exports.dealerMacs(i, parties, items, keys, bits, layout.deltas, out);
		macs.set(words.subarray(out >>> 2, (out >>> 2) + items * (parties - 1) * BLOCK_WORDS));
	}
}
