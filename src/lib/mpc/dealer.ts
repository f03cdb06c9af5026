import { bytesToHex } from '@noble/hashes/utils.js';
import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, unpackBits } from '../crypto/block';
import { Prg } from '../crypto/prg';
import type { Circuit } from '../garble/circuit';
import { AuthBits, viewAuthBits } from './auth';
import { Dealing, DEALS_PRODUCTS, DEALS_TRIPLES, KIND_ANDS, KIND_INPUTS, REQUESTS_AHEAD, SETS, type Deal } from './dealer-deals';
import { DealerMasks } from './dealer-masks';
import { MpcAbortError } from './errors';
import { CONSTANT_HOLDER, type AndMaterial, type InputMasks, type Preprocessing } from './preprocessing';
import { prepareCircuit } from './prepare';
import { STREAM } from './streams';
import { Session, type MpcProgress } from './session';
import { drawShares, ShareStore, type DrawnShares } from './share-store';

/**
 * Trusted-dealer preprocessing (the F_pre functionality of WRK17 Fig. 1, run by party 255).
 *
 * The dealer gives each party a 16-byte seed. A party derives from it its Δ_i, its share bits
 * and the keys it holds for its peers' shares; the dealer derives the same and sends only what
 * the party cannot derive: the MACs on its shares (and, to the constant holder, the flips that
 * make the shared bits what they must be), and with the input masks the masks λ_w of the
 * party's own input wires (the owner learns them in WRK17's input processing anyway; the dealer
 * knows every share). Per AND gate it deals a mask λ_γ and either a random triple (c = a ∧ b,
 * for Beaver multiplication) or, where it knows the circuit, the product ⟨λ_α·λ_β⟩ of the
 * gate's input masks with λ_γ added, which it walks as the parties do (dealer-masks.ts): half
 * the material, and no Beaver round. Material is given on request, segment by segment, once
 * every party has asked for the same one: memory stays bounded and the parties must agree on
 * what they need. Parties ask REQUESTS_AHEAD segments ahead, so that the dealer's answers
 * stream without a round trip each. A dealer that knows the circuit knows what they will ask
 * for first, and can make those deals before they call (dealingFor, dealer-deals.ts).
 */

const MAGIC = 0x44575450; // 'PTWD'
const VERSION = 3;
const HEADER_WORDS = 6;
const DIGEST_BYTES = 32;
const REQUEST_BYTES = 8;
/** A party's seed, then what the dealer deals (a word). */
const SEED_BYTES = BLOCK_BYTES + 4;

/** What a party tells the dealer before anything else. */
export interface DealerRequest {
	parties: number;
	/** Input bits of each party: the dealer tells each party the masks of its own input wires. */
	inputBits: readonly number[];
	andGates: number;
	/** Digest of the circuit, so that the dealer can check that all parties run the same one. */
	circuitDigest: Uint8Array;
}

const headerBytes = (parties: number) => (HEADER_WORDS + parties) * 4 + DIGEST_BYTES;

function encodeHeader(request: DealerRequest, party: number): Uint8Array {
	const bytes = new Uint8Array(headerBytes(request.parties));
	const view = new DataView(bytes.buffer);
	const inputs = request.inputBits.reduce((a, b) => a + b, 0);
	[MAGIC, VERSION, request.parties, party, inputs, request.andGates, ...request.inputBits].forEach((value, i) => view.setUint32(4 * i, value, true));
	bytes.set(request.circuitDigest, (HEADER_WORDS + request.parties) * 4);
	return bytes;
}

function decodeHeader(bytes: Uint8Array, from: number, parties: number): DealerRequest {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	const word = (i: number) => view.getUint32(4 * i, true);
	if (word(0) !== MAGIC || word(1) !== VERSION) {
		throw new MpcAbortError('dealer request', from, `${partyName(from)} does not speak this dealer protocol (version ${word(1)}, expected ${VERSION})`);
	}
	if (word(3) !== from) throw new MpcAbortError('dealer request', from, `${partyName(from)} claims to be party ${word(3)}`);
	if (word(2) !== parties) throw new MpcAbortError('dealer request', from, `${partyName(from)} runs with ${word(2)} parties, the dealer was started for ${parties}`);
	const inputBits = Array.from({ length: parties }, (_, p) => word(HEADER_WORDS + p));
	if (inputBits.reduce((a, b) => a + b, 0) !== word(4)) throw new MpcAbortError('dealer request', from, `${partyName(from)} sent a header whose input counts do not add up`);
	return { parties, inputBits, andGates: word(5), circuitDigest: bytes.slice((HEADER_WORDS + parties) * 4) };
}

