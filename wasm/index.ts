// The kernels module: every export is a kernel or a layout constant for the JavaScript side
// (src/lib/crypto/wasm-kernels.ts), which owns the memory layout.
export { bitsliceKey as aesBitsliceKey, encrypt as aesEncrypt, ctr as aesCtr, hashMmo, hashTccr } from './aes';

/** Where memory free for the caller's buffers starts (after the module's static data). */
export function heapBase(): usize {
	return __heap_base;
}
export { buildTable as gfBuildTable, horner as gfHorner } from './gf128';
export { transposeTiles } from './transpose';
export { rstBaseMul, rstChosen, rstMul, rstOffer, rstSend } from './ristretto';
export { chachaXor, polyBlocks, polyFinish, polyInit } from './chacha';
export { evaluateFreeGates, walkGates, walkLayout } from './walk';
export { digestFold, digestGather, digestGatherKeys } from './digest';
export { dealerMacs } from './dealer';
export { chunkLayout, encryptRows, evaluatorHashInputs, garblerHashInputs, openRows } from './garble';
