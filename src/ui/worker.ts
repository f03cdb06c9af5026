import * as Comlink from 'comlink';
import type { PartyWorkerApi } from '../workers/party.worker';

export interface PartyWorker {
	api: Comlink.Remote<PartyWorkerApi>;
	terminate: () => void;
}

/** Starts a party Worker and returns its Comlink proxy; call `terminate` when done. */
export function startPartyWorker(): PartyWorker {
	const worker = new Worker(new URL('../workers/party.worker.ts', import.meta.url), { type: 'module' });
	return { api: Comlink.wrap<PartyWorkerApi>(worker), terminate: () => worker.terminate() };
}
