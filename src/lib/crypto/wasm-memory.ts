/** Where an instance of the kernels module has memory free for its caller: after its static data, 64-byte aligned. */
export function heapStart(exports: { heapBase(): number }): number {
	return Math.ceil(exports.heapBase() / 64) * 64;
}

/**
 * Grows `memory` (whole 64 KiB pages) to hold `bytes` bytes from `start` on; its views taken
 * before then no longer see it. What the engine cannot give is an error that says what needed
 * it, and how much.
 */
export function growTo(memory: WebAssembly.Memory, start: number, bytes: number, what: string): void {
	const pages = Math.ceil((start + bytes) / 65536) - memory.buffer.byteLength / 65536;
	if (pages <= 0) return;
	try {
		memory.grow(pages);
	} catch (error) {
		const mib = Math.ceil(bytes / 2 ** 20);
		throw new Error(`${what} needs ${mib} MiB, which this engine could not give a WebAssembly memory (at most 4 GiB): ${(error as Error).message}`);
	}
}