/** `sets` sets of `count` authenticated bits in fresh storage (the online phase keeps a few segments' at once). */
function freshAuthBits(parties: number, party: number, count: number, sets: number): AuthBits[] {
	const store = new AuthBits(parties, party, count * sets);
	return Array.from({ length: sets }, (_, s) => viewAuthBits(store, s * count, count));
}

/** The party's authenticated bits: its shares, the dealer's MACs and its own keys, interleaved into `out`. */
function toAuthBits(out: AuthBits[], count: number, drawn: DrawnShares, macs: Uint32Array): AuthBits[] {
	const peers = out[0].parties - 1;
	out.forEach((set, s) => {
		set.bits.set(drawn.bits.subarray(s * count, (s + 1) * count));
		const words = set.words;
		const keys = drawn.keys;
		for (let k = 0, src = s * count * peers * BLOCK_WORDS, o = 0; k < count; k++) {
			for (let p = 0; p < peers; p++, src += BLOCK_WORDS, o += 2 * BLOCK_WORDS) {
				words[o] = macs[src];
				words[o + 1] = macs[src + 1];
				words[o + 2] = macs[src + 2];
				words[o + 3] = macs[src + 3];
				words[o + 4] = keys[src];
				words[o + 5] = keys[src + 1];
				words[o + 6] = keys[src + 2];
				words[o + 7] = keys[src + 3];
			}
		}
	});
	return out;
}

/** A party's side of trusted-dealer preprocessing. */
export class DealerPreprocessing implements Preprocessing {
	/** Dealer preprocessing fails only where the online phase awaits it. */
	readonly failure = new Promise<never>(() => {});
	private andsDone = 0;
	private readonly store = new ShareStore();
	private masks: Promise<InputMasks> | null = null;

	private constructor(
		private readonly session: Session,
		private readonly prg: Prg,
		readonly delta: Uint32Array,
		/** DEALS_TRIPLES or DEALS_PRODUCTS. */
		private readonly deals: keyof typeof SETS,
		private readonly request: DealerRequest,
		/** AND gates of every segment, in the order the online phase asks for them. */
		private readonly segments: Uint32Array,
		/** Segments asked for so far. */
		private requested: number
	) {}

	/**
	 * Announces what this party needs — the header, the input masks and the first segments —
	 * unless `announced` (the party handshake carried the announcement to the dealer already),
	 * and receives its seed and what the dealer deals.
	 */
	static async connect(session: Session, request: DealerRequest, segments: Uint32Array, announced: boolean): Promise<DealerPreprocessing> {
		const announcement = dealerAnnouncement(request, segments, session.me);
		if (!announced) await session.send(DEALER_PARTY, announcement, 'dealer request', STREAM.dealer);
		const words = asWords(await session.recv(DEALER_PARTY, SEED_BYTES, 'dealer seed', STREAM.dealer));
		const deals = words[BLOCK_WORDS];
		if (deals !== DEALS_TRIPLES && deals !== DEALS_PRODUCTS) throw new MpcAbortError('dealer material', DEALER_PARTY, `the dealer deals material of an unknown kind (${deals})`);
		const prg = new Prg(words.subarray(0, BLOCK_WORDS));
		return new DealerPreprocessing(session, prg, prg.blocks(1), deals, request, segments, Math.min(REQUESTS_AHEAD, segments.length));
	}

	/** Asks for the next segment the online phase will need, if any. */
	private async requestNext(): Promise<void> {
		while (this.requested < this.segments.length) {
			const ands = this.segments[this.requested++];
			if (ands > 0) return sendRequest(this.session, KIND_ANDS, ands);
		}
	}

	/** The answer to the oldest request: `sets` sets of `count` authenticated bits, and what follows the MACs. */
	private async receive(count: number, sets: number, extraBytes: number): Promise<{ shares: AuthBits[]; extra: Uint8Array }> {
		const { session } = this;
		const peers = session.parties - 1;
		const drawn = drawShares(this.prg, this.store.room(count * sets, peers), peers);
		const macBytes = count * sets * peers * BLOCK_BYTES;
		const message = await session.recv(DEALER_PARTY, macBytes + extraBytes, 'dealer material', STREAM.dealer);
		const shares = toAuthBits(freshAuthBits(session.parties, session.me, count, sets), count, drawn, asWords(message.subarray(0, macBytes)));
		return { shares, extra: message.subarray(macBytes) };
	}

