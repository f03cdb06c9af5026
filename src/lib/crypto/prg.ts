import { blockCipher, type Keystream } from './backend';
import { BLOCK_WORDS, randomBlocks } from './block';

const BUFFER_BLOCKS = 256;

/**
 * A seeded pseudorandom generator: AES-128-CTR under the seed as key, read as one sequence of
 * 32-bit words. Every method takes the next words of that sequence and the keystream is only
 * ever asked for whole blocks, so two parties holding the same seed draw the same values for
 * any sequence of calls, whatever their AES backend.
 */
export class Prg {
	private readonly stream: Keystream;
	private readonly buffer = new Uint32Array(BUFFER_BLOCKS * BLOCK_WORDS);
	/** Next unused word of `buffer`; at its end the stream sits on a block boundary. */
	private position = this.buffer.length;

	constructor(seed: Uint32Array, seedOffset = 0) {
		this.stream = blockCipher().keystream(seed.subarray(seedOffset, seedOffset + BLOCK_WORDS));
	}

	/** A generator with a fresh random seed. */
	static random(): Prg {
		return new Prg(randomBlocks(1));
	}

	/** Writes the next `count` words to out[offset…]. */
	fillWords(out: Uint32Array, offset: number, count: number): void {
		const buffered = Math.min(count, this.buffer.length - this.position);
		out.set(this.buffer.subarray(this.position, this.position + buffered), offset);
		this.position += buffered;
		let done = buffered;
		if (done === count) return;
		// The buffer is used up, so the stream is at a block boundary: whole blocks go straight
		// to `out`, a last partial block through the buffer.
		const direct = (count - done) >>> 2;
		if (direct > 0) this.stream.fill(out, offset + done, direct);
		done += direct * BLOCK_WORDS;
		if (done === count) return;
		this.refill();
		const rest = count - done;
		out.set(this.buffer.subarray(0, rest), offset + done);
		this.position = rest;
	}

	/** Writes `count` pseudorandom blocks to out[offset…]. */
	fillBlocks(out: Uint32Array, offset: number, count: number): void {
		this.fillWords(out, offset, count * BLOCK_WORDS);
	}

	/** `count` pseudorandom blocks. */
	blocks(count: number): Uint32Array {
		const out = new Uint32Array(count * BLOCK_WORDS);
		this.fillBlocks(out, 0, count);
		return out;
	}

	/** One pseudorandom 32-bit word. */
	word(): number {
		if (this.position === this.buffer.length) this.refill();
		return this.buffer[this.position++];
	}

	/** A uniform integer in [0, bound), bound ≤ 2^32, by rejection sampling. */
	below(bound: number): number {
		if (bound <= 1) return 0;
		const limit = 0x100000000 - (0x100000000 % bound);
		for (;;) {
			const x = this.word();
			if (x < limit) return x % bound;
		}
	}

	/** `count` pseudorandom bits as 0/1 bytes written to out[offset…]. */
	fillBits(out: Uint8Array, offset: number, count: number): void {
		let i = 0;
		while (i < count) {
			const w = this.word();
			const take = Math.min(32, count - i);
			for (let b = 0; b < take; b++) out[offset + i + b] = (w >>> b) & 1;
			i += take;
		}
	}

	/** `count` pseudorandom bits as 0/1 bytes. */
	bits(count: number): Uint8Array {
		const out = new Uint8Array(count);
		this.fillBits(out, 0, count);
		return out;
	}

	private refill(): void {
		this.stream.fill(this.buffer, 0, BUFFER_BLOCKS);
		this.position = 0;
	}
}
