import { MemoryStore } from '../../../src/lib/server/relay/memory-store';
import { relayCoreSuite } from './core-suite';

relayCoreSuite('memory', async (config) => new MemoryStore(config));
