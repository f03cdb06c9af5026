import type { AuthBits } from './auth';
import type { AndMaterial, Preprocessing } from './preprocessing';
import type { Session } from './session';

export class OtPreprocessing implements Preprocessing {
	readonly delta = new Uint32Array(4);
	static async setup(session: Session, andGates: number): Promise<OtPreprocessing> {
		void session;
		void andGates;
		throw new Error('not yet');
	}
	inputMasks(count: number): Promise<AuthBits> {
		throw new Error(`not yet ${count}`);
	}
	andGates(count: number): Promise<AndMaterial> {
		throw new Error(`not yet ${count}`);
	}
}
