/**
 * Property tests: random programs and random inputs, the compiled circuit against a direct
 * interpretation (BigInt arithmetic with Rust's checked semantics, first panic wins).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/lib/garble';
import { panicReason, runProgram } from './run';

interface NumType {
	readonly name: string;
	readonly bits: number;
	readonly signed: boolean;
}

const NUM_TYPES: NumType[] = [8, 16, 32, 64].flatMap((bits) => [
	{ name: `u${bits}`, bits, signed: false },
	{ name: `i${bits}`, bits, signed: true }
]);

class Panic {
	constructor(readonly reason: string) {}
}

function min(t: NumType): bigint {
	return t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
}

function max(t: NumType): bigint {
	return t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
}

function wrapTo(t: NumType, n: bigint): bigint {
	return t.signed ? BigInt.asIntN(t.bits, n) : BigInt.asUintN(t.bits, n);
}

function checked(t: NumType, n: bigint): bigint {
	if (n < min(t) || n > max(t)) throw new Panic('Overflow');
	return n;
}

/** A small deterministic PRNG (mulberry32), so that failures can be replayed. */
function rng(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Env = { x: bigint; y: bigint; b: boolean; i: bigint };

/** An expression of the test language: its Garble source and its meaning. */
interface Gen {
	readonly source: string;
	evaluate(env: Env): bigint;
}

class Generator {
	constructor(
		private readonly random: () => number,
		private readonly t: NumType
	) {}

	private pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.random() * items.length)];
	}

	value(t: NumType): bigint {
		const special = [0n, 1n, 2n, max(t), min(t), max(t) - 1n, t.signed ? -1n : 3n];
		if (this.random() < 0.4) return this.pick(special);
		let n = 0n;
		for (let k = 0; k < t.bits; k += 16) n = (n << 16n) | BigInt(Math.floor(this.random() * 65536));
		// Mostly small numbers, so that arithmetic does not always overflow.
		const width = this.pick([3, 6, t.bits]);
		return wrapTo(t, BigInt.asUintN(width, n));
	}

	private literal(t: NumType): Gen {
		const v = this.value(t);
		return { source: `${v}${t.name}`, evaluate: () => v };
	}

	/** A number expression of type T. */
	num(depth: number): Gen {
		const t = this.t;
		if (depth <= 0) return this.pick<() => Gen>([() => ({ source: 'x', evaluate: (e) => e.x }), () => ({ source: 'y', evaluate: (e) => e.y }), () => this.literal(t)])();
		const choices: (() => Gen)[] = [
			() => this.binary(depth, ['+', '-', '*', '/', '%']),
			() => this.binary(depth, ['+', '-', '*', '/', '%']),
			() => this.binary(depth, ['&', '|', '^']),
			() => this.shift(depth),
			() => this.ifThenElse(depth),
			() => this.match(depth),
			() => this.index(depth),
			() => this.cast(depth),
			() => this.unary(depth)
		];
		return this.pick(choices)();
	}

	private binary(depth: number, ops: readonly string[]): Gen {
		const t = this.t;
		const op = this.pick(ops);
		const l = this.num(depth - 1);
		const r = this.num(depth - 1);
		return {
			source: `(${l.source} ${op} ${r.source})`,
			evaluate: (env) => {
				const a = l.evaluate(env);
				return applyOp(t, op, a, r.evaluate(env)) as bigint;
			}
		};
	}

	private shift(depth: number): Gen {
		const t = this.t;
		const left = this.random() < 0.5;
		const l = this.num(depth - 1);
		const amount = this.pick([0, 1, 3, t.bits - 1, t.bits, 200]);
		const byI = this.random() < 0.5;
		return {
			source: `(${l.source} ${left ? '<<' : '>>'} ${byI ? 'i' : `${amount}u8`})`,
			evaluate: (env) => {
				const a = l.evaluate(env);
				const by = byI ? env.i : BigInt(amount);
				if (by >= BigInt(t.bits)) throw new Panic('Overflow');
				return left ? wrapTo(t, a << by) : a >> by;
			}
		};
	}

	private condition(depth: number): Gen {
		const kind = this.pick(depth > 0 ? ['cmp', 'b', 'andand', 'oror'] : ['cmp', 'b']);
		if (kind === 'b') return { source: 'b', evaluate: (e) => (e.b ? 1n : 0n) };
		if (kind === 'andand' || kind === 'oror') {
			const l = this.condition(depth - 1);
			const r = this.condition(depth - 1);
			const and = kind === 'andand';
			return {
				source: `(${l.source} ${and ? '&&' : '||'} ${r.source})`,
				evaluate: (env) => {
					const a = l.evaluate(env);
					if (and ? a === 0n : a === 1n) return a;
					return r.evaluate(env);
				}
			};
		}
		const op = this.pick(['<', '>', '<=', '>=', '==', '!=']);
		const l = this.num(Math.max(0, depth - 1));
		const r = this.num(Math.max(0, depth - 1));
		return {
			source: `(${l.source} ${op} ${r.source})`,
			evaluate: (env) => {
				const a = l.evaluate(env);
				return applyOp(this.t, op, a, r.evaluate(env)) ? 1n : 0n;
			}
		};
	}

	private ifThenElse(depth: number): Gen {
		const c = this.condition(depth - 1);
		const a = this.num(depth - 1);
		const b = this.num(depth - 1);
		return {
			source: `if ${c.source} { ${a.source} } else { ${b.source} }`,
			evaluate: (env) => (c.evaluate(env) === 1n ? a.evaluate(env) : b.evaluate(env))
		};
	}

	private match(depth: number): Gen {
		const t = this.t;
		const scrutinee = this.num(depth - 1);
		const [lo, hi] = [this.value(t), this.value(t)].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
		const inRange = this.num(depth - 1);
		const exact = this.value(t);
		const onExact = this.num(depth - 1);
		const otherwise = this.num(depth - 1);
		return {
			source: `match ${scrutinee.source} { ${exact}${t.name} => ${onExact.source}, ${lo}${t.name}..=${hi}${t.name} => ${inRange.source}, _ => ${otherwise.source} }`,
			evaluate: (env) => {
				const v = scrutinee.evaluate(env);
				if (v === exact) return onExact.evaluate(env);
				return v >= lo && v <= hi ? inRange.evaluate(env) : otherwise.evaluate(env);
			}
		};
	}

	private index(depth: number): Gen {
		const elems = [this.num(depth - 1), this.num(depth - 1), this.num(depth - 1)];
		return {
			source: `[${elems.map((e) => e.source).join(', ')}][i as usize]`,
			evaluate: (env) => {
				const values = elems.map((e) => e.evaluate(env));
				if (env.i >= 3n) throw new Panic('Array Access Out Of Bounds');
				return values[Number(env.i)];
			}
		};
	}

	private cast(depth: number): Gen {
		const t = this.t;
		const via = this.pick(NUM_TYPES);
		const inner = this.num(depth - 1);
		return {
			source: `((${inner.source} as ${via.name}) as ${t.name})`,
			evaluate: (env) => wrapTo(t, wrapTo(via, inner.evaluate(env)))
		};
	}

	private unary(depth: number): Gen {
		const t = this.t;
		const inner = this.num(depth - 1);
		if (t.signed && this.random() < 0.5) return { source: `-(${inner.source})`, evaluate: (env) => wrapTo(t, -inner.evaluate(env)) };
		return { source: `!(${inner.source})`, evaluate: (env) => wrapTo(t, ~inner.evaluate(env)) };
	}
}