	inputMasks(): Promise<InputMasks> {
		this.masks ??= (async () => {
			const { inputBits } = this.request;
			const own = inputBits[this.session.me];
			const { shares, extra } = await this.receive(
				inputBits.reduce((a, b) => a + b, 0),
				1,
				(own + 7) >> 3
			);
			return { masks: shares[0], own: unpackBits(extra, own) };
		})();
		return this.masks;
	}

	/** Tells the dealer that this party's checks have all passed (it waits for that, to hear of an abort instead). */
	async finish(): Promise<void> {
		await this.session.send(DEALER_PARTY, RUN_OVER, 'end of the run', STREAM.dealer);
	}

	async andGates(count: number): Promise<AndMaterial> {
		// The input masks come first on the dealer's stream.
		await this.inputMasks();
		const flips = this.session.me === CONSTANT_HOLDER ? (count + 7) >> 3 : 0;
		const { shares, extra } = await this.receive(count, SETS[this.deals], flips);
		// The constant holder's share of the last set (c, or λ_α·λ_β ⊕ λ_γ) takes the dealer's flips.
		const last = shares[shares.length - 1];
		if (flips > 0) {
			const flip = unpackBits(extra, count);
			for (let k = 0; k < count; k++) last.bits[k] ^= flip[k];
		}
		await this.requestNext();
		this.andsDone += count;
		this.session.progress('preprocessing', this.andsDone, this.request.andGates);
		const [gamma, a, b, c] = shares;
		return this.deals === DEALS_PRODUCTS ? { gamma, r0: a } : { gamma, a, b, c };
	}
}

function sendRequest(session: Session, kind: number, count: number): Promise<void> {
	return session.send(DEALER_PARTY, asBytes(Uint32Array.of(kind, count)), 'dealer request', STREAM.dealer);
}

/**
 * What a party first tells the dealer, in one message: its header, then its requests for the
 * input masks and the first REQUESTS_AHEAD segments (the AND gates of each, `segments`).
 */
export function dealerAnnouncement(request: DealerRequest, segments: Uint32Array, party: number): Uint8Array {
	const first = Array.from(segments.subarray(0, REQUESTS_AHEAD)).filter((ands) => ands > 0);
	const requests = new Uint32Array(2 * (1 + first.length));
	requests.set([KIND_INPUTS, request.inputBits.reduce((a, b) => a + b, 0)]);
	first.forEach((ands, i) => requests.set([KIND_ANDS, ands], 2 * (i + 1)));
	return concatBytes(encodeHeader(request, party), asBytes(requests));
}

export interface DealerOptions {
	/** Number of computing parties. */
	parties: number;
	/**
	 * The circuit the parties run, if the dealer knows it: it then deals the products of the AND
	 * gates' input masks instead of triples (and refuses parties that run another circuit).
	 */
	circuit?: Circuit;
	/** With `circuit`: its material with the first deals made already (dealingFor), which the dealer gives when the parties ask for them. */
	dealing?: Dealing;
	/** Each party's announcement (dealerAnnouncement), when the party handshake carried them. */
	announcements?: readonly Uint8Array[];
	onProgress?: (progress: MpcProgress) => void;
	signal?: AbortSignal;
}

/**
 * Runs the trusted dealer (party 255) until every party has its preprocessing and has told it
 * that its run is over (DealerPreprocessing.finish). Rejects, after telling every party, if the
 * parties disagree on what they need or a party aborts.
 */
export async function runDealer(channel: Channel, options: DealerOptions): Promise<void> {
	const { parties } = options;
	if (!Number.isInteger(parties) || parties < 2 || parties > DEALER_PARTY) {
		throw new Error(`dealer: the number of parties must be an integer from 2 to ${DEALER_PARTY}, got ${parties}`);
	}
	if (options.dealing && !options.circuit) throw new Error('dealer: material dealt ahead needs the circuit it was dealt for');
	options.dealing?.claim(parties);
	const everyone = Array.from({ length: parties }, (_, p) => p);
	const session = new Session({ channel, parties, me: DEALER_PARTY, notify: everyone, onProgress: options.onProgress, signal: options.signal });
	try {
		await serve(session, everyone, options);
	} catch (error) {
		await session.abort(error instanceof Error ? error.message : String(error));
		throw error;
	}
}

