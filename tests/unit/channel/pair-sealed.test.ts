import { describe, expect, it } from 'vitest';
import { MemoryNetwork, type Interceptor } from '../../../src/lib/channel/memory';
import { PairKeyError, PairSealedChannel } from '../../../src/lib/channel/pair-sealed';
import { SealError } from '../../../src/lib/channel/sealed';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 5 + 3);
const SALT = Uint8Array.of(1, 2, 3);

function pair(interceptor?: Interceptor) {
	const net = new MemoryNetwork(interceptor);
	const a = new PairSealedChannel(net.channel(0), { key: KEY, session: 's', party: 0 });
	const b = new PairSealedChannel(net.channel(1), { key: KEY, session: 's', party: 1 });
	return { net, a, b };
}

describe('PairSealedChannel', () => {
	it('opens the first message with the session key alone, everything after only once both ends keyed the pair alike', async () => {
		const { a, b } = pair();
		await a.sendBytesTo(1, Uint8Array.of(1));
		expect([...(await b.recvBytesFrom(0))]).toEqual([1]);
		a.link(1, b.share, SALT);
		b.link(0, a.share, SALT);
		await a.sendBytesTo(1, Uint8Array.of(2));
		await b.sendBytesTo(0, Uint8Array.of(3));
		expect([...(await b.recvBytesFrom(0))]).toEqual([2]);
		expect([...(await a.recvBytesFrom(1))]).toEqual([3]);
	});

	it('sends and receives nothing but the opening before the pair is keyed', async () => {
		const { a, b } = pair();
		await a.sendBytesTo(1, Uint8Array.of(1));
		await expect(a.sendBytesTo(1, Uint8Array.of(2))).rejects.toThrow(PairKeyError);
		await b.recvBytesFrom(0);
		await expect(b.recvBytesFrom(0)).rejects.toThrow('cannot key the pair with party 0: nothing but the opening message can be received before the pair is keyed');
	});

	it('fails authentication when the two ends keyed the pair with different salts (different openings)', async () => {
		const { a, b } = pair();
		await a.sendBytesTo(1, Uint8Array.of(1));
		await b.recvBytesFrom(0);
		a.link(1, b.share, SALT);
		b.link(0, a.share, Uint8Array.of(9));
		await a.sendBytesTo(1, Uint8Array.of(2));
		await expect(b.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('does not open what an earlier run of the same session and key sent', async () => {
		const recorded: Uint8Array[] = [];
		const first = pair((from, _to, bytes) => (from === 0 && recorded.push(bytes.slice()), bytes));
		await first.a.sendBytesTo(1, Uint8Array.of(1));
		first.a.link(1, first.b.share, SALT);
		await first.a.sendBytesTo(1, Uint8Array.of(2));

		const again = pair();
		again.b.link(0, again.a.share, SALT);
		for (const bytes of recorded) await again.net.channel(0).sendBytesTo(1, bytes);
		// The opening opens (any holder of the session key could have sealed it); what follows does not.
		expect([...(await again.b.recvBytesFrom(0))]).toEqual([1]);
		await expect(again.b.recvBytesFrom(0)).rejects.toThrow(SealError);
	});

	it('refuses a share that is no usable X25519 public key, and a pair keyed twice', () => {
		const { a, b } = pair();
		expect(() => a.link(1, new Uint8Array(32), SALT)).toThrow('cannot key the pair with party 1: its key share is not a usable X25519 public key');
		a.link(1, b.share, SALT);
		expect(() => a.link(1, b.share, SALT)).toThrow(PairKeyError);
	});
});
