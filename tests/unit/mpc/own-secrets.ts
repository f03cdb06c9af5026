/**
 * The adversary of adversary.ts with its own secrets: a corrupted party of the paper knows its
 * global key Δ, its λ shares, its MAC keys and its labels, and may use them (WRK17 §2). A
 * Strategy sees only messages, so each test file that attacks with them mocks
 * src/lib/mpc/{garble,input,output,triples} with the wrappers below (vi.mock factories): they
 * call the engine's own code and record, per party, Δ, the input masks, the garbler's 0-labels
 * of the input wires, every garbleAnds call (r0/α/β shares, labels, the table) and the output
 * phase's λ and labels; `hooks` lets a corrupted party's code deviate with that knowledge.
 * Honest parties always run the engine's code untouched.
 */
import { GATE_AND, GATE_NOT, GATE_XOR, evaluateCircuit, type Bits, type Circuit } from '../../../src/lib/garble/circuit';
import type { AuthBits } from '../../../src/lib/mpc/auth';
import { MpcAbortError } from '../../../src/lib/mpc/errors';
import type { AttackResult } from '../mpc/adversary';

export interface GarbleCall {
	gateIds: Uint32Array;
	r0: AuthBits;
	alpha: AuthBits;
	beta: AuthBits;
	labelAlpha: Uint32Array;
	labelBeta: Uint32Array;
	labelGamma: Uint32Array;
	table?: Uint32Array;
}

export interface PartyState {
	delta?: Uint32Array;
	/** Garbler: 0-labels of the input wires (what it sends is L0 ⊕ y·Δ). */
	inputZeroLabels?: Uint32Array;
	inputMasks?: AuthBits;
	/** Masked inputs y of every input wire, once input processing returned. */
	y?: Uint8Array;
	garble: GarbleCall[];
	/** Output phase: λ of every slot, garbler 0-labels of every slot, the evaluator's z/labels. */
	lambda?: AuthBits;
	zeroLabels?: Uint32Array | null;
	evaluatorState?: { z: Uint8Array; labels: Uint32Array } | null;
}

export interface Hooks {
	corrupted: Set<number>;
	/** Before a corrupted garbler garbles a segment: may change the label arrays (in place). */
	beforeGarble?: (party: number, call: GarbleCall) => void;
	/** After a corrupted garbler garbled: may return another table. */
	afterGarble?: (party: number, call: GarbleCall, table: Uint32Array) => Uint32Array;
	/** A corrupted party's TripleRounds instance before its leaky-AND round (fields are reachable at run time). */
	beforeLeakyAnd?: (party: number, rounds: Record<string, unknown>) => void;
	/** Right after a corrupted party built its leaky-AND round (its U messages are in rounds.u). */
	afterLeakyAnd?: (party: number, rounds: Record<string, unknown>) => void;
	/** Before a corrupted party commits to its check sums (its H shares are in rounds.h). */
	beforeCommit?: (party: number, rounds: Record<string, unknown>) => void;
	/** A corrupted garbler's 0-labels as its own output label check sees them (a cheater keeps its own check quiet). */
	outputZeroLabels?: (party: number, zeroLabels: Uint32Array, wireSlot: Uint32Array) => Uint32Array;
}

export const registry = {
	parties: new Map<number, PartyState>(),
	hooks: { corrupted: new Set<number>() } as Hooks
};

/** Every party's TripleRounds of batch 0 (for the test's analysis, honest ones included). */
export const triples = new Map<number, Record<string, unknown>>();

export function reset(hooks: Hooks): void {
	registry.parties.clear();
	triples.clear();
	registry.hooks = hooks;
}

export function stateOf(party: number): PartyState {
	let s = registry.parties.get(party);
	if (!s) registry.parties.set(party, (s = { garble: [] }));
	return s;
}

// The wrapped functions and classes are the engine's; their exact types do not matter here.
type Fn = (...args: any[]) => any;

export function wrapGarbleAnds(original: Fn): Fn {
	return (ctx: { me: number; delta: Uint32Array }, count: number, gateIds: Uint32Array, r0: AuthBits, alpha: AuthBits, beta: AuthBits, la: Uint32Array, lb: Uint32Array, lg: Uint32Array, scratch: unknown) => {
		const s = stateOf(ctx.me);
		s.delta = ctx.delta;
		const call: GarbleCall = { gateIds, r0, alpha, beta, labelAlpha: la, labelBeta: lb, labelGamma: lg };
		const corrupt = registry.hooks.corrupted.has(ctx.me);
		if (corrupt) registry.hooks.beforeGarble?.(ctx.me, call);
		let table: Uint32Array = original(ctx, count, gateIds, r0, alpha, beta, la, lb, lg, scratch);
		if (corrupt && registry.hooks.afterGarble) table = registry.hooks.afterGarble(ctx.me, call, table);
		call.table = table;
		s.garble.push(call);
		return table;
	};
}

export function wrapProcessInputs(original: Fn): Fn {
	return async (ctx: { session: { me: number }; delta: Uint32Array }, masks: { masks: AuthBits }, myInput: Uint8Array, zeroLabels: Uint32Array | null, evaluatorState: unknown, wireSlot: Uint32Array) => {
		const s = stateOf(ctx.session.me);
		s.delta = ctx.delta;
		s.inputMasks = masks.masks;
		s.inputZeroLabels = zeroLabels ? zeroLabels.slice() : undefined;
		const y: Uint8Array = await original(ctx, masks, myInput, zeroLabels, evaluatorState, wireSlot);
		s.y = y;
		return y;
	};
}

