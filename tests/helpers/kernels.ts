// The WebAssembly kernels for unit tests, compiled from the current sources when they changed
// (the unit project has no global set-up that builds them).
import { buildWasm } from '../../scripts/build-wasm.js';
import type { WasmKernels } from '../../src/lib/crypto/wasm-kernels';
import { loadKernels } from '../../src/node/kernels';

export async function wasmKernels(): Promise<WasmKernels> {
	await buildWasm();
	const kernels = loadKernels();
	if (!kernels) throw new Error('this Node has no WebAssembly SIMD');
	return kernels;
}
