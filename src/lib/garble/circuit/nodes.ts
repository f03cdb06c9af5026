/** Entries per page: 64 KiB of kinds and 256 KiB of each input array. */
const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
const OFFSET = PAGE - 1;

/**
 * The builder's nodes (a kind and two input wires each) in pages that are added as nodes are:
 * growing never copies. A copy to a larger array leaves the old one as garbage beside the new
 * until the garbage collector runs, which under load is long after (150 MB at 20 M nodes).
 */
export class NodeStore {
	private readonly kindPages: Uint8Array[] = [];
	private readonly in0Pages: Uint32Array[] = [];
	private readonly in1Pages: Uint32Array[] = [];
	/** Number of nodes stored. */
	size = 0;

	kind(id: number): number {
		return this.kindPages[id >>> PAGE_BITS][id & OFFSET];
	}

	in0(id: number): number {
		return this.in0Pages[id >>> PAGE_BITS][id & OFFSET];
	}

	in1(id: number): number {
		return this.in1Pages[id >>> PAGE_BITS][id & OFFSET];
	}

	/** Stores node number `size`; returns its id. */
	add(kind: number, a: number, b: number): number {
		const id = this.size++;
		const page = id >>> PAGE_BITS;
		if (page === this.kindPages.length) {
			this.kindPages.push(new Uint8Array(PAGE));
			this.in0Pages.push(new Uint32Array(PAGE));
			this.in1Pages.push(new Uint32Array(PAGE));
		}
		const offset = id & OFFSET;
		this.kindPages[page][offset] = kind;
		this.in0Pages[page][offset] = a;
		this.in1Pages[page][offset] = b;
		return id;
	}
}
