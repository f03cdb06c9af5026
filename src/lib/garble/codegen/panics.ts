/**
 * Panics. garble-lang outputs a panic flag plus reason and source location (160 bits) and
 * multiplexes them at every panic site, which costs over a hundred AND gates per site. We
 * number the sites at compile time instead: the circuit outputs the number of the first site
 * that panicked (0 for none) in ⌈log2(sites + 1)⌉ bits, and the program's metadata maps the
 * number back to reason and location. "First panic wins" costs one AND gate per site.
 */
import type { Span } from '../span';
import type { Gates, Wire } from '../circuit/gates';

export type PanicReason = 'Overflow' | 'Division By Zero' | 'Array Access Out Of Bounds';

export interface PanicSite {
	readonly reason: PanicReason;
	readonly span: Span;
}

export class Panics {
	readonly sites: PanicSite[] = [];
	private readonly siteNumbers = new Map<string, number>();
	/** Each time a site may panic, in evaluation order: its condition and its number. */
	private readonly events: { cond: Wire; site: number }[] = [];
	private readonly seen = new Set<Wire>();
	/** Conditions already recorded on a path that is always taken. */
	private readonly seenUnconditionally = new Set<Wire>();

	constructor(private readonly gates: Gates) {}

	/** Records that evaluation panics here when `raw` is 1 and the code's `path` is taken. */
	record(raw: Wire, path: Wire, reason: PanicReason, span: Span): void {
		// A condition that held before made an earlier site panic, and the earliest panic wins.
		if (this.seenUnconditionally.has(raw)) return;
		if (path === this.gates.one) this.seenUnconditionally.add(raw);
		const cond = this.gates.and(raw, path);
		if (this.gates.constant(cond) === 0 || this.seen.has(cond)) return;
		this.seen.add(cond);
		const key = `${reason}@${span.startLine}:${span.startColumn}:${span.endLine}:${span.endColumn}`;
		let site = this.siteNumbers.get(key);
		if (site === undefined) {
			this.sites.push({ reason, span });
			site = this.sites.length;
			this.siteNumbers.set(key, site);
		}
		this.events.push({ cond, site });
	}

	/** Bits of the code number (MSB first) of the first site whose condition held. */
	codeBits(): Wire[] {
		const g = this.gates;
		const width = codeWidth(this.sites.length);
		const code: Wire[] = new Array<Wire>(width).fill(g.zero);
		let panicked = g.zero;
		for (const { cond, site } of this.events) {
			const first = g.and(cond, g.not(panicked));
			panicked = g.xor(panicked, first);
			for (let b = 0; b < width; b++) {
				if ((site >> (width - 1 - b)) & 1) code[b] = g.xor(code[b], first);
			}
		}
		return code;
	}
}

/** Bits needed to number `sites` sites plus "no panic". */
export function codeWidth(sites: number): number {
	let width = 0;
	while (2 ** width < sites + 1) width++;
	return width;
}
