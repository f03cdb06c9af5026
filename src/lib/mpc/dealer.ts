import { DEALER_PARTY, partyName, type Channel } from '../channel/channel';
import { asBytes, asWords, BLOCK_BYTES, BLOCK_WORDS, concatBytes, packBits, randomBlocks, unpackBits } from '../crypto/block';
import { Prg } from '../crypto/prg';
import { AuthBits } from './auth';
import { MpcAbortError } from './errors';
import { CONSTANT_HOLDER, type AndMaterial, type Preprocessing } from './preprocessing';
import { Session, type MpcProgress } from './session';

/**
 * Trusted-dealer preprocessing (the F_pre functionality of WRK17 Fig. 1, run by party 255).
 *
 * The dealer gives each party a 16-byte seed. A party derives from it its Δ_i, its share bits
 * and the keys it holds for its peers' shares; the dealer derives the same and sends only what
 * the party cannot derive: the MACs on its shares (and, to the constant holder, the flips that
 * make c = a ∧ b). Material is produced on request, chunk by chunk, once every party has asked
 * for the same chunk: memory stays bounded and the parties must agree on what they need.
 */

const MAGIC = 0x44575450; // 'PTWD'
const VERSION = 1;
const HEADER_WORDS = 6;
const DIGEST_BYTES = 32;
const HEADER_BYTES = HEADER_WORDS * 4 + DIGEST_BYTES;
const REQUEST_BYTES = 8;
const KIND_INPUTS = 1;
const KIND_ANDS = 2;

/** What a party tells the dealer before anything else. */
export interface DealerRequest {
	parties: number;
	inputs: number;
	andGates: number;
	/** Digest of the circuit, so that the dealer can check that all parties run the same one. */
	circuitDigest: Uint8Array;
}

function encodeHeader(request: DealerRequest, party: number): Uint8Array {
	const bytes = new Uint8Array(HEADER_BYTES);
	const view = new DataView(bytes.buffer);
	[MAGIC, VERSION, request.parties, party, request.inputs, request.andGates].forEach((value, i) => view.setUint32(4 * i, value, true));
	bytes.set(request.circuitDigest, HEADER_WORDS * 4);
	return bytes;
}

function decodeHeader(bytes: Uint8Array, from: number): DealerRequest {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	const word = (i: number) => view.getUint32(4 * i, true);
	if (word(0) !== MAGIC || word(1) !== VERSION) {
		throw new MpcAbortError('dealer request', from, `${partyName(from)} does not speak this dealer protocol (version ${word(1)}, expected ${VERSION})`);
	}
	if (word(3) !== from) throw new MpcAbortError('dealer request', from, `${partyName(from)} claims to be party ${word(3)}`);
	return { parties: word(2), inputs: word(4), andGates: word(5), circuitDigest: bytes.slice(HEADER_WORDS * 4) };
}

/** Derives a party's share bits, then its keys for every peer, for each set in turn. */
function deriveShares(prg: Prg, sets: readonly AuthBits[]): void {
	for (const set of sets) prg.fillBits(set.bits, 0, set.count);
	for (const set of sets) {
		const peers = set.parties - 1;
		const keys = prg.blocks(set.count * peers);
		for (let k = 0, src = 0; k < set.count; k++) {
			for (let p = 0; p < peers; p++, src += BLOCK_WORDS) {
				const o = k * set.stride + 8 * p + BLOCK_WORDS;
				set.words[o] = keys[src];
				set.words[o + 1] = keys[src + 1];
				set.words[o + 2] = keys[src + 2];
				set.words[o + 3] = keys[src + 3];
			}
		}
	}
}

/** The MACs of a party's shares, set after set, bit after bit, peer after peer. */
function macWords(sets: readonly AuthBits[]): Uint32Array {
	const peers = sets[0].parties - 1;
	const out = new Uint32Array(sets.reduce((sum, set) => sum + set.count, 0) * peers * BLOCK_WORDS);
	let dst = 0;
	for (const set of sets) {
		for (let k = 0; k < set.count; k++) {
			for (let p = 0; p < peers; p++, dst += BLOCK_WORDS) out.set(set.words.subarray(k * set.stride + 8 * p, k * set.stride + 8 * p + BLOCK_WORDS), dst);
		}
	}
	return out;
}

