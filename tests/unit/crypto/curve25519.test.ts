// Ed25519 and X25519 kernels (src/lib/crypto/curve25519.ts): @noble/curves and OpenSSL's
// through node:crypto give the published vectors' bytes, and each other's.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { newCurveSecret, nobleCurve25519, verifySignature, type Curve25519Kernel } from '../../../src/lib/crypto/curve25519';
import { openSslCurve25519 } from '../../../src/node/curve25519';

const KERNELS: Curve25519Kernel[] = [nobleCurve25519, openSslCurve25519];

/** RFC 8032 §7.1, TEST 1–3: secret, public key, message, signature. */
const ED25519_VECTORS = [
	{
		secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
		publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
		message: '',
		signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
	},
	{
		secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
		publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
		message: '72',
		signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
	},
	{
		secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
		publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
		message: 'af82',
		signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'
	}
];

/** RFC 7748 §6.1: Alice's and Bob's secrets and public keys, and what they share. */
const X25519_VECTOR = {
	alice: { secret: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', publicKey: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a' },
	bob: { secret: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb', publicKey: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f' },
	shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
};

describe.each(KERNELS.map((kernel) => [kernel.name, kernel] as const))('the %s kernel', (_name, kernel) => {
	it('gives RFC 8032’s public keys and signatures, which verify', () => {
		for (const vector of ED25519_VECTORS) {
			const secret = hexToBytes(vector.secret);
			const message = hexToBytes(vector.message);
			expect(bytesToHex(kernel.signingPublicKey(secret))).toBe(vector.publicKey);
			const signature = kernel.sign(secret, message);
			expect(bytesToHex(signature)).toBe(vector.signature);
			expect(verifySignature(hexToBytes(vector.publicKey), message, signature)).toBe(true);
		}
	});

	it('gives RFC 7748’s public keys and shared secret, from either side', () => {
		const { alice, bob, shared } = X25519_VECTOR;
		expect(bytesToHex(kernel.agreementPublicKey(hexToBytes(alice.secret)))).toBe(alice.publicKey);
		expect(bytesToHex(kernel.agreementPublicKey(hexToBytes(bob.secret)))).toBe(bob.publicKey);
		expect(bytesToHex(kernel.sharedSecret(hexToBytes(alice.secret), hexToBytes(bob.publicKey)))).toBe(shared);
		expect(bytesToHex(kernel.sharedSecret(hexToBytes(bob.secret), hexToBytes(alice.publicKey)))).toBe(shared);
	});

	it('refuses a peer key of small order (all-zero shared secret)', () => {
		for (const smallOrder of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31))]) {
			expect(() => kernel.sharedSecret(newCurveSecret(), smallOrder)).toThrow();
		}
	});
});

describe('both kernels', () => {
	it('agree on fresh keys, signatures and shared secrets', () => {
		const [noble, openssl] = KERNELS;
		for (let i = 0; i < 8; i++) {
			const secret = newCurveSecret();
			const peer = newCurveSecret();
			const message = crypto.getRandomValues(new Uint8Array(i * 37));
			expect(bytesToHex(openssl.signingPublicKey(secret))).toBe(bytesToHex(noble.signingPublicKey(secret)));
			expect(bytesToHex(openssl.sign(secret, message))).toBe(bytesToHex(noble.sign(secret, message)));
			expect(bytesToHex(openssl.agreementPublicKey(secret))).toBe(bytesToHex(noble.agreementPublicKey(secret)));
			expect(bytesToHex(openssl.sharedSecret(secret, noble.agreementPublicKey(peer)))).toBe(bytesToHex(noble.sharedSecret(peer, openssl.agreementPublicKey(secret))));
		}
	});

	it('a signature verifies only under its key and message', () => {
		const secret = newCurveSecret();
		const message = new TextEncoder().encode('polytune');
		const signature = openSslCurve25519.sign(secret, message);
		const publicKey = openSslCurve25519.signingPublicKey(secret);
		expect(verifySignature(publicKey, message, signature)).toBe(true);
		expect(verifySignature(openSslCurve25519.signingPublicKey(newCurveSecret()), message, signature)).toBe(false);
		expect(verifySignature(publicKey, new TextEncoder().encode('polytunE'), signature)).toBe(false);
		expect(verifySignature(publicKey, message, signature.subarray(1))).toBe(false);
	});
});
