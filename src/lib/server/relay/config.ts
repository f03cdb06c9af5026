/** The relay's limits and settings, read once from the environment at start-up. */
export interface RelayConfig {
	/** Largest message body for POST /send. */
	maxMessageBytes: number;
	/** Largest session info blob for PUT /info. */
	maxInfoBytes: number;
	/** Most bytes one session may hold (queued messages plus its info blob). */
	maxSessionBytes: number;
	/** Most bytes all sessions together may hold. */
	maxTotalBytes: number;
	/** Most live sessions at once. */
	maxSessions: number;
	/** A session with no request for this long is deleted with everything in it. */
	sessionTtlMs: number;
	/** Upper bound for a long poll's `?wait=`. */
	maxWaitMs: number;
	/** How often expired sessions are swept away. */
	sweepIntervalMs: number;
	/** A slot claimed with a token may be claimed by another token once its holder has not been seen for this long. */
	slotLeaseMs: number;
	/** `memory`, or a `redis://` URL for the shared Redis store. */
	store: string;
}

const MiB = 1024 * 1024;

export const DEFAULT_CONFIG: RelayConfig = {
	maxMessageBytes: 16 * MiB,
	maxInfoBytes: 1 * MiB,
	maxSessionBytes: 256 * MiB,
	maxTotalBytes: 1024 * MiB,
	maxSessions: 10_000,
	sessionTtlMs: 3600_000,
	maxWaitMs: 30_000,
	sweepIntervalMs: 60_000,
	slotLeaseMs: 60_000,
	store: 'memory'
};

/** Each setting's environment variable, its unit and the largest sane value. */
const VARIABLES = {
	maxMessageBytes: { name: 'RELAY_MAX_MESSAGE_BYTES', scale: 1, max: 1024 * MiB },
	maxInfoBytes: { name: 'RELAY_MAX_INFO_BYTES', scale: 1, max: 64 * MiB },
	maxSessionBytes: { name: 'RELAY_MAX_SESSION_BYTES', scale: 1, max: Number.MAX_SAFE_INTEGER },
	maxTotalBytes: { name: 'RELAY_MAX_TOTAL_BYTES', scale: 1, max: Number.MAX_SAFE_INTEGER },
	maxSessions: { name: 'RELAY_MAX_SESSIONS', scale: 1, max: 100_000_000 },
	sessionTtlMs: { name: 'RELAY_SESSION_TTL_SECONDS', scale: 1000, max: 365 * 24 * 3600_000 },
	maxWaitMs: { name: 'RELAY_MAX_WAIT_MS', scale: 1, max: 600_000 },
	sweepIntervalMs: { name: 'RELAY_SWEEP_SECONDS', scale: 1000, max: 24 * 3600_000 },
	slotLeaseMs: { name: 'RELAY_SLOT_LEASE_SECONDS', scale: 1000, max: 24 * 3600_000 }
} as const;

/** The environment variable of a setting, for messages that name a limit. */
export function variableName(setting: keyof typeof VARIABLES): string {
	return VARIABLES[setting].name;
}

/** Reads the relay settings from `env`; a malformed value throws an error that names the variable. */
export function configFromEnv(env: Record<string, string | undefined>): RelayConfig {
	const config: RelayConfig = { ...DEFAULT_CONFIG };
	for (const [setting, { name, scale, max }] of Object.entries(VARIABLES)) {
		const raw = env[name]?.trim();
		if (raw === undefined || raw === '') continue;
		if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) * scale > max) {
			throw new Error(`${name} must be a whole number from 1 to ${max / scale}, got '${raw}'`);
		}
		config[setting as keyof typeof VARIABLES] = Number(raw) * scale;
	}
	const store = env.RELAY_STORE?.trim();
	if (store) config.store = parseStoreSetting(store, 'RELAY_STORE');
	checkTtlCoversWaits(config);
	return config;
}

/**
 * A long poll is a request that names the session only when it starts: a session whose
 * parties all wait in long polls shows no activity for up to `maxWaitMs`. Twice that keeps
 * such a session alive (the soak found sessions expiring under parties that waited).
 */
function checkTtlCoversWaits({ sessionTtlMs, maxWaitMs }: RelayConfig): void {
	if (sessionTtlMs >= 2 * maxWaitMs) return;
	throw new Error(
		`${VARIABLES.sessionTtlMs.name} (${sessionTtlMs / 1000} s) must be at least twice ${VARIABLES.maxWaitMs.name} (${maxWaitMs} ms): ` +
			'a session would expire while its parties wait in long polls'
	);
}

/** Accepts `memory` or a `redis://`/`rediss://` URL; `source` names where the value came from. */
export function parseStoreSetting(value: string, source: string): string {
	if (value === 'memory') return value;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new Error(`${source} must be 'memory' or a redis:// URL, got '${value}'`);
	}
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		throw new Error(`${source} must be 'memory' or a redis:// URL, got '${value}'`);
	}
	return value;
}

/** A byte count for people: `16 MiB`, `512 KiB`, `300 bytes`. */
export function formatBytes(bytes: number): string {
	for (const [unit, size] of [
		['GiB', 1024 * MiB],
		['MiB', MiB],
		['KiB', 1024]
	] as const) {
		if (bytes >= size) return `${+(bytes / size).toFixed(2)} ${unit}`;
	}
	return `${bytes} bytes`;
}
