import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Browser-only code (components, Worker glue); src/lib stays isomorphic.
		alias: { $ui: 'src/ui' },
		// SvelteKit's origin check would refuse curl, scripts and other relay clients that send a
		// body as text or a form; src/hooks.server.ts does the same check for everything but the
		// relay API (src/lib/server/origin-check.ts says why).
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
