// The Worker's crypto kernels: the WebAssembly SIMD ones (every kernel, AES included, as
// browsers have no AES instructions), or the JavaScript ones where WebAssembly SIMD is missing
// or the module fails to load.
import { blockCipher } from '../lib/crypto/backend';
import { installWasmKernels, instantiateKernels } from '../lib/crypto/wasm-kernels';

/** Built by `npm run build:wasm`; vite emits it as an asset of the Worker. */
const KERNELS_URL = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

async function loadKernels(): Promise<void> {
	try {
		const response = await fetch(KERNELS_URL);
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		const kernels = await instantiateKernels(await response.arrayBuffer());
		if (kernels) installWasmKernels(kernels, { aes: true });
	} catch (error) {
		console.warn(`WebAssembly kernels unavailable, using JavaScript: ${error instanceof Error ? error.message : String(error)}`);
	}
}

const loaded = loadKernels();

/** The kernels in use (`wasm-simd` or `t-table`), once installed: runs wait for this before they start. */
export async function kernelsReady(): Promise<string> {
	await loaded;
	return blockCipher().name;
}
