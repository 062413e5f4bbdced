// Vite config for the web app, used by `vite build web` (run from the repository root) and by
// `vite dev web`. SvelteKit reads svelte.config.js and resolves src/, .svelte-kit/ and build/
// from process.cwd() when its plugin module is first evaluated, so we move into web/ *before*
// importing it (a dynamic import: static imports would be evaluated before the chdir).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig(async () => {
  // Kit re-reads this file in a worker thread after the build (chdir is not allowed there, and the
  // worker already shares the process's working directory).
  if (isMainThread && process.cwd() !== webDir) process.chdir(webDir);
  const { sveltekit } = await import('@sveltejs/kit/vite');
  return {
    plugins: [sveltekit()],
    server: {
      // `vite dev web` talks to a locally running `npm start` (default port 8080).
      proxy: { '/api': process.env.HANDOFF_API ?? 'http://127.0.0.1:8080' },
    },
    build: {
      // ECharts is split into its own lazily loaded chunk; it is big by nature.
      chunkSizeWarningLimit: 800,
    },
  };
});
