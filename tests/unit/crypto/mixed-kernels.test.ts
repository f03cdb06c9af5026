/**
 * Parties on different kernels compute together: a browser tab (wasm-simd, or t-table without
 * WebAssembly SIMD) with a CLI party (aes-ni). The kernels are process-global, so each party
 * gets its own by switching before each of its steps: explicitly for OT extension, and for a
 * whole run through a channel that installs the party's kernels whenever it resumes from a
 * send or a receive. (A party that resumes from another await runs on the kernels of the
 * party that ran last: that mixes kernels further, which all the more must not matter.)
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/lib/channel/channel';
import { DEALER_PARTY } from '../../../src/lib/channel/channel';
import { MemoryNetwork } from '../../../src/lib/channel/memory';
import { SealedDirection } from '../../../src/lib/channel/sealed';
import { blockCipher } from '../../../src/lib/crypto/backend';
import { randomBlocks } from '../../../src/lib/crypto/block';
import { hornerKernelInUse } from '../../../src/lib/crypto/gf128';
import { Prg } from '../../../src/lib/crypto/prg';
import { aeadKernel } from '../../../src/lib/crypto/aead';
import { ristrettoKernel } from '../../../src/lib/crypto/ristretto';
import { transposeKernelInUse } from '../../../src/lib/crypto/transpose';
import { installJsKernels } from '../../../src/lib/crypto/wasm-kernels';
import { walkKernel } from '../../../src/lib/mpc/walk-kernel';
import { evaluateCircuit } from '../../../src/lib/garble/circuit';
import { mpc, runDealer } from '../../../src/lib/mpc';
import { extendedRows } from '../../../src/lib/ot/kos';
import { SoftSpokenReceiver, SoftSpokenSender } from '../../../src/lib/ot/softspoken';
import { installNodeKernels, NODE_BACKENDS, type NodeBackend } from '../../../src/node/kernels';
import { wasmKernels } from '../../helpers/kernels';
import { randomBits, sumCircuit } from '../mpc/helpers';

beforeAll(async () => {
	await wasmKernels();
});
afterEach(() => installJsKernels());

/** The kernels a backend installs, by name: AES, GF(2^128), transposition, ristretto255, ChaCha20-Poly1305, the walks. */
function kernelsNow(): string {
	return [blockCipher().name, hornerKernelInUse().name, transposeKernelInUse().name, ristrettoKernel().name, aeadKernel().name, walkKernel().name].join(' ');
}

it('installs what each backend names', () => {
	const installed = NODE_BACKENDS.map((backend) => {
		installNodeKernels(backend);
		return kernelsNow();
	});
	expect(installed).toEqual(['aes-ni wasm-simd wasm-simd wasm-simd openssl wasm-simd', 'wasm-simd wasm-simd wasm-simd wasm-simd wasm-simd wasm-simd', 't-table js js js noble js']);
});

const bit = (words: Uint32Array, i: number) => (words[i >>> 5] >>> (i & 31)) & 1;
const pairs = NODE_BACKENDS.flatMap((a) => NODE_BACKENDS.filter((b) => b !== a).map((b) => [a, b] as [NodeBackend, NodeBackend]));

describe.each(pairs)('OT extension with the receiver on %s and the sender on %s', (receiverSide, senderSide) => {
	it('gives correlated OTs and passes the check', () => {
		const onReceiver = () => installNodeKernels(receiverSide);
		const onSender = () => installNodeKernels(senderSide);
		const s = randomBlocks(1);
		const seeds0 = randomBlocks(128);
		const seeds1 = randomBlocks(128);
		const chosen = new Uint32Array(512);
		for (let l = 0; l < 128; l++) chosen.set((bit(s, l) ? seeds1 : seeds0).subarray(4 * l, 4 * l + 4), 4 * l);
		onReceiver();
		const receiver = new SoftSpokenReceiver(seeds0, seeds1);
		onSender();
		const sender = new SoftSpokenSender(s, chosen);
		for (const [batch, count] of [100, 3000].entries()) {
			onReceiver();
			const choices = Prg.random().bits(extendedRows(count));
			const r = receiver.extend(choices, count, batch);
			onSender();
			const q = sender.extend(r.message, count, batch);
			for (let k = 0; k < count; k++) {
				for (let w = 0; w < 4; w++) expect((r.layout.words[4 * k + w] ^ q.layout.words[4 * k + w] ^ (choices[k] ? s[w] : 0)) >>> 0).toBe(0);
			}
			const challenge = randomBlocks(1);
			onReceiver();
			const response = r.respond(challenge);
			onSender();
			expect(q.check(challenge, response)).toBe(true);
		}
	});
});

describe.each(pairs)('a sealed direction whose sender is on %s and whose receiver is on %s', (senderSide, receiverSide) => {
	it('opens every message, and refuses an altered one', () => {
		const key = crypto.getRandomValues(new Uint8Array(32));
		const sender = new SealedDirection(key, 1);
		const receiver = new SealedDirection(key, 0);
		for (const length of [0, 100, 70_000]) {
			const message = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
			installNodeKernels(senderSide);
			const sealed = sender.seal(message);
			installNodeKernels(receiverSide);
			expect(Array.from(receiver.open(sealed))).toEqual(Array.from(message));
		}
		installNodeKernels(senderSide);
		const altered = sender.seal(Uint8Array.of(1, 2, 3));
		altered[1] ^= 1;
		installNodeKernels(receiverSide);
		expect(() => receiver.open(altered)).toThrow();
	});
});

/** Party `party`'s channel: its kernels are installed again whenever it resumes from the channel. */
function onKernels(channel: Channel, backend: NodeBackend): Channel {
	return {
		async sendBytesTo(to, bytes, info) {
			await channel.sendBytesTo(to, bytes, info);
			installNodeKernels(backend);
		},
		async recvBytesFrom(from, info) {
			const message = await channel.recvBytesFrom(from, info);
			installNodeKernels(backend);
			return message;
		}
	};
}

describe('one run whose parties use different kernels', { timeout: 60_000 }, () => {
	it.each(['ot', 'dealer'] as const)('computes the right result with %s preprocessing', async (preprocessing) => {
		const backends: NodeBackend[] = ['wasm-simd', 'aes-ni', 't-table'];
		const circuit = sumCircuit(3, 8);
		const inputs = circuit.inputBits.map((bits) => randomBits(bits));
		const network = new MemoryNetwork();
		const runs = backends.map((backend, party) => {
			installNodeKernels(backend);
			return mpc(onKernels(network.channel(party), backend), circuit, inputs[party], { party, preprocessing });
		});
		let dealer: Promise<unknown> = Promise.resolve();
		if (preprocessing === 'dealer') {
			installNodeKernels('wasm-simd');
			dealer = runDealer(onKernels(network.channel(DEALER_PARTY), 'wasm-simd'), { parties: 3 });
		}
		const outputs = await Promise.all(runs);
		await dealer;
		const want = Array.from(evaluateCircuit(circuit, inputs));
		for (const output of outputs) expect(Array.from(output!)).toEqual(want);
	});
});
