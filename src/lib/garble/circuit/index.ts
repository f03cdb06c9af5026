/**
 * The circuit toolkit the Garble compiler builds with.
 *
 * - `CircuitBuilder` (builder.ts): bit-level gates with constant folding, structural hashing,
 *   free NOTs, dead-gate removal on `build`.
 * - Words (`Wire[]`, most significant bit first, two's complement when signed): word.ts
 *   (constants, bitwise ops, casts, mux), arith.ts (+, -, negation), compare.ts, multiply.ts
 *   (constant operands: constant-multiply.ts; both add up bits with columns.ts), divide.ts,
 *   shift.ts, array.ts. Each operation returns the flag wires the language panics
 *   on (overflow, divByZero, outOfBounds); the compiler decides which ones panic.
 * - `Gates` (gates.ts): the interface the code generator builds with; `CircuitGates` implements
 *   it with all of the above.
 * - Circuit files: serialize.ts (compact binary, for hashing and shipping), bristol.ts.
 */
export { CircuitBuilder, CircuitTooLargeError, type CircuitBuilderOptions, type Wire } from './builder';
export {
	allBits,
	andWord,
	anyBit,
	condSwap,
	constantWord,
	isZero,
	muxWord,
	notWord,
	orWord,
	resize,
	wordConstant,
	xorWord,
	type Word
} from './word';
export { add, addWithCarry, negate, negateIf, sub, subtractWithBorrow, type Difference, type Sum } from './arith';
export { equal, greaterOrEqual, greaterThan, lessOrEqual, lessThan, max, min, notEqual } from './compare';
export { mul } from './multiply';
export { divRem, type Division } from './divide';
export { shiftLeft, shiftRight } from './shift';
export { arrayGet, arraySet } from './array';
export { CircuitGates, type Gates } from './gates';
export { parseBristol, parseBristolFashion, toBristol, type BristolCircuit } from './bristol';
export { deserializeCircuit, serializeCircuit } from './serialize';
