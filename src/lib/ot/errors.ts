/** A check inside an OT protocol failed: `party` sent data that does not verify. */
export class OtCheckError extends Error {
	override name = 'OtCheckError';
	constructor(
		readonly check: string,
		readonly party: number,
		message: string
	) {
		super(message);
	}
}