function setMacs(sets: readonly AuthBits[], macs: Uint32Array): void {
	const peers = sets[0].parties - 1;
	let src = 0;
	for (const set of sets) {
		for (let k = 0; k < set.count; k++) {
			for (let p = 0; p < peers; p++, src += BLOCK_WORDS) set.words.set(macs.subarray(src, src + BLOCK_WORDS), k * set.stride + 8 * p);
		}
	}
}

function newSets(parties: number, party: number, count: number, sets: number): AuthBits[] {
	return Array.from({ length: sets }, () => new AuthBits(parties, party, count));
}

/** A party's side of trusted-dealer preprocessing. */
export class DealerPreprocessing implements Preprocessing {
	private constructor(
		private readonly session: Session,
		private readonly prg: Prg,
		readonly delta: Uint32Array
	) {}

	/** Announces what this party needs and receives its seed. */
	static async connect(session: Session, request: DealerRequest): Promise<DealerPreprocessing> {
		await session.send(DEALER_PARTY, encodeHeader(request, session.me), 'dealer request');
		const seed = asWords(await session.recv(DEALER_PARTY, BLOCK_BYTES, 'dealer seed'));
		const prg = new Prg(seed);
		return new DealerPreprocessing(session, prg, prg.blocks(1));
	}

	private async fetch(kind: number, count: number, sets: number): Promise<AuthBits[]> {
		const { session } = this;
		const request = new Uint32Array([kind, count]);
		await session.send(DEALER_PARTY, asBytes(request), 'dealer request');
		const shares = newSets(session.parties, session.me, count, sets);
		deriveShares(this.prg, shares);
		const macBytes = count * sets * (session.parties - 1) * BLOCK_BYTES;
		const flips = kind === KIND_ANDS && session.me === CONSTANT_HOLDER ? (count + 7) >> 3 : 0;
		const message = await session.recv(DEALER_PARTY, macBytes + flips, 'dealer material');
		setMacs(shares, asWords(message.subarray(0, macBytes)));
		if (flips > 0) {
			const c = shares[3];
			const flip = unpackBits(message.subarray(macBytes), count);
			for (let k = 0; k < count; k++) c.bits[k] ^= flip[k];
		}
		return shares;
	}

	async inputMasks(count: number): Promise<AuthBits> {
		return (await this.fetch(KIND_INPUTS, count, 1))[0];
	}

	async andGates(count: number): Promise<AndMaterial> {
		const [gamma, a, b, c] = await this.fetch(KIND_ANDS, count, 4);
		return { gamma, a, b, c };
	}
}

export interface DealerOptions {
	/** Number of computing parties. */
	parties: number;
	onProgress?: (progress: MpcProgress) => void;
	signal?: AbortSignal;
}

/**
 * Runs the trusted dealer (party 255) until every party has its preprocessing. Rejects, after
 * telling every party, if the parties disagree on what they need or a party aborts.
 */
export async function runDealer(channel: Channel, options: DealerOptions): Promise<void> {
	const { parties } = options;
	if (!Number.isInteger(parties) || parties < 2 || parties > DEALER_PARTY) {
		throw new Error(`dealer: the number of parties must be an integer from 2 to ${DEALER_PARTY}, got ${parties}`);
	}
	const everyone = Array.from({ length: parties }, (_, p) => p);
	const session = new Session({ channel, parties, me: DEALER_PARTY, notify: everyone, onProgress: options.onProgress, signal: options.signal });
	try {
		await serve(session, everyone);
	} catch (error) {
		await session.abort(error instanceof Error ? error.message : String(error));
		throw error;
	}
}