/** The printed result, or the panic reason. */
function outcome(evaluate: () => bigint | boolean): string {
	try {
		return String(evaluate());
	} catch (failure) {
		if (failure instanceof Panic) return failure.reason;
		throw failure;
	}
}

describe('random programs', () => {
	// 400 programs compiled and run: seconds on a loaded 2-core machine.
	it('compute what a direct interpretation computes, panics included', () => {
		const random = rng(20240611);
		for (let round = 0; round < 400; round++) {
			const t = NUM_TYPES[round % NUM_TYPES.length];
			const gen = new Generator(random, t);
			const expr = gen.num(1 + (round % 4));
			const source = `pub fn main(x: ${t.name}, y: ${t.name}, b: bool, i: u8) -> ${t.name} {\n    ${expr.source}\n}`;
			const program = compile(source);
			for (let k = 0; k < 12; k++) {
				const env: Env = { x: gen.value(t), y: gen.value(t), b: random() < 0.5, i: BigInt(Math.floor(random() * 5)) };
				const inputs = [`${env.x}`, `${env.y}`, `${env.b}`, `${env.i}`];
				const actual = panicReason(program, inputs) ?? runProgram(program, inputs);
				expect(actual, `${source}\nwith ${inputs.join(', ')}`).toBe(outcome(() => expr.evaluate(env)));
			}
		}
	}, 60_000);

	it('multiplication by a constant (shifts and adds) agrees with checked arithmetic', () => {
		for (const t of NUM_TYPES.filter((nt) => nt.bits === 8 || nt.name === 'i64')) {
			const gen = new Generator(rng(t.bits), t);
			for (let k = 0; k < 24; k++) {
				const c = gen.value(t);
				const program = compile(`pub fn main(x: ${t.name}, y: bool) -> ${t.name} { x * ${c}${t.name} }`);
				for (const x of [0n, 1n, -1n, 2n, 3n, 100n, min(t), max(t), gen.value(t), gen.value(t)]) {
					if (x < min(t) || x > max(t)) continue;
					const actual = panicReason(program, [`${x}`, 'true']) ?? runProgram(program, [`${x}`, 'true']);
					expect(actual, `${x} * ${c} (${t.name})`).toBe(outcome(() => applyOp(t, '*', x, c)));
				}
			}
		}
	});

	it('every operator on every number type agrees with checked arithmetic', () => {
		const random = rng(7);
		const ops = ['+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '<=', '>=', '==', '!='];
		for (const t of NUM_TYPES) {
			const gen = new Generator(random, t);
			for (const op of ops) {
				const comparison = ['<', '>', '<=', '>=', '==', '!='].includes(op);
				const program = compile(`pub fn main(x: ${t.name}, y: ${t.name}) -> ${comparison ? 'bool' : t.name} { x ${op} y }`);
				for (let k = 0; k < 25; k++) {
					const x = gen.value(t);
					const y = gen.value(t);
					const actual = panicReason(program, [`${x}`, `${y}`]) ?? runProgram(program, [`${x}`, `${y}`]);
					expect(actual, `${x} ${op} ${y} (${t.name})`).toBe(outcome(() => applyOp(t, op, x, y)));
				}
			}
		}
	});
});

/** `x op y` with Rust's checked arithmetic (but MIN / -1 wraps, as in garble-lang); throws Panic. */
function applyOp(t: NumType, op: string, x: bigint, y: bigint): bigint | boolean {
	switch (op) {
		case '+':
			return checked(t, x + y);
		case '-':
			return checked(t, x - y);
		case '*':
			return checked(t, x * y);
		case '/':
		case '%':
			if (y === 0n) throw new Panic('Division By Zero');
			return op === '/' ? wrapTo(t, x / y) : x % y;
		case '&':
			return wrapTo(t, x & y);
		case '|':
			return wrapTo(t, x | y);
		case '^':
			return wrapTo(t, x ^ y);
		case '<':
			return x < y;
		case '>':
			return x > y;
		case '<=':
			return x <= y;
		case '>=':
			return x >= y;
		case '==':
			return x === y;
		default:
			return x !== y;
	}
}
