import { describe, expect, it } from 'vitest';
import { compile, GarbleCompileError, GarbleLiteralError, type ConstInputs } from '../../../src/lib/garble';
import { MismatchError, PartySetupError, prepareParty } from '../../../src/lib/party';
import { ConstantsError } from '../../../src/lib/party/prepare';

import { ROWS, SUM } from './world';

describe('prepareParty', () => {
	it('compiles at once when no constants are needed, with defaults for the settings', () => {
		const prepared = prepareParty({ party: 1, program: SUM, input: '10u32' });
		expect(prepared).toMatchObject({ party: 1, parties: 3, evaluator: 0, outputParties: [0, 1, 2], preprocessing: 'auto', consts: {} });
		expect(prepared.program?.parties).toHaveLength(3);
		expect([...prepared.encodeInput(prepared.program!)].slice(-4)).toEqual([1, 0, 1, 0]);
	});

	it("compiles with the compiler it is given (the Worker's cache), with every party's constants", () => {
		const calls: ConstInputs[] = [];
		const compiler = (source: string, consts: ConstInputs) => (calls.push(consts), compile(source, { consts }));
		const prepared = prepareParty({ party: 0, program: ROWS, input: '[1u8, 2u8]', consts: { ROWS: 2 }, sharedConsts: { OTHER: { X: 1 } }, compiler });
		expect(calls).toEqual([]);
		const program = prepared.compileWith([{ ROWS: '2' }, { ROWS: '3' }]);
		expect(calls).toEqual([{ OTHER: { X: 1 }, PARTY_0: { ROWS: '2' }, PARTY_1: { ROWS: '3' } }]);
		expect(program.parties.map((p) => p.type)).toEqual(['[u8; 2]', '[u8; 3]']);
	});

	it('refuses a bad program, a bad input and bad settings before anything is sent', () => {
		expect(() => prepareParty({ party: 0, program: 'pub fn main(x: u32) -> u32 { y }', input: '1u32' })).toThrow(GarbleCompileError);
		const literal = (() => {
			try {
				prepareParty({ party: 0, program: SUM, input: 'true' });
			} catch (error) {
				return error;
			}
		})();
		expect(literal).toBeInstanceOf(GarbleLiteralError);
		expect((literal as GarbleLiteralError).expectedType).toBe('u32');
		expect(() => prepareParty({ party: 3, program: SUM, input: '1u32' })).toThrow('there is no party 3: the program has 3 parties, numbered 0 to 2');
		expect(() => prepareParty({ party: 0, program: SUM, input: '1u32', evaluator: 5 })).toThrow('the evaluator must be a party from 0 to 2, got 5');
		expect(() => prepareParty({ party: 0, program: SUM, input: '1u32', outputParties: [1, 1] })).toThrow(PartySetupError);
		expect(() => prepareParty({ party: 0, program: 'pub fn main(x: u32) -> u32 { x }', input: '1u32' })).toThrow('MPC needs at least 2');
		expect(() => prepareParty({ party: 0, program: SUM, input: '1u32', parties: 4 })).toThrow('the program has 3 parties, not 4');
	});

	it('takes the party count from a single array parameter, or from the settings when the program cannot tell', () => {
		expect(prepareParty({ party: 0, program: 'pub fn main(x: [u16; 4]) -> u16 { x[0] }', input: '1u16' }).parties).toBe(4);
		const open = 'const N: usize = PARTIES::TOTAL;\npub fn main(x: [u16; N]) -> u16 { x[0] }';
		expect(() => prepareParty({ party: 0, program: open, input: '1u16' })).toThrow('give the number of parties');
		const prepared = prepareParty({ party: 0, program: open, input: '1u16', parties: 5 });
		expect(prepared.program?.parties).toHaveLength(5);
	});

	it("checks this party's constants against the program, and compiles once everyone's are known", () => {
		expect(() => prepareParty({ party: 0, program: ROWS, input: '[1u8]' })).toThrow('the program needs PARTY_0::ROWS (usize) from this party');
		expect(() => prepareParty({ party: 0, program: ROWS, input: '[1u8]', consts: { ROWS: 1, COLS: 2 } })).toThrow(
			'the program has no constant PARTY_0::COLS (it wants PARTY_0::ROWS)'
		);
		expect(() => prepareParty({ party: 0, program: ROWS, input: '[1u8]', consts: { 'PARTY_1::ROWS': 1 } })).toThrow('party 0 cannot supply PARTY_1::ROWS');
		const prepared = prepareParty({ party: 0, program: ROWS, input: '[1u8, 2u8]', consts: { 'PARTY_0::ROWS': 2 } });
		expect(prepared.program).toBeUndefined();
		expect(prepared.consts).toEqual({ ROWS: '2' });
		const program = prepared.compileWith([{ ROWS: '2' }, { ROWS: '3' }]);
		expect(program.parties.map((p) => p.type)).toEqual(['[u8; 2]', '[u8; 3]']);
		expect(prepared.encodeInput(program)).toHaveLength(16);
	});

	it('names the party whose constants do not fit the program', () => {
		const prepared = prepareParty({ party: 0, program: ROWS, input: '[1u8]', consts: { ROWS: 1 } });
		const missing = (() => {
			try {
				prepared.compileWith([{ ROWS: '1' }, {}]);
			} catch (error) {
				return error;
			}
		})();
		expect(missing).toBeInstanceOf(MismatchError);
		expect((missing as MismatchError).party).toBe(1);
		expect(String(missing)).toContain('party 1 supplied no PARTY_1::ROWS, which our program needs: does it run the same program?');
		expect(() => prepared.compileWith([{ ROWS: '1' }, { ROWS: '1', COLS: '2' }])).toThrow('party 1 supplied PARTY_1::COLS, which our program does not declare');
		expect(() => prepared.compileWith([{ ROWS: '1' }, { ROWS: 'many' }])).toThrow(ConstantsError);
		expect(() => prepared.compileWith([{ ROWS: '1' }, { ROWS: 'many' }])).toThrow(
			"the program does not compile with the constants the parties supplied (PARTY_0::ROWS=1, PARTY_1::ROWS=many): The literal is not of type 'usize': many"
		);
	});
});
