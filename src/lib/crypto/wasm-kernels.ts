import { nobleAead, setAeadKernel, TAG_BYTES, type AeadKernel } from './aead';
import { expandKey } from './aes';
import { FIXED_KEY, setBlockCipher, tableCipher, type BlockCipher, type FusedHashes, type Keystream } from './backend';
import { nobleCurve25519, setCurve25519Kernel } from './curve25519';
import { setHornerKernel, tableHornerKernel, type Horner, type HornerKernel } from './gf128';
import { POINT_BYTES, setRistrettoKernel, type RistrettoKernel } from './ristretto';
import { jsRistretto } from './ristretto-js';
import { setTransposeKernel, tileTransposeKernel, type TransposeKernel } from './transpose';
import { growTo, heapStart } from './wasm-memory';
import { setDealerKernel, type DealerKernel } from '../mpc/dealer-kernel';
import { jsDealerKernel } from '../mpc/dealer-js';
import { wasmDealerKernel } from '../mpc/dealer-wasm';
import { setDigestKernel, type DigestKernel } from '../mpc/digest-kernel';
import { jsDigestKernel } from '../mpc/digest-js';
import { wasmDigestKernel } from '../mpc/digest-wasm';
import { setWalkKernel, type WalkKernel } from '../mpc/walk-kernel';
import { jsWalkKernel } from '../mpc/walk-js';
import { wasmWalkKernel } from '../mpc/walk-wasm';

/**
 * The WebAssembly SIMD kernels (sources in wasm/, built to dist/wasm/kernels.wasm by
 * `npm run build:wasm`): bitsliced AES-128 and the hashes built on it, GF(2^128) Horner with
 * 8-bit tables, the 128 × 128 bit transposition, ristretto255 for the base OTs and
 * ChaCha20-Poly1305 for the sealed channels, the walks over a segment's gates (each run in
 * an instance of its own: src/lib/mpc/walk-wasm.ts), the MAC digests of openings
 * (src/lib/mpc/digest-wasm.ts) and the trusted dealer's MACs (src/lib/mpc/dealer-wasm.ts),
 * behind the same interfaces as the JavaScript
 * kernels and with bit-identical results, so that parties on different kernels compute
 * together. This module only needs the .wasm file's bytes: the Worker fetches them (src/workers/kernels.ts), Node
 * reads them from disk (src/node/kernels.ts).
 *
 * The module's memory is laid out once, at fixed offsets: the kernels read and write their
 * own memory only, so every call copies its input in and its output out, in chunks of the
 * buffers below.
 */

/** What kernels.wasm exports (wasm/index.ts); addresses are byte offsets into its memory. */
interface KernelExports {
	readonly memory: WebAssembly.Memory;
	heapBase(): number;
	aesBitsliceKey(roundKeys: number, out: number): void;
	aesEncrypt(key: number, input: number, output: number, count: number): void;
	aesCtr(key: number, output: number, count: number, firstHigh: number, firstLow: number): void;
	hashMmo(key: number, input: number, output: number, count: number): void;
	hashTccr(key: number, input: number, output: number, count: number, first: number, t1: number, t2: number, t3: number, scratch: number): void;
	gfBuildTable(h: number, table: number): void;
	gfHorner(table: number, acc: number, blocks: number, count: number, stride: number): void;
	transposeTiles(columns: number, columnStride: number, tiles: number, rows: number, rowStride: number, scratch: number): void;
	rstBaseMul(k: number, out: number): void;
	rstMul(k: number, point: number, out: number): number;
	rstOffer(c: number, scalars: number, choices: number, count: number, r: number): void;
	rstChosen(b: number, scalars: number, count: number, keys: number): void;
	rstSend(y: number, yc: number, r: number, count: number, keys0: number, keys1: number): number;
	chachaXor(keyNonce: number, counter: number, input: number, output: number, length: number): void;
	polyInit(state: number, key: number): void;
	polyBlocks(state: number, message: number, length: number): void;
	polyFinish(state: number, out: number): void;
}

