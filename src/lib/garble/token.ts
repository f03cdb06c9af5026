import type { Span } from './span';

/** Number types a literal suffix can name; 'unspecified' when the literal has no suffix. */
export type UnsignedNum = 'usize' | 'u8' | 'u16' | 'u32' | 'u64' | 'unspecified';
export type SignedNum = 'i8' | 'i16' | 'i32' | 'i64' | 'unspecified';

export const KEYWORDS = ['const', 'struct', 'enum', 'fn', 'let', 'if', 'else', 'match', 'mut', 'as', 'pub', 'for', 'in'] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** Punctuation and operators, spelled as in the source. */
export type Punct =
	| '.' | '..' | '..=' | ',' | ';' | ':' | '::' | '->' | '=>' | '(' | ')' | '{' | '}' | '[' | ']'
	| '+' | '-' | '/' | '*' | '%' | '&' | '&&' | '|' | '||' | '^' | '!' | '=' | '==' | '!='
	| '>' | '<' | '>=' | '<=' | '>>' | '<<' | '+=' | '-=' | '*=' | '/=' | '%=' | '^=' | '&=' | '|=' | '>>=' | '<<=';

export type TokenValue =
	| { readonly kind: 'ident'; readonly name: string }
	| { readonly kind: 'unsigned'; readonly value: bigint; readonly num: UnsignedNum }
	| { readonly kind: 'signed'; readonly value: bigint; readonly num: SignedNum }
	| { readonly kind: 'keyword'; readonly keyword: Keyword }
	| { readonly kind: 'punct'; readonly punct: Punct };

export type Token = TokenValue & { readonly span: Span };

export function unsignedNumName(num: UnsignedNum): string {
	return num === 'unspecified' ? 'unspecified unsigned int' : num;
}

export function signedNumName(num: SignedNum): string {
	return num === 'unspecified' ? 'unspecified signed int' : num;
}

/** The token as garble-lang displays it in "Expected '…'" messages. */
export function tokenText(token: TokenValue): string {
	switch (token.kind) {
		case 'ident':
			return token.name;
		case 'unsigned':
			return `${token.value}${unsignedNumName(token.num)}`;
		case 'signed':
			return `${token.value}${signedNumName(token.num)}`;
		case 'keyword':
			return token.keyword;
		case 'punct':
			return token.punct;
	}
}

export function isPunct(token: TokenValue | undefined, punct: Punct): boolean {
	return token !== undefined && token.kind === 'punct' && token.punct === punct;
}

export function isKeyword(token: TokenValue | undefined, keyword: Keyword): boolean {
	return token !== undefined && token.kind === 'keyword' && token.keyword === keyword;
}

export const UNSIGNED_MAX: Record<Exclude<UnsignedNum, 'unspecified'>, bigint> = {
	usize: 0xffff_ffffn,
	u8: 0xffn,
	u16: 0xffffn,
	u32: 0xffff_ffffn,
	u64: 0xffff_ffff_ffff_ffffn
};

export const SIGNED_MIN: Record<Exclude<SignedNum, 'unspecified'>, bigint> = {
	i8: -0x80n,
	i16: -0x8000n,
	i32: -0x8000_0000n,
	i64: -0x8000_0000_0000_0000n
};

export const SIGNED_MAX: Record<Exclude<SignedNum, 'unspecified'>, bigint> = {
	i8: 0x7fn,
	i16: 0x7fffn,
	i32: 0x7fff_ffffn,
	i64: 0x7fff_ffff_ffff_ffffn
};

/** What a number type holds, as `does not fit` messages say it ("u8, which holds 0 to 255"). */
export function numberRange(num: Exclude<UnsignedNum | SignedNum, 'unspecified'>): string {
	const [min, max] = Object.hasOwn(UNSIGNED_MAX, num)
		? [0n, UNSIGNED_MAX[num as keyof typeof UNSIGNED_MAX]]
		: [SIGNED_MIN[num as keyof typeof SIGNED_MIN], SIGNED_MAX[num as keyof typeof SIGNED_MAX]];
	return `${num}, which holds ${min} to ${max}`;
}
