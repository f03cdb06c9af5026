// The Worker of `npm run bench:kernels -- --browser` (bundled by esbuild): installs the kernels
// it is told to, with the WebAssembly ones fetched as the app's Worker fetches them, and
// answers with the timings of bench/kernel-timings.ts.
import { installJsKernels, installWasmKernels, instantiateKernels } from '../src/lib/crypto/wasm-kernels';
import { timeEngine, timeKernels } from './kernel-timings';

export interface WorkerRequest {
	backend: 'wasm-simd' | 't-table';
	/** Whether to time the kernels before the engine (not while profiling the engine). */
	kernels: boolean;
	wasmUrl: string;
	programs: string[];
	reps: number;
}

addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
	const { backend, kernels: withKernels, wasmUrl, programs, reps } = event.data;
	try {
		installJsKernels();
		if (backend === 'wasm-simd') {
			const kernels = await instantiateKernels(await (await fetch(wasmUrl)).arrayBuffer());
			if (!kernels) throw new Error('this browser has no WebAssembly SIMD');
			installWasmKernels(kernels, { aes: true });
		}
		const kernels = withKernels ? timeKernels() : undefined;
		const engine = [];
		for (const source of programs) engine.push(await timeEngine(source, reps));
		postMessage({ kernels, engine });
	} catch (error) {
		postMessage({ error: error instanceof Error ? error.message : String(error) });
	}
});
