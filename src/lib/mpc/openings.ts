/** What a run opens with MAC digests (beaver.ts Opening): each kind numbers its openings. */
const KINDS = { beaver: 1, buckets: 2 } as const;

/**
 * The number of an opening, unique within the run and the same at every party whatever order
 * concurrent parts of the run open in: it goes into the tweak of every MAC hash of the opening.
 */
export function openingId(kind: keyof typeof KINDS, index: number): number {
	if (!Number.isInteger(index) || index < 0 || index >= 1 << 24) throw new Error(`opening ${kind} ${index}: the index must be below 2^24`);
	return (KINDS[kind] << 24) | index;
}

/** The tweak's third word in every MAC hash of an opening (digest-kernel.ts). */
export const OPENING_TWEAK_DOMAIN = 0x6e65706f; // 'open'
