import { readFileSync } from 'node:fs';
import { aeadKernel, setAeadKernel } from '../lib/crypto/aead';
import { setBlockCipher } from '../lib/crypto/backend';
import { setCurve25519Kernel } from '../lib/crypto/curve25519';
import { installJsKernels, installWasmKernels, instantiateKernelsSync, type WasmKernels } from '../lib/crypto/wasm-kernels';
import { createAesNiCipher } from './aesni';
import { openSslCurve25519 } from './curve25519';
import { createOpenSslAead } from './openssl-aead';

/**
 * The kernel sets a Node process can run with: `aes-ni` (the CLI's: OpenSSL's AES-NI, its
 * ChaCha20-Poly1305 for long messages and its Ed25519 and X25519, the WebAssembly kernels for GF(2^128), the
 * transposition and ristretto255), `wasm-simd` (the browser's: every
 * kernel in WebAssembly) and `t-table` (JavaScript only: the fallback where WebAssembly SIMD is
 * missing).
 */
export const NODE_BACKENDS = ['aes-ni', 'wasm-simd', 't-table'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/**
 * Where `npm run build:wasm` puts the module: two levels up from this file in the sources
 * (src/node) and from the bundled CLI (dist/cli) alike.
 */
const KERNELS_URL = new URL('../../dist/wasm/kernels.wasm', import.meta.url);

let loaded: WasmKernels | null | undefined;

/** The WebAssembly kernels (read and instantiated once); null where this Node has no WebAssembly SIMD. */
export function loadKernels(): WasmKernels | null {
	if (loaded !== undefined) return loaded;
	let bytes: Uint8Array<ArrayBuffer>;
	try {
		bytes = readFileSync(KERNELS_URL);
	} catch (error) {
		throw new Error(`the WebAssembly kernels are missing (${KERNELS_URL.pathname}): run npm run build:wasm (${(error as Error).message})`);
	}
	loaded = instantiateKernelsSync(bytes);
	return loaded;
}

/** Installs a kernel set for the whole process (at start-up); JavaScript where WebAssembly SIMD is missing. */
export function installNodeKernels(backend: NodeBackend = 'aes-ni'): void {
	installJsKernels();
	const kernels = backend === 't-table' ? null : loadKernels();
	if (kernels) installWasmKernels(kernels, { aes: backend === 'wasm-simd' });
	if (backend === 'aes-ni') {
		setBlockCipher(createAesNiCipher());
		setAeadKernel(createOpenSslAead(aeadKernel()));
		setCurve25519Kernel(openSslCurve25519);
	}
}
