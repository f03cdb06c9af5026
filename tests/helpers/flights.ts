import type { Channel } from '../../src/lib/channel/channel';

/**
 * Counts the flights of a run: the length of the longest chain of messages in which each
 * message is sent after its sender received the previous one. Over a network with round-trip
 * time r, a run needs at least flights × r / 2 of waiting, whatever its bandwidth.
 *
 * Every participant keeps a logical (Lamport) clock that starts at 1: a send stamps the message
 * with the sender's clock, a receive sets the receiver's clock to max(clock, stamp + 1). So a
 * message sent before anything was received is in flight 1, and `flights` is the largest
 * stamp. Stamps travel beside the messages, in one FIFO per direction: the wrapped channels
 * must deliver every message in order (a MemoryNetwork without an interceptor does).
 */
export class FlightCounter {
	/** The largest stamp sent so far. */
	flights = 0;
	/** Messages sent so far. */
	messages = 0;
	private readonly clocks = new Map<number, number>();
	private readonly stamps = new Map<string, number[]>();

	/** `channel` of participant `party`, with every message it sends and receives counted. */
	wrap(party: number, channel: Channel): Channel {
		return {
			sendBytesTo: (to, bytes, info) => {
				const stamp = this.clock(party);
				this.direction(party, to).push(stamp);
				this.flights = Math.max(this.flights, stamp);
				this.messages++;
				return channel.sendBytesTo(to, bytes, info);
			},
			recvBytesFrom: async (from, info) => {
				const bytes = await channel.recvBytesFrom(from, info);
				const stamp = this.direction(from, party).shift();
				if (stamp === undefined) throw new Error(`FlightCounter: party ${party} received a message from party ${from} that was never sent through a counted channel`);
				this.clocks.set(party, Math.max(this.clock(party), stamp + 1));
				return bytes;
			}
		};
	}

	private clock(party: number): number {
		return this.clocks.get(party) ?? 1;
	}

	private direction(from: number, to: number): number[] {
		const key = `${from}>${to}`;
		let queue = this.stamps.get(key);
		if (!queue) this.stamps.set(key, (queue = []));
		return queue;
	}
}
