// The example programs shipped under static/examples/ (written by the language engineer),
// bundled at build time so that the home page renders with a program, even on the server.
import type { ConstInputs } from '$lib/garble';
import index from '../../static/examples/index.json';

export interface Example {
	file: string;
	title: string;
	description: string;
	/** One input literal per party that makes a good demonstration. */
	inputs: string[];
	consts?: ConstInputs;
	output?: string;
}

const sources = import.meta.glob<string>('../../static/examples/*.garble.rs', { query: '?raw', import: 'default' });

export const examples: Example[] = (index as Example[]).filter((e) => `../../static/examples/${e.file}` in sources);

export function exampleSource(example: Example): Promise<string> {
	return sources[`../../static/examples/${example.file}`]();
}
