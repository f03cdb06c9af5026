/** The circuit toolkit the Garble compiler builds with: bits, words, and circuit file formats. */
export { CircuitBuilder, type Wire } from './builder';
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
export { parseBristol, parseBristolFashion, toBristol, type BristolCircuit } from './bristol';
export { deserializeCircuit, serializeCircuit } from './serialize';
