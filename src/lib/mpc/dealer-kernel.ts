import { jsDealerKernel } from './dealer-js';
import type { DrawnShares } from './share-store';

/*
 * The trusted dealer's MACs (dealer.ts): for party i and every peer j,
 * M_j[x^i] = K_j[x^i] ⊕ x^i·Δ_j over a segment's drawn shares, which the dealer sends to i. As
 * a kernel: the JavaScript one (dealer-js.ts) or the WebAssembly one (dealer-wasm.ts), into
 * whose memory the shares are drawn, and which a fresh process runs at full speed from its
 * first segment.
 */

/** One dealer's storage and MAC loop. */
export interface DealerMacs {
	/** Storage for every party's shares of `items` bits, with keys for its `parties − 1` peers: valid until the next call. */
	shares(parties: number, items: number): DrawnShares[];
	/**
	 * Party i's MACs from the shares of the last `shares` call and every party's Δ (`deltas`):
	 * into `macs`, block t·peers + (slot of j among i's peers) for bit t and peer j.
	 */
	macs(i: number, macs: Uint32Array, deltas: readonly Uint32Array[]): void;
}

export interface DealerKernel {
	readonly name: string;
	/** A dealer's own storage and MAC loop, for one run. */
	create(): DealerMacs;
}

let kernel: DealerKernel = jsDealerKernel;

export function dealerKernel(): DealerKernel {
	return kernel;
}

/** Selects the dealer kernel for runs started from now on (the kernel sets install one). */
export function setDealerKernel(next: DealerKernel): void {
	kernel = next;
}
