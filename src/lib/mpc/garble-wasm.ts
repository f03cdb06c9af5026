import { blockCipher } from '../crypto/backend';
import type { AuthBits } from './auth';
import { chunkLayout, type ChunkLayout } from './garble-chunk';
import { gateWords, rowCheckFailed, type GarbleContext } from './garble';
import type { WalkMemory } from './walk-kernel';

/** What the kernels module (wasm/index.ts) exports for garbling (wasm/garble.ts). */
export interface GarbleExports {
	chunkLayout(...args: number[]): void;
	garblerHashInputs(count: number): void;
	encryptRows(count: number): void;
	evaluatorHashInputs(count: number): void;
	openRows(count: number): number;
}

/**
 * Garbling and evaluation of AND gates (garble.ts) in a run's WebAssembly memory, a chunk at a
 * time in its chunk area (garble-chunk.ts): the chunk's inputs are copied in, the module makes
 * the hash inputs, the block cipher (OpenSSL in the CLI) encrypts them in place, and the module
 * takes the feed-forward and makes or opens the rows. The evaluator's wire state is in the same
 * memory, where the walk kernel keeps it.
 */
export class WasmGarbling {
	private readonly at: ChunkLayout;
	private readonly bytes: Uint8Array;
	private readonly words: Uint32Array;
	private laidOut = false;

	constructor(
		private readonly exports: GarbleExports,
		buffer: ArrayBuffer,
		chunk: number,
		private readonly parties: number
	) {
		this.at = chunkLayout(chunk, parties);
		this.bytes = new Uint8Array(buffer);
		this.words = new Uint32Array(buffer);
	}

	/** Garbles `count` AND gates as garble.ts garbleAnds does; returns the rows as sent. */
	garbleAnds(...[ctx, count, gateIds, r0, alpha, beta, labelAlpha, labelBeta, labelGamma]: Parameters<WalkMemory['garbleAnds']>): Uint32Array {
		this.layOut(ctx);
		const { at, words, exports, parties } = this;
		const perGate = gateWords(parties);
		const table = new Uint32Array(count * perGate);
		for (let first = 0; first < count; first += at.ands) {
			const n = Math.min(at.ands, count - first);
			words.set(gateIds.subarray(first, first + n), at.gateIds >>> 2);
			this.copyShares(r0, alpha, beta, first, n);
			for (const [i, labels] of [labelAlpha, labelBeta, labelGamma].entries()) {
				words.set(labels.subarray(4 * first, 4 * (first + n)), (at.labelAlpha >>> 2) + 4 * i * at.ands);
			}
			exports.garblerHashInputs(n);
			blockCipher().encryptFixed(words, at.keys >>> 2, words, at.pads >>> 2, n * 4 * parties);
			exports.encryptRows(n);
			table.set(words.subarray(at.tables >>> 2, (at.tables >>> 2) + n * perGate), first * perGate);
		}
		return table;
	}

	/** Evaluates AND gates [first, first + count) of `segment` as garble.ts evaluateAnds does. */
	evaluateAnds(...[ctx, segment, first, count]: Parameters<WalkMemory['evaluateAnds']>): void {
		this.layOut(ctx);
		const { at, words, exports, parties } = this;
		const { ands, tables, r0, alpha, beta } = segment;
		const garblers = parties - 1;
		const perGate = gateWords(parties);
		for (let done = 0; done < count; done += at.ands) {
			const q = first + done;
			const n = Math.min(at.ands, count - done);
			for (const [i, list] of [ands.gateIds, ands.inA, ands.inB, ands.out].entries()) words.set(list.subarray(q, q + n), (at.gateIds >>> 2) + i * at.ands);
			this.copyShares(r0, alpha, beta, q, n);
			tables.forEach((table, g) => words.set(table.subarray(q * perGate, (q + n) * perGate), (at.tables >>> 2) + g * at.ands * perGate));
			exports.evaluatorHashInputs(n);
			blockCipher().encryptFixed(words, at.keys >>> 2, words, at.pads >>> 2, n * garblers * parties);
			const failed = exports.openRows(n);
			if (failed !== 0) {
				const g = (failed - 1) % garblers;
				rowCheckFailed(g < ctx.me ? g : g + 1, parties, ands.gateIds[q + Math.floor((failed - 1) / garblers)]);
			}
		}
	}

	/** The run's constants into the module, before its first chunk. */
	private layOut(ctx: GarbleContext): void {
		if (this.laidOut) return;
		const { at } = this;
		this.words.set(ctx.delta, at.delta >>> 2);
		this.exports.chunkLayout(
			this.parties,
			ctx.me,
			ctx.evaluator,
			at.ands,
			at.delta,
			at.gateIds,
			at.r0Bits,
			at.r0Words,
			at.alphaBits,
			at.alphaWords,
			at.betaBits,
			at.betaWords,
			at.labelAlpha,
			at.keys,
			at.pads,
			at.tables,
			at.rows,
			at.parts
		);
		this.laidOut = true;
	}

	/** Bits [first, first + n) of r0, α and β with their MACs and keys into the chunk. */
	private copyShares(r0: AuthBits, alpha: AuthBits, beta: AuthBits, first: number, n: number): void {
		const { at, bytes, words } = this;
		const stride = r0.stride;
		const places = [
			[r0, at.r0Bits, at.r0Words],
			[alpha, at.alphaBits, at.alphaWords],
			[beta, at.betaBits, at.betaWords]
		] as const;
		for (const [shares, bitsAt, wordsAt] of places) {
			bytes.set(shares.bits.subarray(first, first + n), bitsAt);
			words.set(shares.words.subarray(first * stride, (first + n) * stride), wordsAt >>> 2);
		}
	}
}
