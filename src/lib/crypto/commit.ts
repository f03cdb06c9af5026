import { randomFill } from './block';
import { bytesEqual, digestOf } from './hash';

const DOMAIN = new TextEncoder().encode('polytune-web commitment v2');
export const COMMITMENT_BYTES = 32;
export const OPENING_RANDOMNESS_BYTES = 16;

/**
 * A hiding and binding commitment in the random-oracle model:
 * SHA-256(domain ‖ |binding| ‖ binding ‖ 16 random bytes ‖ value). `binding` names what the
 * commitment is bound to (for the protocol: the run, the purpose and the committer), so that a
 * commitment copied into another context, or from another committer, never opens there.
 * Open by revealing the randomness and the value.
 */
export function commit(value: Uint8Array, binding: Uint8Array): { commitment: Uint8Array; randomness: Uint8Array } {
	const randomness = randomFill(new Uint8Array(OPENING_RANDOMNESS_BYTES));
	return { commitment: commitmentOf(binding, randomness, value), randomness };
}

/** Whether (randomness, value) opens `commitment` made under `binding`. */
export function verifyCommitment(commitment: Uint8Array, randomness: Uint8Array, value: Uint8Array, binding: Uint8Array): boolean {
	return randomness.length === OPENING_RANDOMNESS_BYTES && bytesEqual(commitment, commitmentOf(binding, randomness, value));
}

function commitmentOf(binding: Uint8Array, randomness: Uint8Array, value: Uint8Array): Uint8Array {
	const length = new Uint8Array(4);
	new DataView(length.buffer).setUint32(0, binding.length);
	return digestOf(DOMAIN, length, binding, randomness, value);
}
