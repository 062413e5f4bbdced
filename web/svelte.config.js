// SvelteKit config. The app is a single-page app: adapter-static writes web/build with an
// index.html fallback, and the Fastify server serves those files and answers every unknown
// non-API path with index.html (see web/README.md).
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // Kit emits one inline bootstrap <script>; 'hash' mode puts its sha256 into a CSP <meta> tag so
    // the page runs under a strict policy with no 'unsafe-inline'. Nothing is loaded from another host.
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // Kit's route announcer carries one fixed inline style attribute (sveltejs/kit#11993);
        // allow exactly that one by its hash rather than 'unsafe-inline'.
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
  },
};

export default config;
