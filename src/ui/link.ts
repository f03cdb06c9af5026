// Session links: `/s/{session}#key=…`. The key lives in the fragment, which browsers never
// send to the server, so the relay never sees it.

export function sessionPath(session: string, key: string): string {
	return `/s/${encodeURIComponent(session)}#key=${key}`;
}

export function dealerPath(session: string, key: string): string {
	return `/s/${encodeURIComponent(session)}/dealer#key=${key}`;
}

/** The key in a location's fragment (`#key=…`), or undefined when there is none. */
export function keyFromHash(hash: string): string | undefined {
	const key = new URLSearchParams(hash.replace(/^#/, '')).get('key');
	return key || undefined;
}