async function serve(session: Session, everyone: number[], { announcements, circuit, dealing: dealtAhead }: DealerOptions): Promise<void> {
	const parties = everyone.length;
	// Each party's announcement: its header, then its first requests; later requests come one by one.
	const pending: Uint32Array[][] = [];
	const headers = await Promise.all(
		everyone.map(async (p) => {
			const announcement = announcements?.[p] ?? (await session.recvAny(p, 'dealer request', STREAM.dealer));
			const size = headerBytes(parties);
			if (announcement.length < size || (announcement.length - size) % REQUEST_BYTES !== 0) {
				throw new MpcAbortError('dealer request', p, `${partyName(p)} announced ${announcement.length} bytes, not a header and whole requests`);
			}
			const requests = announcement.slice(size);
			pending[p] = Array.from({ length: requests.length / REQUEST_BYTES }, (_, i) => asWords(requests.subarray(i * REQUEST_BYTES, (i + 1) * REQUEST_BYTES)));
			return decodeHeader(announcement.subarray(0, size), p, parties);
		})
	);
	const nextRequest = async (p: number) => pending[p].shift() ?? asWords(await session.recv(p, REQUEST_BYTES, 'dealer request', STREAM.dealer));
	const first = headers[0];
	agree(headers.map((h) => h.inputBits.join()), 'the input bits of each party');
	agree(headers.map((h) => h.andGates), 'the number of AND gates');
	const digests = headers.map((h) => bytesToHex(h.circuitDigest));
	const digest = agree(digests, 'the circuit (digest)');
	if (circuit) {
		const mine = bytesToHex(await prepareCircuit(circuit).digest());
		if (mine !== digest) throw new MpcAbortError('dealer request', -1, `the parties run another circuit (digest ${digest}) than the program the dealer knows (${mine}): the dealer needs the parties' program`);
	}
	const dealing = dealtAhead ?? new Dealing(parties, circuit ? new DealerMasks(circuit, prepareCircuit(circuit).plan) : null);
	await Promise.all(
		everyone.map((p) => {
			const message = new Uint32Array(SEED_BYTES / 4);
			message.set(dealing.seeds.subarray(p * BLOCK_WORDS, (p + 1) * BLOCK_WORDS));
			message[BLOCK_WORDS] = dealing.deals;
			return session.send(p, asBytes(message), 'dealer seed', STREAM.dealer);
		})
	);
	const inputs = first.inputBits.reduce((a, b) => a + b, 0);

	let inputsServed = false;
	let andsServed = 0;
	session.progress('preprocessing', 0, first.andGates);
	while (!inputsServed || andsServed < first.andGates) {
		const requests = await Promise.all(everyone.map(nextRequest));
		const kind = agree(requests.map((r) => r[0]), 'what to preprocess next');
		const count = agree(requests.map((r) => r[1]), 'how much to preprocess next');
		const wanted = kind === KIND_INPUTS ? !inputsServed && count === inputs : kind === KIND_ANDS && inputsServed && count > 0 && andsServed + count <= first.andGates;
		const deal = wanted ? dealing.next(kind, count, first.inputBits) : null;
		if (!deal) throw new MpcAbortError('dealer request', -1, `the parties asked for material the dealer cannot give (kind ${kind}, ${count} items)`);
		if (kind === KIND_INPUTS) inputsServed = true;
		else andsServed += count;
		await send(session, deal);
		session.progress('preprocessing', andsServed, first.andGates);
	}
	// Requests go ahead of their use, so the material may be dealt long before the run ends:
	// the dealer stays until every party says its checks have all passed, so that it hears of an abort.
	await Promise.all(everyone.map((p) => session.recvPatiently(p, RUN_OVER.length, 'end of the run', STREAM.dealer)));
}

/** What a party tells the dealer once its checks have all passed (along with its output confirmation). */
const RUN_OVER = Uint8Array.of(1);

/**
 * All values must be equal. The dealer cannot tell who is wrong (up to n − 1 parties may lie
 * together), so the abort names nobody, only who says what.
 */
function agree<T>(values: T[], what: string): T {
	const differing = values.findIndex((v) => v !== values[0]);
	if (differing >= 0) {
		throw new MpcAbortError('dealer request', -1, `the parties disagree on ${what}: party 0 says ${values[0]}, party ${differing} says ${values[differing]}`);
	}
	return values[0];
}

/** Sends each party its message of `deal`. */
function send(session: Session, deal: Deal): Promise<void> {
	return Promise.all(deal.map((message, p) => session.send(p, message, 'dealer material', STREAM.dealer))).then(() => {});
}
