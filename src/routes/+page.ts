import { examples, exampleSource } from '$ui/examples';
import type { PageLoad } from './$types';

/** The examples, and the first one's program so that the editor is never empty at first. */
export const load: PageLoad = async () => ({
	examples,
	source: examples.length > 0 ? await exampleSource(examples[0]) : ''
});
