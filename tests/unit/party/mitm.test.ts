// A key holder together with an active relay between two parties (docs/security.md, the roles
// table): the relay hands each of the pair the other's hello with a key share of the key
// holder's own in it, so that each keys the pair's sealing with the relay, which then opens
// everything and seals it again for the other. With the shared link nothing tells such a hello
// from the real one, and the relay reads what the pair says next. With personal links every
// hello is signed with its party's identity, its share included: both stop at the hellos,
// and the relay reads nothing of theirs but why they stop. The same for a party's call to the
// dealer: with personal links the dealer takes it only signed by its party.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { AbortableChannel, PeerAbortError } from '../../../src/lib/channel/abortable';
import { DEALER_PARTY, type Channel } from '../../../src/lib/channel/channel';
import { PairSealedChannel } from '../../../src/lib/channel/pair-sealed';
import { dealerPublicKey, MismatchError, newDealerGrant, newSlotIdentities, prepareParty, runDealerOver, runPreparedParty, type PartyResult } from '../../../src/lib/party';
import { pairSalt } from '../../../src/lib/party/handshake';
import { runIdentity, signContinuedHello } from '../../../src/lib/party/identity';
import type { DealerCall, DealerHello, Hello } from '../../../src/lib/party/messages';
import { failure, KEY, SESSION, settle, SLOW_RUN_MS, sum, transport, world, type Outcome } from './world';

/** The pair the relay sits between; party 2 is the key holder it works with. */
const PAIR = [0, 1] as const;
const KEY_HOLDER = 2;
/** The tag AbortableChannel puts after an abort notice (its other tags number streams). */
const ABORT_TAG = 0xff;

type Forgery = 'shared link' | 'personal links, the sender’s signature kept' | 'personal links, signed with the key holder’s own pass';

const other = (party: number) => (party === PAIR[0] ? PAIR[1] : PAIR[0]);

/**
 * The relay's two ends of the pair: `faces[p]` talks to party p as if it were p's peer in the
 * pair, with a key share of its own. Every frame between the two is opened by the end facing
 * its sender and sealed again by the end facing its receiver; what was opened after the hellos
 * is kept in `read`.
 */
class RelayInTheMiddle {
	readonly read: { from: number; plain: Uint8Array }[] = [];
	private readonly faces = new Map<number, PairSealedChannel>();
	private readonly arriving = new Map<number, Uint8Array[]>();
	private readonly leaving = new Map<number, Uint8Array[]>();
	private readonly realHellos = new Map<number, Uint8Array>();
	private readonly forgedHellos = new Map<number, Uint8Array>();
	private readonly linked: Promise<void>;
	private bothHellos!: () => void;

	constructor(private readonly forge: (hello: Hello, share: Uint8Array) => Hello) {
		for (const party of PAIR) {
			this.arriving.set(party, []);
			this.leaving.set(party, []);
			const wire: Channel = {
				sendBytesTo: async (_to, bytes) => void this.leaving.get(party)!.push(bytes.slice()),
				recvBytesFrom: async () => this.arriving.get(party)!.shift()!
			};
			this.faces.set(party, new PairSealedChannel(wire, { key: KEY, session: SESSION, party: other(party) }));
		}
		this.linked = new Promise<void>((resolve) => (this.bothHellos = resolve)).then(() => {
			// Each end keys the pair as the party it faces does: with that party's real hello and the forged one it got.
			for (const party of PAIR) {
				const real = this.realHellos.get(party)!;
				const share = hexToBytes((JSON.parse(new TextDecoder().decode(real)) as Hello).share!);
				this.faces.get(party)!.link(party, share, pairSalt(party, other(party), real, this.forgedHellos.get(other(party))!));
			}
		});
	}

