import { randomFill } from './block';
import { bytesEqual, digestOf } from './hash';

const DOMAIN = new TextEncoder().encode('polytune-web commitment v1');
export const COMMITMENT_BYTES = 32;
export const OPENING_RANDOMNESS_BYTES = 16;

/**
 * A hiding and binding commitment in the random-oracle model:
 * SHA-256(domain ‖ 16 random bytes ‖ value). Open by revealing the randomness and the value.
 */
export function commit(value: Uint8Array): { commitment: Uint8Array; randomness: Uint8Array } {
	const randomness = randomFill(new Uint8Array(OPENING_RANDOMNESS_BYTES));
	return { commitment: digestOf(DOMAIN, randomness, value), randomness };
}

/** Whether (randomness, value) opens `commitment`. */
export function verifyCommitment(commitment: Uint8Array, randomness: Uint8Array, value: Uint8Array): boolean {
	return randomness.length === OPENING_RANDOMNESS_BYTES && bytesEqual(commitment, digestOf(DOMAIN, randomness, value));
}