async function serve(session: Session, everyone: number[]): Promise<void> {
	const parties = everyone.length;
	const headers = await Promise.all(everyone.map(async (p) => decodeHeader(await session.recv(p, HEADER_BYTES, 'dealer request'), p)));
	const first = headers[0];
	agree(headers.map((h) => h.parties), 'the number of parties');
	if (first.parties !== parties) {
		throw new MpcAbortError('dealer request', 0, `the parties run with ${first.parties} parties, the dealer was started for ${parties}`);
	}
	agree(headers.map((h) => h.inputs), 'the number of input bits');
	agree(headers.map((h) => h.andGates), 'the number of AND gates');
	const digests = headers.map((h) => Array.from(h.circuitDigest, (b) => b.toString(16).padStart(2, '0')).join(''));
	agree(digests, 'the circuit (digest)');

	const seeds = randomBlocks(parties);
	const prgs = everyone.map((p) => new Prg(seeds, p * BLOCK_WORDS));
	const deltas = prgs.map((prg) => prg.blocks(1));
	await Promise.all(everyone.map((p) => session.send(p, asBytes(seeds.subarray(p * BLOCK_WORDS, (p + 1) * BLOCK_WORDS)), 'dealer seed')));

	let inputsServed = false;
	let andsServed = 0;
	session.progress('preprocessing', 0, first.andGates);
	while (!inputsServed || andsServed < first.andGates) {
		const requests = await Promise.all(everyone.map(async (p) => asWords(await session.recv(p, REQUEST_BYTES, 'dealer request'))));
		const kind = agree(requests.map((r) => r[0]), 'what to preprocess next');
		const count = agree(requests.map((r) => r[1]), 'how much to preprocess next');
		if (kind === KIND_INPUTS && !inputsServed && count === first.inputs) {
			inputsServed = true;
			await deal(session, prgs, deltas, count, 1);
		} else if (kind === KIND_ANDS && inputsServed && count > 0 && andsServed + count <= first.andGates) {
			andsServed += count;
			await deal(session, prgs, deltas, count, 4);
		} else {
			throw new MpcAbortError('dealer request', 0, `the parties asked for material the dealer cannot give (kind ${kind}, ${count} items)`);
		}
		session.progress('preprocessing', andsServed, first.andGates);
	}
}

/** All values must be equal; names the first party that differs. */
function agree<T>(values: T[], what: string): T {
	const differing = values.findIndex((v) => v !== values[0]);
	if (differing >= 0) {
		throw new MpcAbortError('dealer request', differing, `the parties disagree on ${what}: party 0 says ${values[0]}, party ${differing} says ${values[differing]}`);
	}
	return values[0];
}

/** Generates `sets` sets of `count` authenticated bits for every party (the last three a triple when sets = 4) and sends them. */
async function deal(session: Session, prgs: Prg[], deltas: Uint32Array[], count: number, sets: number): Promise<void> {
	const parties = prgs.length;
	const shares = prgs.map((prg, p) => {
		const own = newSets(parties, p, count, sets);
		deriveShares(prg, own);
		return own;
	});
	let flips: Uint8Array = new Uint8Array(0);
	if (sets === 4) {
		// c = a ∧ b: the constant holder's share of c absorbs the difference.
		const flip = new Uint8Array(count);
		for (let k = 0; k < count; k++) {
			let a = 0;
			let b = 0;
			let c = 0;
			for (let p = 0; p < parties; p++) {
				a ^= shares[p][1].bits[k];
				b ^= shares[p][2].bits[k];
				c ^= shares[p][3].bits[k];
			}
			flip[k] = c ^ (a & b);
			shares[CONSTANT_HOLDER][3].bits[k] ^= flip[k];
		}
		flips = packBits(flip);
	}
	// M_j[x^i] = K_j[x^i] ⊕ x^i·Δ_j for every party i and peer j.
	for (let i = 0; i < parties; i++) {
		for (let j = 0; j < parties; j++) {
			if (i === j) continue;
			const delta = deltas[j];
			for (let s = 0; s < sets; s++) {
				const holder = shares[i][s];
				const keyHolder = shares[j][s];
				for (let k = 0; k < count; k++) {
					const m = holder.macAt(k, j);
					const key = keyHolder.keyAt(k, i);
					const mask = -holder.bits[k];
					for (let w = 0; w < BLOCK_WORDS; w++) holder.words[m + w] = keyHolder.words[key + w] ^ (delta[w] & mask);
				}
			}
		}
	}
	await Promise.all(
		shares.map((own, p) => {
			const macs = asBytes(macWords(own));
			const message = p === CONSTANT_HOLDER && flips.length > 0 ? concatBytes(macs, flips) : macs;
			return session.send(p, message, 'dealer material');
		})
	);
}