/** The kernels as the switches take them. */
export interface WasmKernels {
	readonly cipher: BlockCipher;
	readonly horner: HornerKernel;
	readonly transpose: TransposeKernel;
	readonly ristretto: RistrettoKernel;
	readonly aead: AeadKernel;
	readonly walk: WalkKernel;
	readonly digest: DigestKernel;
	readonly dealer: DealerKernel;
}

export const WASM_KERNELS_NAME = 'wasm-simd';

/** `(module (func (result v128) (v128.const i64x2 0 0)))`: valid only where WebAssembly has SIMD. */
const SIMD_PROBE = Uint8Array.of(
	...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
	...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
	...[0x03, 0x02, 0x01, 0x00],
	...[0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b]
);

/** Whether this engine runs WebAssembly with 128-bit SIMD. */
export function simdSupported(): boolean {
	return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/** Instantiates the kernels from the bytes of kernels.wasm; null where WebAssembly SIMD is missing. */
export async function instantiateKernels(bytes: BufferSource): Promise<WasmKernels | null> {
	if (!simdSupported()) return null;
	const { instance, module } = await WebAssembly.instantiate(bytes, {});
	return kernelsOf(instance, module);
}

/** The same, synchronously (Node, Workers: not a browser's main thread, which limits synchronous compilation). */
export function instantiateKernelsSync(bytes: BufferSource): WasmKernels | null {
	if (!simdSupported()) return null;
	const module = new WebAssembly.Module(bytes);
	return kernelsOf(new WebAssembly.Instance(module, {}), module);
}

/**
 * Makes the kernels the process's: GF(2^128), the transposition, ristretto255 and
 * ChaCha20-Poly1305 always, AES unless `aes` is false (Node keeps OpenSSL's AES-NI, which is
 * faster). Call at start-up, before any run.
 */
export function installWasmKernels(kernels: WasmKernels, { aes }: { aes: boolean }): void {
	if (aes) setBlockCipher(kernels.cipher);
	setHornerKernel(kernels.horner);
	setTransposeKernel(kernels.transpose);
	setRistrettoKernel(kernels.ristretto);
	setAeadKernel(kernels.aead);
	setWalkKernel(kernels.walk);
	setDigestKernel(kernels.digest);
	setDealerKernel(kernels.dealer);
}

/** The JavaScript kernels everywhere: the fallback where WebAssembly SIMD is missing. */
export function installJsKernels(): void {
	setBlockCipher(tableCipher);
	setHornerKernel(tableHornerKernel);
	setTransposeKernel(tileTransposeKernel);
	setRistrettoKernel(jsRistretto);
	setAeadKernel(nobleAead);
	setCurve25519Kernel(nobleCurve25519);
	setWalkKernel(jsWalkKernel);
	setDigestKernel(jsDigestKernel);
	setDealerKernel(jsDealerKernel);
}

/** Below this many blocks the T-table AES is faster than a call that encrypts a whole group of eight. */
const MIN_WASM_BLOCKS = 4;
const BITSLICED_KEY_BYTES = 11 * 8 * 16;
const TABLE_BYTES = 16 * 256 * 16;
/** Multipliers whose tables stay in memory at once (the KOS check uses two at a time per pair). */
const TABLE_SLOTS = 4;
const INPUT_BYTES = 1 << 20;
const OUTPUT_BYTES = 2 << 20;
const BLOCK_BYTES = 16;
const TILE_BYTES = 128 * BLOCK_BYTES;

/** The instance's memory, laid out once; offsets are byte addresses. */
class KernelMemory {
	readonly words: Uint32Array;
	readonly scratch: number;
	readonly roundKeys: number;
	readonly fixedKey: number;
	readonly streamKey: number;
	readonly element: number;
	readonly acc: number;
	/** ChaCha20-Poly1305: key and nonce (48 bytes), Poly1305 key block (64), state (96), tag (16), lengths block (16). */
	readonly aead: number;
	readonly tables: number;
	readonly input: number;
	readonly output: number;
	/** The keystream whose bitsliced key is at `streamKey`. */
	streamKeyOwner: object | null = null;
	/** The multiplier whose tables fill each slot, and when each slot was last used. */
	private readonly slotOwners: (object | null)[] = new Array<object | null>(TABLE_SLOTS).fill(null);
	private readonly slotUses = new Float64Array(TABLE_SLOTS);
	private uses = 0;

	constructor(readonly exports: KernelExports) {
		let next = heapStart(exports);
		const take = (bytes: number) => {
			const at = next;
			next += Math.ceil(bytes / 64) * 64;
			return at;
		};
		this.scratch = take(TILE_BYTES);
		this.roundKeys = take(11 * BLOCK_BYTES);
		this.fixedKey = take(BITSLICED_KEY_BYTES);
		this.streamKey = take(BITSLICED_KEY_BYTES);
		this.element = take(BLOCK_BYTES);
		this.acc = take(BLOCK_BYTES);
		this.aead = take(256);
		this.tables = take(TABLE_SLOTS * TABLE_BYTES);
		this.input = take(INPUT_BYTES);
		this.output = take(OUTPUT_BYTES);
		growTo(exports.memory, 0, next, "the kernels' buffers");
		// The memory never grows again, so this view stays valid.
		this.words = new Uint32Array(exports.memory.buffer);
	}

	/** Bitslices the key schedule of `key` (4 words) to `at`. */
	bitsliceKey(key: Uint32Array, at: number): void {
		this.words.set(expandKey(key), this.roundKeys >>> 2);
		this.exports.aesBitsliceKey(this.roundKeys, at);
	}

	/** The address of the tables of `owner`'s element (4 words), built there unless they still are. */
	tablesOf(owner: object, element: Uint32Array): number {
		let slot = this.slotOwners.indexOf(owner);
		if (slot < 0) {
			slot = this.slotUses.indexOf(Math.min(...this.slotUses));
			this.slotOwners[slot] = owner;
			this.words.set(element, this.element >>> 2);
			this.exports.gfBuildTable(this.element, this.tables + slot * TABLE_BYTES);
		}
		this.slotUses[slot] = ++this.uses;
		return this.tables + slot * TABLE_BYTES;
	}
}

function kernelsOf(instance: WebAssembly.Instance, module: WebAssembly.Module): WasmKernels {
	const memory = new KernelMemory(instance.exports as unknown as KernelExports);
	memory.bitsliceKey(FIXED_KEY, memory.fixedKey);
	return {
		cipher: wasmCipher(memory),
		horner: { name: WASM_KERNELS_NAME, create: (h, offset) => new WasmHorner(memory, h.slice(offset, offset + 4)) },
		transpose: wasmTranspose(memory),
		ristretto: wasmRistretto(memory),
		aead: wasmAead(memory),
		walk: wasmWalkKernel(module, WASM_KERNELS_NAME),
		digest: wasmDigestKernel(module, WASM_KERNELS_NAME),
		dealer: wasmDealerKernel(module, WASM_KERNELS_NAME)
	};
}

/** Bytes of ChaCha20-Poly1305 per chunk: whole keystream blocks, so that the counter continues across chunks. */
const AEAD_CHUNK = INPUT_BYTES;

/**
 * ChaCha20-Poly1305 in the module (wasm/chacha.ts): the message goes through the input buffer
 * in chunks; the ciphertext, zero-padded to 16 bytes, is what Poly1305 absorbs, then the
 * lengths block (RFC 8439 §2.8 with no associated data).
 */
function wasmAead(memory: KernelMemory): AeadKernel {
	const { exports, input, output, aead } = memory;
	const [keyNonce, polyKey, state, tag, lengths] = [aead, aead + 48, aead + 112, aead + 208, aead + 224];
	const bytes = () => new Uint8Array(exports.memory.buffer);
	/** Keys the stream and Poly1305 (its one-time key is keystream block 0). */
	const start = (key: Uint8Array, nonce: Uint8Array) => {
		if (key.length !== 32 || nonce.length !== 12) throw new Error(`ChaCha20-Poly1305: a 32-byte key and a 12-byte nonce, got ${key.length} and ${nonce.length} bytes`);
		const view = bytes();
		view.set(key, keyNonce);
		view.set(nonce, keyNonce + 32);
		view.fill(0, polyKey, polyKey + 64);
		exports.chachaXor(keyNonce, 0, polyKey, polyKey, 64);
		exports.polyInit(state, polyKey);
	};
	/** Absorbs the n ciphertext bytes at `at`, zero-padded to a whole block. */
	const absorb = (at: number, n: number) => {
		const padded = Math.ceil(n / 16) * 16;
		bytes().fill(0, at + n, at + padded);
		exports.polyBlocks(state, at, padded);
	};
	/** The tag over `length` ciphertext bytes absorbed so far. */
	const finish = (length: number) => {
		const view = new DataView(exports.memory.buffer);
		view.setBigUint64(lengths, 0n, true);
		view.setBigUint64(lengths + 8, BigInt(length), true);
		exports.polyBlocks(state, lengths, 16);
		exports.polyFinish(state, tag);
		return bytes().slice(tag, tag + TAG_BYTES);
	};
	return {
		name: WASM_KERNELS_NAME,
		seal(key, nonce, plaintext) {
			start(key, nonce);
			const sealed = new Uint8Array(plaintext.length + TAG_BYTES);
			for (let done = 0; done < plaintext.length; done += AEAD_CHUNK) {
				const n = Math.min(AEAD_CHUNK, plaintext.length - done);
				bytes().set(plaintext.subarray(done, done + n), input);
				exports.chachaXor(keyNonce, 1 + done / 64, input, output, n);
				absorb(output, n);
				sealed.set(bytes().subarray(output, output + n), done);
			}
			sealed.set(finish(plaintext.length), plaintext.length);
			return sealed;
		},
		open(key, nonce, sealed) {
			if (sealed.length < TAG_BYTES) throw new Error('ChaCha20-Poly1305: shorter than a tag');
			start(key, nonce);
			const length = sealed.length - TAG_BYTES;
			const plaintext = new Uint8Array(length);
			for (let done = 0; done < length; done += AEAD_CHUNK) {
				const n = Math.min(AEAD_CHUNK, length - done);
				bytes().set(sealed.subarray(done, done + n), input);
				absorb(input, n);
				exports.chachaXor(keyNonce, 1 + done / 64, input, output, n);
				plaintext.set(bytes().subarray(output, output + n), done);
			}
			const expected = finish(length);
			let diff = 0;
			for (let i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ sealed[length + i];
			if (diff !== 0) throw new Error('ChaCha20-Poly1305: invalid tag');
			return plaintext;
		}
	};
}

/** Points per call of the group kernels: scalars or points in, two encodings per point out. */
const POINTS_PER_CHUNK = 16_384;

/** ristretto255 in the module (wasm/ristretto.ts): inputs copied into the input buffer, encodings out of the output buffer. */
function wasmRistretto(memory: KernelMemory): RistrettoKernel {
	const { exports, input, output } = memory;
	const bytes = () => new Uint8Array(exports.memory.buffer);
	const out = (at: number, length: number) => bytes().slice(at, at + length);
	return {
		name: WASM_KERNELS_NAME,
		baseMul(k) {
			bytes().set(k, input);
			exports.rstBaseMul(input, output);
			return out(output, POINT_BYTES);
		},
		mul(k, p) {
			bytes().set(k, input);
			bytes().set(p, input + 32);
			if (!exports.rstMul(input, input + 32, output)) throw new Error('ristretto255: not a valid point encoding');
			return out(output, POINT_BYTES);
		},
		offer(c, scalars, choices) {
			const n = choices.length;
			const r = new Uint8Array(n * POINT_BYTES);
			bytes().set(c, input);
			for (let done = 0; done < n; done += POINTS_PER_CHUNK) {
				const m = Math.min(POINTS_PER_CHUNK, n - done);
				const [scalarsAt, choicesAt] = [input + 32, input + 32 + 32 * m];
				bytes().set(scalars.subarray(32 * done, 32 * (done + m)), scalarsAt);
				bytes().set(choices.subarray(done, done + m), choicesAt);
				exports.rstOffer(input, scalarsAt, choicesAt, m, output);
				r.set(out(output, m * POINT_BYTES), done * POINT_BYTES);
			}
			return r;
		},
		chosen(b, scalars) {
			const n = scalars.length / 32;
			const keys = new Uint8Array(n * POINT_BYTES);
			bytes().set(b, input);
			for (let done = 0; done < n; done += POINTS_PER_CHUNK) {
				const m = Math.min(POINTS_PER_CHUNK, n - done);
				bytes().set(scalars.subarray(32 * done, 32 * (done + m)), input + 32);
				exports.rstChosen(input, input + 32, m, output);
				keys.set(out(output, m * POINT_BYTES), done * POINT_BYTES);
			}
			return keys;
		},
		send(y, yc, r, count) {
			const keys0 = new Uint8Array(count * POINT_BYTES);
			const keys1 = new Uint8Array(count * POINT_BYTES);
			bytes().set(y, input);
			bytes().set(yc, input + 32);
			for (let done = 0; done < count; done += POINTS_PER_CHUNK) {
				const m = Math.min(POINTS_PER_CHUNK, count - done);
				bytes().set(r.subarray(done * POINT_BYTES, (done + m) * POINT_BYTES), input + 64);
				const invalid = exports.rstSend(input, input + 32, input + 64, m, output, output + m * POINT_BYTES);
				if (invalid >= 0) return { invalid: done + invalid };
				keys0.set(out(output, m * POINT_BYTES), done * POINT_BYTES);
				keys1.set(out(output + m * POINT_BYTES, m * POINT_BYTES), done * POINT_BYTES);
			}
			return { keys0, keys1 };
		}
	};
}

const INPUT_BLOCKS = INPUT_BYTES / BLOCK_BYTES;

function wasmCipher(memory: KernelMemory): BlockCipher {
	const { words, exports, input: buffer } = memory;
	return {
		name: WASM_KERNELS_NAME,
		encryptFixed(input, inOffset, output, outOffset, count) {
			if (count < MIN_WASM_BLOCKS) {
				tableCipher.encryptFixed(input, inOffset, output, outOffset, count);
				return;
			}
			for (let done = 0; done < count; done += INPUT_BLOCKS) {
				const n = Math.min(INPUT_BLOCKS, count - done);
				words.set(input.subarray(inOffset + 4 * done, inOffset + 4 * (done + n)), buffer >>> 2);
				exports.aesEncrypt(memory.fixedKey, buffer, buffer, n);
				output.set(words.subarray(buffer >>> 2, (buffer >>> 2) + 4 * n), outOffset + 4 * done);
			}
		},
		keystream(key) {
			return new WasmKeystream(memory, key);
		},
		fused: wasmHashes(memory)
	};
}

/** Both hashes in one pass per chunk: the blocks copied in, hashed in the module, copied out. */
function wasmHashes(memory: KernelMemory): FusedHashes {
	const { words, exports, input: inBuffer, output: outBuffer, scratch } = memory;
	/** Runs `hash` on chunks of `count` blocks from input[inOffset…] into output[outOffset…]; `hash(done, n)` hashes n blocks from inBuffer into outBuffer. */
	const chunked = (input: Uint32Array, inOffset: number, output: Uint32Array, outOffset: number, count: number, hash: (done: number, n: number) => void) => {
		for (let done = 0; done < count; done += INPUT_BLOCKS) {
			const n = Math.min(INPUT_BLOCKS, count - done);
			words.set(input.subarray(inOffset + 4 * done, inOffset + 4 * (done + n)), inBuffer >>> 2);
			hash(done, n);
			output.set(words.subarray(outBuffer >>> 2, (outBuffer >>> 2) + 4 * n), outOffset + 4 * done);
		}
	};
	return {
		hashBlocks(input, inOffset, output, outOffset, count) {
			chunked(input, inOffset, output, outOffset, count, (_, n) => exports.hashMmo(memory.fixedKey, inBuffer, outBuffer, n));
		},
		tweakedHash(input, inOffset, output, outOffset, count, first, t1, t2, t3) {
			chunked(input, inOffset, output, outOffset, count, (done, n) => exports.hashTccr(memory.fixedKey, inBuffer, outBuffer, n, (first + done) | 0, t1, t2, t3, scratch));
		}
	};
}

/** AES-CTR with the key bitsliced once; it is copied into the module whenever another stream used it last. */
class WasmKeystream implements Keystream {
	private readonly key: Uint32Array;
	private counter = 0;

	constructor(
		private readonly memory: KernelMemory,
		key: Uint32Array
	) {
		memory.bitsliceKey(key, memory.streamKey);
		memory.streamKeyOwner = this;
		this.key = memory.words.slice(memory.streamKey >>> 2, (memory.streamKey + BITSLICED_KEY_BYTES) >>> 2);
	}

	fill(out: Uint32Array, offset: number, count: number): void {
		const { memory } = this;
		const { words, exports, input: buffer } = memory;
		if (memory.streamKeyOwner !== this) {
			words.set(this.key, memory.streamKey >>> 2);
			memory.streamKeyOwner = this;
		}
		for (let done = 0; done < count; done += INPUT_BLOCKS) {
			const n = Math.min(INPUT_BLOCKS, count - done);
			exports.aesCtr(memory.streamKey, buffer, n, Math.floor(this.counter / 0x100000000), this.counter >>> 0);
			this.counter += n;
			out.set(words.subarray(buffer >>> 2, (buffer >>> 2) + 4 * n), offset + 4 * done);
		}
	}
}

/** Horner's rule by one element, its tables built in the module when first used (and again if evicted). */
class WasmHorner implements Horner {
	constructor(
		private readonly memory: KernelMemory,
		private readonly element: Uint32Array
	) {}

	horner(acc: Uint32Array, blocks: Uint32Array, count: number, stride: number, offset: number): void {
		const { memory } = this;
		const { words, exports, input: buffer } = memory;
		const table = memory.tablesOf(this, this.element);
		words.set(acc.subarray(0, 4), memory.acc >>> 2);
		// A chunk of n blocks spans (n − 1)·stride + 4 words, copied whole.
		const chunk = Math.floor((INPUT_BYTES / 4 - 4) / stride) + 1;
		for (let done = 0; done < count; done += chunk) {
			const n = Math.min(chunk, count - done);
			const first = offset + done * stride;
			words.set(blocks.subarray(first, first + (n - 1) * stride + 4), buffer >>> 2);
			exports.gfHorner(table, memory.acc, buffer, n, 4 * stride);
		}
		acc.set(words.subarray(memory.acc >>> 2, (memory.acc >>> 2) + 4));
	}
}

function wasmTranspose(memory: KernelMemory): TransposeKernel {
	const { words, exports, input, output, scratch } = memory;
	return {
		name: WASM_KERNELS_NAME,
		transposeColumns(columns, rows, out, stride, offset) {
			// Whole 128-row tiles only, and rows no wider than a chunk of the output buffer allows.
			const perChunk = Math.min(INPUT_BYTES / TILE_BYTES, Math.floor(OUTPUT_BYTES / (128 * 4 * stride)));
			if (rows % 128 !== 0 || perChunk < 1) {
				tileTransposeKernel.transposeColumns(columns, rows, out, stride, offset);
				return;
			}
			const W = rows >>> 5;
			const tiles = rows >>> 7;
			for (let t0 = 0; t0 < tiles; t0 += perChunk) {
				const n = Math.min(perChunk, tiles - t0);
				// Column c's part of the chunk: 4n words at input + c·16n bytes.
				for (let c = 0; c < 128; c++) words.set(columns.subarray(c * W + 4 * t0, c * W + 4 * (t0 + n)), (input >>> 2) + 4 * n * c);
				// The rows' span of `out`, copied in first when the rows are interleaved with other data.
				const first = offset + 128 * t0 * stride;
				const span = (128 * n - 1) * stride + 4;
				if (stride !== 4) words.set(out.subarray(first, first + span), output >>> 2);
				exports.transposeTiles(input, 16 * n, n, output, 4 * stride, scratch);
				out.set(words.subarray(output >>> 2, (output >>> 2) + span), first);
			}
		}
	};
}