	/** What the other of the pair gets instead of the `index`-th frame that `from` sent it. */
	async pass(from: number, frame: Uint8Array, index: number): Promise<Uint8Array> {
		const to = other(from);
		this.arriving.get(from)!.push(frame);
		const plain = await this.faces.get(from)!.recvBytesFrom(from);
		if (index === 0) {
			// The hello: JSON, then its stream tag.
			const real = plain.subarray(0, plain.length - 1);
			const hello = JSON.parse(new TextDecoder().decode(real)) as Hello;
			const forged = new TextEncoder().encode(JSON.stringify(this.forge(hello, this.faces.get(to)!.share)));
			this.realHellos.set(from, real.slice());
			this.forgedHellos.set(from, forged);
			if (this.realHellos.size === PAIR.length) this.bothHellos();
			await this.faces.get(to)!.sendBytesTo(to, Uint8Array.of(...forged, plain[plain.length - 1]));
		} else {
			await this.linked;
			this.read.push({ from, plain: plain.slice() });
			await this.faces.get(to)!.sendBytesTo(to, plain);
		}
		return this.leaving.get(to)!.shift()!;
	}
}

/** `channel` of party `from` through the relay: what it sends the other of the pair passes through `relay`, in order. */
function throughRelay(channel: Channel, from: number, relay: RelayInTheMiddle): Channel {
	let index = 0;
	let last: Promise<void> = Promise.resolve();
	return {
		sendBytesTo: (to, bytes, info) => {
			if (!(PAIR as readonly number[]).includes(from) || to !== other(from)) return channel.sendBytesTo(to, bytes, info);
			const frame = bytes.slice();
			const number = index++;
			last = last.then(async () => channel.sendBytesTo(to, await relay.pass(from, frame, number), info));
			return last;
		},
		recvBytesFrom: channel.recvBytesFrom
	};
}

/** A run of the seed's sum, sealed with a session key, with the relay between parties 0 and 1. */
async function attack(forgery: Forgery): Promise<{ outcomes: Outcome<PartyResult>[]; read: RelayInTheMiddle['read'] }> {
	const { secrets, publicKeys: slotKeys } = newSlotIdentities(3);
	const identities = secrets.map((secret) => runIdentity(bytesToHex(secret)));
	const holder = identities[KEY_HOLDER];
	const relay = new RelayInTheMiddle((hello, share) => {
		const forged = { ...hello, share: bytesToHex(share) };
		if (forgery !== 'personal links, signed with the key holder’s own pass') return forged;
		const continuity = signContinuedHello(holder, { session: SESSION, party: hello.party, nonce: hello.nonce, share: forged.share, ...(hello.ot ? { ot: hello.ot } : {}) });
		return { ...forged, identity: holder.publicKey, continuity };
	});
	const personal = forgery !== 'shared link';
	const w = world({ key: KEY });
	const transports = [0, 1, 2].map((party) => {
		const direct = transport(w, party);
		return { ...direct, channel: throughRelay(direct.channel, party, relay) };
	});
	const runs = sum(['1u32', '2u32', '3u32'], { preprocessing: 'ot' }).map((settings, party) =>
		settle(
			runPreparedParty(transports[party], prepareParty(settings, { keyed: true }), {
				timeoutMs: 10_000,
				...(personal ? { identity: identities[party], knownIdentities: slotKeys } : {})
			})
		)
	);
	// Once anyone has failed, the others get a few seconds to say why, then every wait ends.
	for (const run of runs) void run.then((outcome) => outcome.ok || setTimeout(() => w.net.close(new Error('test: a participant failed')), 3000));
	return { outcomes: await Promise.all(runs), read: relay.read };
}

function handshakeMessage(plain: Uint8Array): { kind?: string } | undefined {
	try {
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain.subarray(0, plain.length - 1))) as { kind?: string };
	} catch {
		return undefined;
	}
}

