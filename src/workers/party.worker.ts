import * as Comlink from 'comlink';
import { ENGINE_VERSION, PROTOCOL_VERSION } from '../lib/version';

/** What the page can ask of the Worker. Crypto never runs on the page's thread. */
const api = {
	version(): { engine: string; protocol: number } {
		return { engine: ENGINE_VERSION, protocol: PROTOCOL_VERSION };
	}
};

export type PartyWorkerApi = typeof api;

Comlink.expose(api);
