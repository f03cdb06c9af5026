/** Moving a value between layouts of its type, where unsuffixed numbers got a concrete width. */
import type { Gates, Wire } from '../circuit/gates';
import type { Layout } from '../layout';
import { typesEqual, type Type } from '../types';
import type { Word } from './env';

/**
 * Re-lays a value computed at type `from` out at type `to`. The types differ only where an
 * unsuffixed number (32 bits) was later given a concrete number type.
 */
export function coerce(gates: Gates, layout: Layout, word: Word, from: Type, to: Type): Word {
	if (typesEqual(from, to)) return word;
	switch (to.kind) {
		case 'unsigned':
		case 'signed':
			return gates.resize(word, layout.bits(to), from.kind === 'signed');
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr': {
			if (from.kind !== 'array' && from.kind !== 'arrayConst' && from.kind !== 'arrayConstExpr') return word;
			const fromBits = layout.bits(from.elem);
			const toBits = layout.bits(to.elem);
			if (fromBits === toBits && !containsNumbers(to.elem)) return word;
			const out: Wire[] = [];
			for (let i = 0; i < layout.arrayLength(to); i++) {
				out.push(...coerce(gates, layout, word.slice(i * fromBits, (i + 1) * fromBits), from.elem, to.elem));
			}
			return out;
		}
		case 'tuple': {
			if (from.kind !== 'tuple') return word;
			const out: Wire[] = [];
			let offset = 0;
			to.elems.forEach((elemTo, i) => {
				const bits = layout.bits(from.elems[i]);
				out.push(...coerce(gates, layout, word.slice(offset, offset + bits), from.elems[i], elemTo));
				offset += bits;
			});
			return out;
		}
		default:
			return word;
	}
}

function containsNumbers(ty: Type): boolean {
	switch (ty.kind) {
		case 'unsigned':
		case 'signed':
			return true;
		case 'array':
		case 'arrayConst':
		case 'arrayConstExpr':
			return containsNumbers(ty.elem);
		case 'tuple':
			return ty.elems.some(containsNumbers);
		default:
			return false;
	}
}

export function isSigned(ty: Type): boolean {
	return ty.kind === 'signed';
}
