/** The first index where two arrays differ (−1: none), so that large arrays compare fast and a failure says where. */
export function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
	if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
	for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return i;
	return -1;
}
