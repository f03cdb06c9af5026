import { evaluateCircuit, type Circuit } from '../../../../src/lib/garble/circuit';
import { CircuitBuilder, type Wire } from '../../../../src/lib/garble/circuit/builder';

/** Test helpers: circuits over words, evaluated on BigInt values (BigInt is fine in tests). */

/** `value` as `bits` bits, most significant first (two's complement for negatives). */
export function toBits(value: bigint, bits: number): Uint8Array {
	const v = BigInt.asUintN(bits, value);
	return Uint8Array.from({ length: bits }, (_, i) => Number((v >> BigInt(bits - 1 - i)) & 1n));
}

export function fromBits(bits: ArrayLike<number>, signed: boolean): bigint {
	let v = 0n;
	for (let i = 0; i < bits.length; i++) v = (v << 1n) | BigInt(bits[i]);
	return signed ? BigInt.asIntN(bits.length, v) : v;
}

export function range(bits: number, signed: boolean): { min: bigint; max: bigint } {
	return signed ? { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n } : { min: 0n, max: (1n << BigInt(bits)) - 1n };
}

export function wrap(value: bigint, bits: number, signed: boolean): bigint {
	return signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

/** Every value of a `bits`-bit integer type. */
export function allValues(bits: number, signed: boolean): bigint[] {
	const { min, max } = range(bits, signed);
	const values: bigint[] = [];
	for (let v = min; v <= max; v++) values.push(v);
	return values;
}

/** A seeded generator of random values of a type, edge cases first. */
export function randomValues(bits: number, signed: boolean, count: number, seed = 1): bigint[] {
	const { min, max } = range(bits, signed);
	const values = [0n, 1n, min, max, min + 1n, max - 1n, wrap(-1n, bits, signed), 2n, wrap(1n << BigInt(bits - 1), bits, signed)];
	let state = BigInt(seed) * 0x9e3779b97f4a7c15n;
	while (values.length < count) {
		state = BigInt.asUintN(64, state * 6364136223846793005n + 1442695040888963407n);
		let v = state ^ (state >> 29n);
		// Also small and sparse values, where carries and constants behave differently.
		const shape = Number(state >> 61n);
		if (shape === 0) v &= 0xffn;
		if (shape === 1) v = 1n << (v % BigInt(bits));
		values.push(wrap(v, bits, signed));
	}
	return values.slice(0, count);
}

/** A circuit whose parties each supply one word; outputs are words. */
export class WordCircuit {
	readonly circuit: Circuit;
	private readonly outputWidths: number[];

	constructor(
		readonly inputWidths: number[],
		build: (b: CircuitBuilder, inputs: Wire[][]) => Wire[][]
	) {
		const b = new CircuitBuilder(inputWidths);
		const outputs = build(
			b,
			inputWidths.map((_, p) => b.inputs(p))
		);
		this.outputWidths = outputs.map((o) => o.length);
		this.circuit = b.build(outputs.flat());
	}

	/** Evaluates on the given values; returns each output word as raw bits. */
	run(values: bigint[]): Uint8Array[] {
		const out = evaluateCircuit(
			this.circuit,
			values.map((v, p) => toBits(v, this.inputWidths[p]))
		);
		let offset = 0;
		return this.outputWidths.map((w) => out.subarray(offset, (offset += w)));
	}
}
