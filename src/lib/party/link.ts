/**
 * Session links and keys. The web UI's link is `http(s)://host[:port]/s/{session}#key=…`; the
 * dealer's link is `…/s/{session}/dealer#key=…&dealer=…`, which adds the secret of the dealer
 * grant: only the session's creator hands it out, so a party link (with `/dealer` added or
 * not) cannot deal. A personal link, `…/s/{session}#key=…&party=N&pass=…`, adds one party's
 * number and the secret of its identity (identity.ts), in a session whose creator gave every
 * party its own link. A link made with the session's info pins it (`info=`, session-info.ts),
 * so that info published again under the same name is refused. Keys are base64url in the
 * fragment, which browsers never send to the server, so the relay never learns them.
 */
import { SESSION_KEY_BYTES } from '../channel/sealed';
import { DEALER_SECRET_BYTES } from './dealer-grant';
import { IDENTITY_SECRET_BYTES } from './identity';
import { INFO_DIGEST_BYTES } from './session-info';

export interface SessionLink {
	/** The relay's base URL (origin plus any path before `/s/`), no trailing slash. */
	url: string;
	session: string;
	/** The session key, when the link carries one. */
	key?: Uint8Array;
	/** The digest of the session info the link was made with (session-info.ts), when it pins one. */
	info?: Uint8Array;
	/** The dealer grant's secret: only the dealer's link carries it. */
	dealerSecret?: Uint8Array;
	/** A personal link's party and the secret of its identity. */
	personal?: PersonalPass;
}

/** What a personal link gives its party: its number and the secret of its identity in every run. */
export interface PersonalPass {
	party: number;
	secret: Uint8Array;
}

/** A link or key that cannot be used; the message says what is wrong with it. */
export class LinkError extends Error {
	override name = 'LinkError';
}

const LINK_PATH = /^(.*)\/s\/([^/]+)(\/dealer)?\/?$/;

/** True if `text` looks like a session link rather than a relay URL. */
export function isSessionLink(text: string): boolean {
	try {
		return LINK_PATH.test(new URL(text).pathname);
	} catch {
		return false;
	}
}

/** Parses a session link; throws LinkError naming what is wrong. */
export function parseSessionLink(text: string): SessionLink {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new LinkError(`'${text}' is not a link: expected http(s)://host/s/SESSION#key=KEY`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LinkError(`a session link starts with http:// or https://, not ${url.protocol}//`);
	const match = LINK_PATH.exec(url.pathname);
	if (!match) throw new LinkError(`'${text}' is not a session link: its path should be /s/SESSION`);
	const session = decodeURIComponent(match[2]);
	const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
	const keyText = fragment.get('key');
	const infoText = fragment.get('info');
	const secretText = fragment.get('dealer');
	if (secretText && !match[3]) throw new LinkError(`'${text}' carries a dealer secret but is no dealer link: its path should be /s/SESSION/dealer`);
	const personal = personalPass(fragment.get('party'), fragment.get('pass'));
	if (personal && match[3]) throw new LinkError(`'${text}' is a dealer link but carries a party's pass: a personal link's path is /s/SESSION`);
	return {
		url: `${url.origin}${match[1]}`,
		session,
		...(keyText ? { key: parseSessionKey(keyText) } : {}),
		...(infoText ? { info: parseInfoDigest(infoText) } : {}),
		...(secretText ? { dealerSecret: parseDealerSecret(secretText) } : {}),
		...(personal ? { personal } : {})
	};
}

/** A personal link's `party=` and `pass=`, both or neither; throws LinkError. */
export function personalPass(partyText: string | null | undefined, passText: string | null | undefined): PersonalPass | undefined {
	if (!partyText && !passText) return undefined;
	if (!partyText || !passText) throw new LinkError(`a personal link carries both party= and pass=, this one only ${partyText ? 'party=' : 'pass='}`);
	if (!/^\d{1,3}$/.test(partyText)) throw new LinkError(`a personal link's party= is a party number, got '${partyText}'`);
	return { party: Number(partyText), secret: parseKey(passText, "a personal link's pass", IDENTITY_SECRET_BYTES) };
}

/** The link the web UI shows for a session's parties: with the key, and the info's digest where the link pins it. */
export function sessionLink(url: string, session: string, key?: Uint8Array, info?: Uint8Array): string {
	return `${url.replace(/\/+$/, '')}/s/${encodeURIComponent(session)}${fragment(key, info)}`;
}

/** One party's personal link: the session key, the info's digest, the party's number and its identity's secret. */
export function personalLink(url: string, session: string, key: Uint8Array, info: Uint8Array, pass: PersonalPass): string {
	return `${sessionLink(url, session, key, info)}&party=${pass.party}&pass=${formatSessionKey(pass.secret)}`;
}

/** The dealer's link: the session key, the info's digest where it pins one, and the grant's secret. */
export function dealerLink(url: string, session: string, key: Uint8Array, dealerSecret: Uint8Array, info?: Uint8Array): string {
	return `${url.replace(/\/+$/, '')}/s/${encodeURIComponent(session)}/dealer${fragment(key, info)}&dealer=${formatSessionKey(dealerSecret)}`;
}

function fragment(key: Uint8Array | undefined, info: Uint8Array | undefined): string {
	if (!key) return '';
	return `#key=${formatSessionKey(key)}${info ? `&info=${formatSessionKey(info)}` : ''}`;
}

/** A 32-byte session key from base64url (as in links) or standard base64; throws LinkError. */
export function parseSessionKey(text: string): Uint8Array {
	return parseKey(text, 'a session key', SESSION_KEY_BYTES);
}

/** The digest a link pins the session info with (16 bytes) from base64url; throws LinkError. */
export function parseInfoDigest(text: string): Uint8Array {
	return parseKey(text, "a link's info digest", INFO_DIGEST_BYTES);
}

/** A dealer secret (32 bytes) from base64url or standard base64; throws LinkError. */
export function parseDealerSecret(text: string): Uint8Array {
	return parseKey(text, 'a dealer secret', DEALER_SECRET_BYTES);
}

function parseKey(text: string, what: string, length: number): Uint8Array {
	const clean = text.trim().replace(/=+$/, '');
	let bytes: Uint8Array | undefined;
	if (/^[A-Za-z0-9_+/-]*$/.test(clean)) {
		try {
			const binary = atob(clean.replace(/-/g, '+').replace(/_/g, '/'));
			bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
		} catch {
			bytes = undefined;
		}
	}
	if (!bytes || bytes.length !== length) {
		// The text is (nearly) a secret: say what is wrong with it, not what it is.
		throw new LinkError(`${what} is ${length} bytes in base64url (${Math.ceil((length * 4) / 3)} characters), got ${clean.length} characters${/^[A-Za-z0-9_+/-]*$/.test(clean) ? '' : ' with some outside base64url'}`);
	}
	return bytes;
}

/** A session key (or any bytes) as base64url without padding (43 characters for 32 bytes). */
export function formatSessionKey(key: Uint8Array): string {
	let binary = '';
	for (const byte of key) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random session key. */
export function newSessionKey(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(SESSION_KEY_BYTES));
}
