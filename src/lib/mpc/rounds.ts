import { concatBytes } from '../crypto/block';
import type { Session } from './session';

/**
 * One protocol's share of a round: what it sends each peer and what it takes from each. Parts
 * of several protocols (say, the global key check of one step and the first half-AND message of
 * the next) travel in one message per peer, so that they cost one flight instead of two.
 */
export interface RoundPart {
	/** The bytes for `peer` (computed when the round is sent). */
	message(peer: number): Uint8Array;
	/** How many bytes `peer` sends in this part. */
	length(peer: number): number;
	/** Takes every peer's bytes of this part, indexed by party (this party's own entry is empty). */
	accept(received: readonly Uint8Array[]): void | Promise<void>;
}

/** Sends every part to every peer in one message per peer on `stream`, then hands each part its bytes. */
export async function runRound(session: Session, parts: readonly RoundPart[], what: string, stream: number): Promise<void> {
	const messages = new Map<number, Uint8Array[]>();
	for (const peer of session.peers) messages.set(peer, parts.map((part) => part.message(peer)));
	const received = await session.exchange(
		(peer) => concatBytes(...messages.get(peer)!),
		(peer) => parts.reduce((sum, part) => sum + part.length(peer), 0),
		what,
		stream
	);
	const byPart = parts.map((): Uint8Array[] => Array.from({ length: session.parties }, () => new Uint8Array(0)));
	for (const peer of session.peers) {
		let at = 0;
		parts.forEach((part, i) => {
			const length = part.length(peer);
			byPart[i][peer] = received[peer].subarray(at, at + length);
			at += length;
		});
	}
	for (const [i, part] of parts.entries()) await part.accept(byPart[i]);
}
