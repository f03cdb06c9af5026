import { BLOCK_BYTES } from '../crypto/block';
import { tweakedHash } from '../crypto/hash';
import { growTo, heapStart } from '../crypto/wasm-memory';
import type { DigestKernel } from './digest-kernel';
import { OPENING_TWEAK_DOMAIN } from './openings';

/** What the kernels module (wasm/index.ts) exports for the digests (wasm/digest.ts). */
interface DigestExports {
	readonly memory: WebAssembly.Memory;
	heapBase(): number;
	digestGather(from: number, stride: number, n: number, to: number): void;
	digestGatherKeys(from: number, stride: number, n: number, bits: number, delta: number, to: number): void;
	digestFold(from: number, n: number, digest: number): void;
}

/** Bytes of authenticated bits copied into the module at a time: they stay in cache. */
const CHUNK_BUDGET_BYTES = 256 * 1024;
/** Bits per chunk at most (blocks per hash call). */
const MAX_CHUNK_BITS = 1024;

/**
 * The digests in WebAssembly, in an instance of the kernels module of their own (made at the
 * first call; every call is synchronous, so one serves the process): a chunk of each set's
 * authenticated bits is copied in once, and for every target the module gathers its blocks,
 * crypto/hash's tweakedHash hashes them (OpenSSL in the CLI) and the module folds them in. `name`
 * is the kernel set's.
 */
export function wasmDigestKernel(module: WebAssembly.Module, name: string): DigestKernel {
	let memory: DigestMemory | null = null;
	return {
		name,
		macDigests(values, targets, delta, call) {
			const strideBytes = 4 * values[0].stride;
			const chunkBits = Math.max(16, Math.min(MAX_CHUNK_BITS, Math.floor(CHUNK_BUDGET_BYTES / strideBytes)));
			memory ??= new DigestMemory(new WebAssembly.Instance(module, {}).exports as unknown as DigestExports);
			const at = memory.layOut(chunkBits, strideBytes, targets.length);
			const { exports } = memory;
			const { bytes, words } = memory.views();
			words.set(delta, at.delta >>> 2);
			bytes.fill(0, at.digests, at.digests + targets.length * BLOCK_BYTES);
			let tweak = 0;
			for (let i = 0; i < values.length; i++) {
				const set = values[i];
				for (let k = 0; k < set.count; k += chunkBits) {
					const n = Math.min(chunkBits, set.count - k);
					words.set(set.words.subarray(k * set.stride, (k + n) * set.stride), at.words >>> 2);
					targets.forEach(({ slot, theirBits, pair }, j) => {
						const from = at.words + 32 * slot;
						if (theirBits) {
							bytes.set(theirBits[i].subarray(k, k + n), at.bits);
							exports.digestGatherKeys(from + BLOCK_BYTES, strideBytes, n, at.bits, at.delta, at.input);
						} else {
							exports.digestGather(from, strideBytes, n, at.input);
						}
						tweakedHash(words, at.input >>> 2, words, at.hashed >>> 2, n, tweak, call, OPENING_TWEAK_DOMAIN, pair);
						exports.digestFold(at.hashed, n, at.digests + j * BLOCK_BYTES);
					});
					tweak += n;
				}
			}
			return targets.map((_, j) => bytes.slice(at.digests + j * BLOCK_BYTES, at.digests + (j + 1) * BLOCK_BYTES));
		}
	};
}

interface DigestLayout {
	delta: number;
	digests: number;
	words: number;
	input: number;
	hashed: number;
	bits: number;
}

/** The instance's memory, grown when a call needs more (views are taken after). */
class DigestMemory {
	private readonly base: number;

	constructor(readonly exports: DigestExports) {
		this.base = heapStart(exports);
	}

	layOut(chunkBits: number, strideBytes: number, targets: number): DigestLayout {
		let size = this.base;
		const take = (bytes: number) => {
			const at = size;
			size += Math.ceil(bytes / BLOCK_BYTES) * BLOCK_BYTES;
			return at;
		};
		const layout = {
			delta: take(BLOCK_BYTES),
			digests: take(targets * BLOCK_BYTES),
			words: take(chunkBits * strideBytes),
			input: take(chunkBits * BLOCK_BYTES),
			hashed: take(chunkBits * BLOCK_BYTES),
			bits: take(chunkBits)
		};
		growTo(this.exports.memory, 0, size, 'the digests of an opening');
		return layout;
	}

	views(): { bytes: Uint8Array; words: Uint32Array } {
		const { buffer } = this.exports.memory;
		return { bytes: new Uint8Array(buffer), words: new Uint32Array(buffer) };
	}
}
