/** Version of this engine, shown in the UI and the CLI. */
export const ENGINE_VERSION = '0.1.0';

/**
 * Version of the wire protocol between parties. Parties refuse to run with a peer that
 * speaks another version; bump it whenever a message format or protocol step changes.
 */
export const PROTOCOL_VERSION = 8;
