import { growTo, heapStart } from '../crypto/wasm-memory';
import { WasmGarbling, type GarbleExports } from './garble-wasm';
import type { WalkKernel, WalkLayout, WalkMemory } from './walk-kernel';

/** What the kernels module (wasm/index.ts) exports for the walks (wasm/walk.ts) and garbling. */
interface WalkExports extends GarbleExports {
	readonly memory: WebAssembly.Memory;
	heapBase(): number;
	walkLayout(...addresses: number[]): void;
	walkGates(count: number): number;
	evaluateFreeGates(start: number, end: number): number;
}

/**
 * The walk kernel in WebAssembly, which also garbles and evaluates AND gates (garble-wasm.ts):
 * every run gets an instance of the kernels module of its own, whose memory is grown once to
 * the run's size, so that its views never detach, and whose globals hold the run's layout. Instantiating a compiled module takes well under a millisecond.
 * `name` is the kernel set's.
 */
export function wasmWalkKernel(module: WebAssembly.Module, name: string): WalkKernel {
	return {
		name,
		memory(bytes) {
			const exports = new WebAssembly.Instance(module, {}).exports as unknown as WalkExports;
			const base = heapStart(exports);
			growTo(exports.memory, base, bytes, "the run's wire state");
			return new WasmWalkMemory(exports, base);
		}
	};
}

class WasmWalkMemory implements WalkMemory {
	readonly buffer: ArrayBuffer;
	private garbling: WasmGarbling | null = null;

	constructor(
		private readonly exports: WalkExports,
		readonly base: number
	) {
		this.buffer = exports.memory.buffer;
	}

	setLayout(layout: WalkLayout): void {
		const l = layout;
		this.exports.walkLayout(
			l.tape,
			l.strideBytes,
			l.lambdaBits,
			l.lambdaWords,
			l.labels,
			l.delta,
			l.gammaBits,
			l.gammaWords,
			l.alphaBits,
			l.alphaWords,
			l.betaBits,
			l.betaWords,
			l.andGates,
			l.labelAlpha,
			l.z,
			l.evalLabels,
			l.evalStrideBytes,
			l.andCapacity
		);
		this.garbling = new WasmGarbling(this.exports, this.buffer, l.chunk, l.strideBytes / 32 + 1);
	}

	walkGates(count: number): number {
		return this.exports.walkGates(count);
	}

	evaluateFreeGates(start: number, end: number): number {
		return this.exports.evaluateFreeGates(start, end);
	}

	garbleAnds(...args: Parameters<WalkMemory['garbleAnds']>): Uint32Array {
		return this.laidOut().garbleAnds(...args);
	}

	evaluateAnds(...args: Parameters<WalkMemory['evaluateAnds']>): void {
		this.laidOut().evaluateAnds(...args);
	}

	private laidOut(): WasmGarbling {
		if (!this.garbling) throw new Error('walk: no layout set');
		return this.garbling;
	}
}