describe('a key holder with an active relay between two parties', () => {
	it('with the shared link: both take the forged hellos, and the relay reads what each says to the other next', { timeout: SLOW_RUN_MS }, async () => {
		const { outcomes, read } = await attack('shared link');
		for (const from of PAIR) expect(read.some((r) => r.from === from && handshakeMessage(r.plain)?.kind === 'confirm')).toBe(true);
		// Relaying the pair's own confirms, whose transcripts differ, it goes no further here: the run stops.
		for (const outcome of outcomes) expect(outcome.ok).toBe(false);
	});

	for (const forgery of ['personal links, the sender’s signature kept', 'personal links, signed with the key holder’s own pass'] as const) {
		it(`with ${forgery}: both stop at the hellos, naming the other, and the relay reads nothing of theirs but why`, { timeout: SLOW_RUN_MS }, async () => {
			const { outcomes, read } = await attack(forgery);
			for (const party of PAIR) {
				const error = failure(outcomes[party]);
				expect(error).toBeInstanceOf(MismatchError);
				expect((error as MismatchError).check).toBe('identity');
				expect((error as MismatchError).party).toBe(other(party));
			}
			expect(outcomes[KEY_HOLDER].ok).toBe(false);
			expect(read.length).toBeGreaterThan(0);
			for (const { plain } of read) expect(plain[plain.length - 1]).toBe(ABORT_TAG);
		});
	}
});

/** A channel end the relay holds for a PairSealedChannel of its own: frames are handed in and taken out by hand. */
function handWire() {
	const arriving: Uint8Array[] = [];
	const leaving: Uint8Array[] = [];
	const channel: Channel = {
		sendBytesTo: async (_to, bytes) => void leaving.push(bytes.slice()),
		recvBytesFrom: async () => arriving.shift()!
	};
	return { arriving, leaving, channel };
}

const VICTIM = 0;

/**
 * A dealer run of the sum in which the relay, with the session key, puts a key share of its own
 * into party 0's call to the dealer (party 0's signature, if any, kept) and then reads what the
 * dealer sends party 0. Returns the dealer's outcome and the dealer's messages to party 0 that
 * the relay could open.
 */
async function attackTheCall(personal: boolean): Promise<{ dealer: Outcome<{ used: boolean }>; opened: Uint8Array[] }> {
	const grant = newDealerGrant();
	const { secrets, publicKeys: slotKeys } = newSlotIdentities(3);
	const identities = secrets.map((secret) => runIdentity(bytesToHex(secret)));
	// `reader` opens party 0's real call as the dealer would; `face` is party 0 towards the dealer.
	const reader = handWire();
	const readerEnd = new PairSealedChannel(reader.channel, { key: KEY, session: SESSION, party: DEALER_PARTY });
	const face = handWire();
	const faceEnd = new PairSealedChannel(face.channel, { key: KEY, session: SESSION, party: VICTIM });
	let forgedCall!: Uint8Array;
	let linked = false;
	const opened: Uint8Array[] = [];
	const forge = async (frame: Uint8Array): Promise<Uint8Array> => {
		reader.arriving.push(frame);
		const plain = await readerEnd.recvBytesFrom(VICTIM);
		const call = JSON.parse(new TextDecoder().decode(plain.subarray(0, plain.length - 1))) as DealerCall;
		forgedCall = new TextEncoder().encode(JSON.stringify({ ...call, share: bytesToHex(faceEnd.share) }));
		await faceEnd.sendBytesTo(DEALER_PARTY, Uint8Array.of(...forgedCall, plain[plain.length - 1]));
		return face.leaving.shift()!;
	};
	const read = async (frame: Uint8Array): Promise<void> => {
		face.arriving.push(frame);
		const plain = await faceEnd.recvBytesFrom(DEALER_PARTY).catch(() => undefined);
		if (!plain) return;
		if (linked) return void opened.push(plain.slice());
		const hello = plain.subarray(0, plain.length - 1);
		// The dealer's hello (or, refusing the call, its notice of why: then there is nothing to key).
		if (plain[plain.length - 1] === ABORT_TAG) return void opened.push(plain.slice());
		faceEnd.link(DEALER_PARTY, hexToBytes((JSON.parse(new TextDecoder().decode(hello)) as DealerHello).share!), pairSalt(VICTIM, DEALER_PARTY, forgedCall, hello));
		linked = true;
	};

	const w = world({ key: KEY });
	const tapped = (party: number, rewrite: (to: number, frame: Uint8Array, index: number) => Promise<Uint8Array>) => {
		const direct = transport(w, party);
		let index = 0;
		let last: Promise<void> = Promise.resolve();
		const channel: Channel = {
			sendBytesTo: (to, bytes, info) => {
				const frame = bytes.slice();
				const number = index;
				if (to === (party === DEALER_PARTY ? VICTIM : DEALER_PARTY)) index++;
				last = last.then(async () => direct.channel.sendBytesTo(to, await rewrite(to, frame, number), info));
				return last;
			},
			recvBytesFrom: direct.channel.recvBytesFrom
		};
		return { ...direct, channel };
	};
	const transports = [0, 1, 2].map((party) =>
		party === VICTIM ? tapped(party, async (to, frame, index) => (to === DEALER_PARTY && index === 0 ? forge(frame) : frame)) : transport(w, party)
	);
	const dealerTransport = tapped(DEALER_PARTY, async (to, frame) => (to === VICTIM ? (await read(frame), frame) : frame));
	const settings = sum(['11u32', '22u32', '33u32'], { preprocessing: 'dealer', dealer: dealerPublicKey(grant.secret) });
	const runs = settings.map((each, party) =>
		settle(
			runPreparedParty(transports[party], prepareParty(each, { keyed: true }), {
				timeoutMs: 10_000,
				...(personal ? { identity: identities[party], knownIdentities: slotKeys } : {})
			})
		)
	);
	const dealer = settle(runDealerOver(dealerTransport, { parties: 3, timeoutMs: 10_000, secret: grant.secret, ...(personal ? { slotKeys } : {}) }));
	for (const run of [...runs, dealer]) void run.then((outcome) => outcome.ok || setTimeout(() => w.net.close(new Error('test: a participant failed')), 3000));
	await Promise.all(runs);
	return { dealer: await dealer, opened };
}

