import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Browser-only code (components, Worker glue); src/lib stays isomorphic.
		alias: { $ui: 'src/ui' }
	}
};

export default config;