export function wrapOutputPhase(Original: any): any {
	return class extends Original {
		private readonly me: number;
		private readonly slots: Uint32Array;
		constructor(ctx: { session: { me: number }; delta: Uint32Array; wireSlot: Uint32Array }) {
			super(ctx);
			this.me = ctx.session.me;
			this.slots = ctx.wireSlot;
			stateOf(this.me).delta = ctx.delta;
		}
		finish(lambda: AuthBits, zeroLabels: Uint32Array | null, evaluatorState: { z: Uint8Array; labels: Uint32Array } | null) {
			const s = stateOf(this.me);
			s.lambda = lambda;
			s.zeroLabels = zeroLabels;
			s.evaluatorState = evaluatorState;
			const fix = registry.hooks.outputZeroLabels;
			if (zeroLabels && fix && registry.hooks.corrupted.has(this.me)) zeroLabels = fix(this.me, zeroLabels.slice(), this.slots);
			return super.finish(lambda, zeroLabels, evaluatorState);
		}
	};
}

export function wrapTripleRounds(Original: any): any {
	return class extends Original {
		leakyAnd() {
			const self = this as any;
			const me: number = self.context.session.me;
			stateOf(me).delta = self.context.delta;
			triples.set(me, self);
			if (registry.hooks.corrupted.has(me)) registry.hooks.beforeLeakyAnd?.(me, self);
			const part = super.leakyAnd();
			if (registry.hooks.corrupted.has(me)) registry.hooks.afterLeakyAnd?.(me, self);
			return part;
		}
		commitAndBucket() {
			const self = this as any;
			const me: number = self.context.session.me;
			if (registry.hooks.corrupted.has(me)) registry.hooks.beforeCommit?.(me, self);
			return super.commitAndBucket();
		}
	};
}

/**
 * Every party has 2 input bits (wires 2p, 2p+1). `h` is the honest party whose bit 0 varies,
 * `c` a corrupted one. Gates (wire = 2n + g):
 * g0 = AND(x_h0, x_c0)  g1 = XOR(x_h0, x_c1)  g2 = AND(g0, x_h1)  g3 = NOT(g2)  g4 = AND(g3, g1)
 * outputs: g0, g1, g4, x_h0 (the honest input passed through).
 */
export function attackCircuit(parties: number, h: number, c: number): Circuit {
	const n2 = 2 * parties;
	const kinds = [GATE_AND, GATE_XOR, GATE_AND, GATE_NOT, GATE_AND];
	const in0 = [2 * h, 2 * h, n2 + 0, n2 + 2, n2 + 3];
	const in1 = [2 * c, 2 * c + 1, 2 * h + 1, 0, n2 + 1];
	return {
		inputBits: Array(parties).fill(2),
		gateKinds: Uint8Array.from(kinds),
		gateIn0: Uint32Array.from(in0),
		gateIn1: Uint32Array.from(in1),
		outputs: Uint32Array.from([n2 + 0, n2 + 1, n2 + 4, 2 * h])
	};
}

export interface Outcome {
	/** 'ok' (every honest party output a correct value) or the checks honest parties reported (excluding peer abort). */
	kind: 'ok' | 'abort';
	checks: string[];
	named: number[];
	/** Output came from a substituted corrupt input (allowed), not the declared one. */
	substituted: boolean;
}

/**
 * The invariant: every honest party outputs f(honest inputs, SOME corrupt inputs) or aborts with
 * MpcAbortError naming a check and never an honest party. Throws otherwise.
 */
export function judge(circuit: Circuit, inputs: Bits[], result: AttackResult): Outcome {
	const honest = inputs.map((_, p) => p).filter((p) => !result.corrupted.has(p));
	const corrupt = inputs.map((_, p) => p).filter((p) => result.corrupted.has(p));
	const checks: string[] = [];
	const named: number[] = [];
	let substituted = false;
	let finished = 0;
	for (const p of honest) {
		const error = result.errors[p];
		if (error !== undefined) {
			if (!(error instanceof MpcAbortError)) throw new Error(`honest party ${p} failed with a non-abort error: ${String(error)}`);
			if (error.check !== 'peer abort') {
				checks.push(error.check);
				named.push(error.party);
				if (honest.includes(error.party)) throw new Error(`honest party ${p} named honest party ${error.party}: ${error.message}`);
			}
			continue;
		}
		finished++;
		const out = result.outputs[p];
		if (out === undefined) continue;
		if (same(out, result.want)) continue;
		// Input substitution: some corrupt inputs give this output?
		const combos = 1 << (2 * corrupt.length);
		let found = false;
		for (let m = 0; m < combos && !found; m++) {
			const alt = inputs.map((bits) => bits.slice());
			corrupt.forEach((q, i) => {
				alt[q][0] = (m >> (2 * i)) & 1;
				alt[q][1] = (m >> (2 * i + 1)) & 1;
			});
			if (same(evaluateCircuit(circuit, alt), out)) found = true;
		}
		if (!found) throw new Error(`honest party ${p} output a WRONG value ${Array.from(out).join('')} (want ${Array.from(result.want).join('')}; no corrupt input gives it)`);
		substituted = true;
	}
	// Some honest parties may finish while others abort: allowed (WRK17 has no fairness).
	return { kind: checks.length === 0 && finished === honest.length ? 'ok' : 'abort', checks: [...new Set(checks)], named: [...new Set(named)], substituted };
}

function same(a: Bits, b: Bits): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
