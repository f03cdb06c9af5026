import { configFromEnv, type RelayConfig } from './config';
import { RelayError } from './errors';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { Relay } from './relay';
import type { RelayStore } from './store';

/** One relay per process, kept on globalThis so that dev-server reloads do not make a second. */
const INSTANCE = Symbol.for('polytune.relay');
type WithRelay = typeof globalThis & { [INSTANCE]?: Relay };

/** The process's relay, configured from the environment on first use. */
export function getRelay(): Relay {
	const holder = globalThis as WithRelay;
	if (!holder[INSTANCE]) {
		const config = configFromEnv(process.env);
		const relay = new Relay(createStore(config), config);
		relay.startSweeping((error) => {
			// An unreachable store has been reported once already.
			if (!(error instanceof RelayError && error.kind === 'unavailable')) console.error(`polytune relay: sweeping expired sessions failed: ${String(error)}`);
		});
		// adapter-node emits this after SIGINT/SIGTERM (and `polytune serve` before it closes).
		process.once('sveltekit:shutdown', () => void relay.close());
		holder[INSTANCE] = relay;
	}
	return holder[INSTANCE];
}

function createStore(config: RelayConfig): RelayStore {
	return config.store === 'memory' ? new MemoryStore(config) : new RedisStore(config.store, config);
}
