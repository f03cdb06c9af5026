// The Worker's crypto kernels: the WebAssembly SIMD ones (every kernel, AES included, as
// browsers have no AES instructions), or the JavaScript ones where WebAssembly SIMD is missing
// or the module fails to load.
import { blockCipher } from '../lib/crypto/backend';
import { installJsKernels, installWasmKernels, instantiateKernels, WASM_KERNELS_NAME, type WasmKernels } from '../lib/crypto/wasm-kernels';
import type { BenchRequest } from './api';

/** Built by `npm run build:wasm`; vite emits it as an asset of the Worker. */
const KERNELS_URL = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

async function loadKernels(): Promise<WasmKernels | null> {
	try {
		const response = await fetch(KERNELS_URL);
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		const kernels = await instantiateKernels(await response.arrayBuffer());
		if (kernels) installWasmKernels(kernels, { aes: true });
		else console.warn('WebAssembly kernels unavailable, using JavaScript: this browser has no WebAssembly SIMD');
		return kernels;
	} catch (error) {
		console.warn(`WebAssembly kernels unavailable, using JavaScript: ${error instanceof Error ? error.message : String(error)}`);
		return null;
	}
}

const loaded = loadKernels();

/** The kernels in use (`wasm-simd` or `t-table`), once installed: runs wait for this before they start. */
export async function kernelsReady(): Promise<string> {
	await loaded;
	return blockCipher().name;
}

/**
 * Switches this Worker to `choice` (the benchmark page compares them); the JavaScript ones where
 * the WebAssembly ones did not load. Resolves with the name of the kernels now in use.
 */
export async function useKernels(choice: BenchRequest['kernels']): Promise<string> {
	const kernels = await loaded;
	if (choice === WASM_KERNELS_NAME && kernels) installWasmKernels(kernels, { aes: true });
	else installJsKernels();
	return blockCipher().name;
}