describe('a key holder with an active relay between a party and the dealer', () => {
	it('with the shared link: the dealer takes the forged call, and the relay opens party 0’s material', { timeout: SLOW_RUN_MS }, async () => {
		const { opened } = await attackTheCall(false);
		expect(opened.filter((plain) => plain[plain.length - 1] !== ABORT_TAG).length).toBeGreaterThan(0);
	});

	it('with personal links: the dealer refuses the call, naming party 0, and deals nothing the relay can open', { timeout: SLOW_RUN_MS }, async () => {
		const { dealer, opened } = await attackTheCall(true);
		const error = failure(dealer);
		expect(error).toBeInstanceOf(MismatchError);
		expect((error as MismatchError).check).toBe('identity');
		expect((error as MismatchError).party).toBe(VICTIM);
		for (const plain of opened) expect(plain[plain.length - 1]).toBe(ABORT_TAG);
	});
});

describe('a key holder with an active relay, speaking for a party', () => {
	it('a notice in party 1’s name in place of its hello is not taken for party 1’s words', { timeout: SLOW_RUN_MS }, async () => {
		const { secrets, publicKeys: slotKeys } = newSlotIdentities(3);
		const identities = secrets.map((secret) => runIdentity(bytesToHex(secret)));
		const words = 'MAC check failed: party 2 sent a wrong MAC';
		// The key holder seals an abort notice as party 1's first message to party 0, and the relay puts it in place of party 1's hello.
		const wire = handWire();
		await new AbortableChannel(new PairSealedChannel(wire.channel, { key: KEY, session: SESSION, party: 1 }), [0]).abort(words);
		const forged = wire.leaving[0];
		const w = world({ key: KEY, interceptor: (from, to, bytes, index) => (from === 1 && to === 0 && index === 0 ? forged : bytes) });
		const runs = sum(['1u32', '2u32', '3u32'], { preprocessing: 'ot' }).map((settings, party) =>
			settle(
				runPreparedParty(transport(w, party), prepareParty(settings, { keyed: true }), { timeoutMs: 10_000, identity: identities[party], knownIdentities: slotKeys })
			)
		);
		for (const run of runs) void run.then((outcome) => outcome.ok || setTimeout(() => w.net.close(new Error('test: a participant failed')), 3000));
		const error = failure((await Promise.all(runs))[0]);
		expect(error).toBeInstanceOf(PeerAbortError);
		expect((error as PeerAbortError).vouched).toBe(false);
		expect(error.message).toMatch(/^a notice in party 1's name, which came before anything else from it and so was sealed only with the session key/);
	});
});
