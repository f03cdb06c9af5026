/**
 * The statistical security of a run: every statistical check together (each kind for the whole
 * run, across its batches) lets a cheater through with probability at most 2^-STATISTICAL_SECURITY.
 *
 * Bucket sizes for Π_aAND (WRK17 §3.3). Leaky triples leak the honest x only to an adversary
 * that guesses in Π_LaAND, and each guess is caught with probability 1/2; a combined triple
 * leaks only if every one of its B leaky triples did. With ℓ triples in a batch of ℓ·B leaky
 * ones, randomly permuted into buckets, an adversary that guesses on t leaky triples succeeds
 * with probability at most 2^-t · ℓ · C(t, B) / C(ℓB, B), summed over the batches.
 *
 * The OT-extension check (KOS's, on SoftSpokenOT's matrix; ot/kos.ts) is not charged here: its
 * hash fails with probability at most ℓ·4^k·m′/2^128 < 2^-84 per batch and pair (SoftSpokenOT
 * §4), below 2^-68 for any run, and a receiver that passes it by betting on chunks of Δ learns
 * those bits with the probability of its bet, which leaves Δ as hard to guess as before
 * (docs/security.md).
 */

/** Bits of statistical security of each kind of check, for the whole run. */
export const STATISTICAL_SECURITY = 40;

/**
 * Repetitions ρ of a check that catches a cheater with probability 1/2 per repetition (the
 * random subset sums of Π_LaAND, the check bits of Π_aShare), when the run makes `checks`
 * independent checks of that kind: 2^-ρ each, 2^-40 for all of them.
 */
export function checkRepetitions(checks: number): number {
	return STATISTICAL_SECURITY + Math.ceil(Math.log2(checks));
}

/** log2 C(n, k). */
function log2Binomial(n: number, k: number): number {
	let sum = 0;
	for (let i = 0; i < k; i++) sum += Math.log2((n - i) / (k - i));
	return sum;
}

/** log2 of the bound above for `triples` triples in buckets of `bucket`, maximised over the adversary's t. */
export function bucketFailureLog2(triples: number, bucket: number): number {
	// 2^-t · C(t, B) grows while t < 2B − 1 and shrinks after: the maximum is near t = 2B.
	let worst = -Infinity;
	const all = log2Binomial(triples * bucket, bucket);
	for (let t = bucket; t <= Math.min(triples * bucket, 2 * bucket + 2); t++) {
		worst = Math.max(worst, -t + Math.log2(triples) + log2Binomial(t, bucket) - all);
	}
	return Math.min(0, worst);
}

/** The smallest bucket size that keeps `batches` batches of `triples` triples within STATISTICAL_SECURITY. */
export function bucketSize(triples: number, batches = 1): number {
	const budget = -STATISTICAL_SECURITY - Math.log2(batches);
	let bucket = 2;
	while (bucketFailureLog2(triples, bucket) > budget) bucket++;
	return bucket;
}
